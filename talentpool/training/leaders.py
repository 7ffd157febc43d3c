"""DX promotion leaders of a municipality, talent's admin-practice training, and the
enrolment actions (enrol, complete, withdraw) both share."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import exists, select

from talentpool import fiscal, scoping, sorting
from talentpool.extensions import db
from talentpool.models import (
    Audience,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    Municipality,
    Talent,
    TalentKind,
    TrainingProgram,
)
from talentpool.permissions import COORDINATOR, PREFECTURE_STAFF, require_role
from talentpool.services import DomainError
from talentpool.services.training import programs as training
from talentpool.services.training import progress
from talentpool.training import bp
from talentpool.training.forms import CompleteForm, EnrollForm, LeaderForm, WithdrawForm
from talentpool.training.views import ensure_municipality
from talentpool.web.actions import attach, commit_or_rollback, form_page, run
from talentpool.web.lists import paginate, selected_year
from talentpool.web.scoped import scoped_or_404

LEADER_COLUMNS = {
    "active": sorting.Column((DxLeader.active, DxLeader.name), descending_first=True),
    "name": sorting.Column((DxLeader.name,)),
    "department": sorting.Column((DxLeader.department, DxLeader.name)),
    "position": sorting.Column((DxLeader.position, DxLeader.name)),
}


def render_municipality(municipality: Municipality, year: int):
    """A municipality's leaders with their latest training, and its progress in `year`."""
    summary = progress.progress_for([municipality], year)[0]
    sort = sorting.read(LEADER_COLUMNS, "active")
    leaders = db.session.scalars(
        scoping.dx_leaders_for(current_user)
        .where(DxLeader.municipality_id == municipality.id)
        .order_by(*sorting.order(LEADER_COLUMNS, sort, DxLeader.id))
    ).all()
    latest = {}
    for record in db.session.scalars(
        select(Enrollment)
        .where(Enrollment.dx_leader_id.in_([x.id for x in leaders]))
        .order_by(Enrollment.enrolled_on.nulls_first(), Enrollment.id)
    ):
        latest[record.dx_leader_id] = record  # the last one wins
    return render_template(
        "training/municipality.html",
        municipality=municipality,
        summary=summary,
        leaders=leaders,
        latest=latest,
        year=year,
        years=progress.year_choices(),
        sort=sort,
    )


@bp.route("/municipalities/<int:municipality_id>")
@require_role(*PREFECTURE_STAFF)
def municipality(municipality_id: int):
    return render_municipality(ensure_municipality(municipality_id), selected_year())


@bp.route("/municipalities/<int:municipality_id>/leaders/new", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def new_leader(municipality_id: int):
    place = ensure_municipality(municipality_id)
    form = LeaderForm()
    if form.validate_on_submit():
        leader = run(
            form,
            lambda: training.add_leader(municipality_id=place.id, **_leader_values(form)),
            field="name",
        )
        if leader is not None:
            flash(_("DX推進リーダーを登録しました。"), "success")
            return redirect(url_for("training.leader", leader_id=leader.id))
    return form_page("training/leader_form.html", form=form, municipality=place, leader=None)


def _leader_values(form: LeaderForm) -> dict:
    """What the leader form says, as the training service's keyword values."""
    fields = ("name", "department", "position", "email", "active")
    return {name: form[name].data for name in fields}


def _leader(leader_id: int) -> DxLeader:
    return scoped_or_404(scoping.dx_leaders_for, DxLeader, leader_id)


@bp.route("/leaders/<int:leader_id>/edit", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def edit_leader(leader_id: int):
    leader = _leader(leader_id)
    form = LeaderForm(obj=leader)
    if form.validate_on_submit():
        if run(form, lambda: training.update_leader(leader, **_leader_values(form)), field="name"):
            flash(_("保存しました。"), "success")
            return redirect(url_for("training.leader", leader_id=leader.id))
    return form_page(
        "training/leader_form.html", form=form, municipality=leader.municipality, leader=leader
    )


# --- one person's training record, shared by leaders and talent ---------------------------


def _program_choices(audience: str) -> list[tuple[int, str]]:
    programs = db.session.scalars(
        scoping.training_programs_for(current_user).where(
            TrainingProgram.audience == audience, TrainingProgram.active.is_(True)
        )
    )
    locale = str(get_locale() or "ja")
    return [(p.id, training.program_label(p, locale)) for p in programs]


def _action_forms(records: list[Enrollment], posted: dict | None = None) -> dict:
    forms = {}
    for record in records:
        if record.status == EnrollmentStatus.enrolled:
            forms[record.id] = (
                (posted or {}).get(("complete", record.id))
                or CompleteForm(
                    prefix=f"c{record.id}", formdata=None, data={"completed_on": fiscal.today()}
                ),
                (posted or {}).get(("withdraw", record.id))
                or WithdrawForm(
                    prefix=f"w{record.id}", formdata=None, data={"withdrawn_on": fiscal.today()}
                ),
            )
    return forms


def render_person(
    person: DxLeader | Talent,
    enroll_form: EnrollForm | None = None,
    posted: dict | None = None,
    status: int = 200,
):
    """The training record page of a leader or a talent, with the enrol and finish forms."""
    is_leader = isinstance(person, DxLeader)
    audience = Audience.dx_leader if is_leader else Audience.talent
    if enroll_form is None:
        enroll_form = EnrollForm(formdata=None, data={"enrolled_on": fiscal.today()})
    enroll_form.program_id.choices = _program_choices(audience)
    records = training.records_of(person)
    enroll_url = (
        url_for("training.enroll_leader", leader_id=person.id)
        if is_leader
        else url_for("training.enroll_talent", talent_id=person.id)
    )
    return render_template(
        "training/person.html",
        person=person,
        is_leader=is_leader,
        records=records,
        enroll_form=enroll_form,
        action_forms=_action_forms(records, posted),
        enroll_url=enroll_url,
        pool_link="pool.detail" in current_app.view_functions,
    ), status


@bp.route("/leaders/<int:leader_id>")
@require_role(*PREFECTURE_STAFF)
def leader(leader_id: int):
    return render_person(_leader(leader_id))


def _enroll(person: DxLeader | Talent, back: str):
    form = EnrollForm()
    is_leader = isinstance(person, DxLeader)
    form.program_id.choices = _program_choices(Audience.dx_leader if is_leader else Audience.talent)
    if not form.validate_on_submit():
        return render_person(person, enroll_form=form, status=400)
    program = db.session.get(TrainingProgram, form.program_id.data)
    enrolled = run(
        form,
        lambda: training.enroll(
            program=program,
            enrolled_on=form.enrolled_on.data,
            **({"dx_leader": person} if is_leader else {"talent": person}),
        ),
        field="program_id",
    )
    if enrolled is None:
        return render_person(person, enroll_form=form, status=400)
    flash(_("受講登録しました。"), "success")
    return redirect(back)


@bp.route("/leaders/<int:leader_id>/enroll", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def enroll_leader(leader_id: int):
    person = _leader(leader_id)
    return _enroll(person, url_for("training.leader", leader_id=person.id))


def _enrollment(enrollment_id: int) -> Enrollment:
    return scoped_or_404(scoping.enrollments_for, Enrollment, enrollment_id)


def _finish(enrollment_id: int, kind: str):
    record = _enrollment(enrollment_id)
    person = record.dx_leader or record.talent
    back = (
        url_for("training.leader", leader_id=person.id)
        if record.dx_leader
        else url_for("training.talent_record", talent_id=person.id)
    )
    if kind == "complete":
        form = CompleteForm(prefix=f"c{record.id}")
    else:
        form = WithdrawForm(prefix=f"w{record.id}")
    if form.validate_on_submit():
        try:
            if kind == "complete":
                commit_or_rollback(
                    lambda: training.complete(
                        record,
                        completed_on=form.completed_on.data,
                        certificate_number=form.certificate_number.data,
                    )
                )
            else:
                commit_or_rollback(
                    lambda: training.withdraw(record, withdrawn_on=form.withdrawn_on.data)
                )
        except DomainError as error:
            if not attach(form, error):  # e.g. the record was finished meanwhile (another tab)
                flash(error.message, "error")
                return render_person(person, status=400)
        else:
            flash(
                _("修了を記録しました。") if kind == "complete" else _("辞退を記録しました。"),
                "success",
            )
            return redirect(back)
    return render_person(person, posted={(kind, record.id): form}, status=400)


@bp.route("/enrollments/<int:enrollment_id>/complete", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def complete(enrollment_id: int):
    return _finish(enrollment_id, "complete")


@bp.route("/enrollments/<int:enrollment_id>/withdraw", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def withdraw(enrollment_id: int):
    return _finish(enrollment_id, "withdraw")


# --- talent (coordinator) ---------------------------------------------------------------

TALENT_FILTERS = ("completed", "enrolled", "none")
TALENT_COLUMNS = {"kana": sorting.Column((Talent.name_kana, Talent.name))}


@bp.route("/talent")
@require_role(*COORDINATOR)
def talent_list():
    """The prefecture's talent with their admin-practice training; staff first."""
    query = scoping.talent_for(current_user).where(Talent.active.is_(True))
    kind = request.args.get("kind", "staff")
    if kind in set(TalentKind):
        query = query.where(Talent.kind == kind)
    state = request.args.get("state", "")
    open_record = exists().where(
        Enrollment.talent_id == Talent.id, Enrollment.status == EnrollmentStatus.enrolled
    )
    if state == "completed":
        query = query.where(training.admin_training_completed())
    elif state == "enrolled":
        query = query.where(open_record)
    elif state == "none":
        query = query.where(~training.admin_training_completed(), ~open_record)
    sort = sorting.read(TALENT_COLUMNS, "kana")
    page = paginate(query.order_by(*sorting.order(TALENT_COLUMNS, sort, Talent.id)), per_page=50)
    latest = {}
    for record in db.session.scalars(
        select(Enrollment)
        .where(Enrollment.talent_id.in_([t.id for t in page.items]))
        .order_by(Enrollment.enrolled_on.nulls_first(), Enrollment.id)
    ):
        latest[record.talent_id] = record
    return render_template(
        "training/talent_list.html", page=page, latest=latest, kind=kind, state=state, sort=sort
    )


def _talent(talent_id: int) -> Talent:
    return scoped_or_404(scoping.talent_for, Talent, talent_id)


@bp.route("/talent/<int:talent_id>")
@require_role(*COORDINATOR)
def talent_record(talent_id: int):
    return render_person(_talent(talent_id))


@bp.route("/talent/<int:talent_id>/enroll", methods=["POST"])
@require_role(*COORDINATOR)
def enroll_talent(talent_id: int):
    person = _talent(talent_id)
    return _enroll(person, url_for("training.talent_record", talent_id=person.id))
