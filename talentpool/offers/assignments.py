"""Assignment pages: one page per assignment with per-role content, and its actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import Assignment, AssignmentState, Role
from talentpool.offers import bp
from talentpool.offers.forms import (
    ActivityForm,
    CompleteManyForm,
    EndEarlyForm,
    FeeForm,
    RatingForm,
)
from talentpool.permissions import (
    COORDINATOR,
    OFFICER,
    TALENT,
    can_view_talent_contact,
    require_role,
)
from talentpool.services import DomainError
from talentpool.services.offers import assignments
from talentpool.web import confirm
from talentpool.web.actions import commit_or_rollback
from talentpool.web.confirm import confirmed
from talentpool.web.scoped import scoped_or_404


def _assignment_or_404(assignment_id: int) -> Assignment:
    return scoped_or_404(scoping.assignments_for, Assignment, assignment_id)


def _activity_form(assignment: Assignment, form: ActivityForm | None = None) -> ActivityForm:
    form = form or ActivityForm()
    months = assignments.months_open_for_activity(assignment)
    form.month.choices = [(m.isoformat(), m.strftime("%Y-%m")) for m in reversed(months)]
    return form


def _render(assignment: Assignment, status: int = 200, **forms):
    active = assignment.state == AssignmentState.active
    role = current_user.role
    context = {
        "assignment": assignment,
        "phase": assignments.phase(assignment),
        "req": assignment.request,
        "talent": assignment.talent,
        "show_contact": can_view_talent_contact(current_user, assignment.talent),
        "activity_form": (forms.get("activity_form") or _activity_form(assignment))
        if role == Role.talent and active and assignments.months_open_for_activity(assignment)
        else None,
        "fee_form": forms.get("fee_form") or FeeForm(monthly_fee=assignment.monthly_fee)
        if role == Role.coordinator
        else None,
        "end_form": forms.get("end_form") or EndEarlyForm()
        if role == Role.coordinator and active
        else None,
        "rating_form": forms.get("rating_form") or RatingForm()
        if (
            role == Role.municipal_officer
            and assignment.state in assignments.ENDED
            and assignment.rating is None
        )
        else None,
        "error": forms.get("error"),
    }
    return render_template("offers/assignment_detail.html", **context), status


@bp.route("/assignments/<int:assignment_id>")
@login_required
def assignment_detail(assignment_id: int):
    """Officer: who is coming and how to reach them; talent: activity; coordinator: all."""
    return _render(_assignment_or_404(assignment_id))


def _refused(assignment_id: int, error: DomainError, **forms):
    db.session.rollback()
    status = 400 if error.field else 409
    return _render(_assignment_or_404(assignment_id), status, error=str(error.message), **forms)


def _apply(assignment: Assignment, action: Callable[[], object], message: str, **forms):
    """Run a service call on the assignment and commit, then back to its page with `message`;
    refused, nothing stays and the page says why, with the posted form (`forms`) kept."""
    try:
        commit_or_rollback(action)
    except DomainError as error:
        return _refused(assignment.id, error, **forms)
    flash(message, "success")
    return redirect(url_for("offers.assignment_detail", assignment_id=assignment.id))


@bp.route("/assignments/<int:assignment_id>/activity", methods=["POST"])
@require_role(*TALENT)
def log_activity(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    if assignment.state != AssignmentState.active:
        return _refused(assignment_id, DomainError(_("終了した派遣の活動記録は変更できません。")))
    form = _activity_form(assignment, ActivityForm())
    if not form.validate_on_submit():
        return _render(assignment, 400, activity_form=form)
    return _apply(
        assignment,
        lambda: assignments.log_activity(
            current_user,
            assignment,
            date.fromisoformat(form.month.data),
            form.hours.data,
            form.note.data or "",
        ),
        _("%(month)sの活動記録を保存しました。", month=form.month.data[:7]),
        activity_form=form,
    )


@bp.route("/assignments/<int:assignment_id>/complete", methods=["POST"])
@require_role(*COORDINATOR)
def complete(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    if assignment.state == AssignmentState.active and not confirmed():
        return _ask_complete(
            [assignment], url_for("offers.assignment_detail", assignment_id=assignment.id)
        )
    return _apply(
        assignment,
        lambda: assignments.complete_assignment(current_user, assignment),
        _("派遣を完了にしました。"),
    )


@bp.route("/assignments/<int:assignment_id>/end-early", methods=["POST"])
@require_role(*COORDINATOR)
def end_early(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = EndEarlyForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, end_form=form)
    if assignment.state == AssignmentState.active and not confirmed():
        return confirm.ask(
            title=_("派遣を途中で終了する"),
            message=_(
                "%(talent)sさんの「%(title)s」の派遣を途中で終了します。本人と市町村に通知され、"
                "元に戻せません。依頼の枠は空きに戻ります。",
                talent=assignment.talent.name,
                title=assignment.request.title,
            ),
            button=_("途中で終了する"),
            back=url_for("offers.assignment_detail", assignment_id=assignment.id),
            details=[_("途中終了の理由: %(reason)s", reason=form.reason.data)],
        )
    return _apply(
        assignment,
        lambda: assignments.end_assignment_early(current_user, assignment, form.reason.data),
        _("派遣を途中で終了しました。"),
        end_form=form,
    )


@bp.route("/assignments/<int:assignment_id>/fee", methods=["POST"])
@require_role(*COORDINATOR)
def set_fee(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = FeeForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, fee_form=form)
    return _apply(
        assignment,
        lambda: assignments.set_monthly_fee(current_user, assignment, form.monthly_fee.data),
        _("月額報酬を保存しました。"),
        fee_form=form,
    )


@bp.route("/assignments/<int:assignment_id>/rating", methods=["POST"])
@require_role(*OFFICER)
def rate(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, rating_form=form)
    return _apply(
        assignment,
        lambda: assignments.rate_assignment(
            current_user, assignment, form.score.data, form.comment.data or ""
        ),
        _("評価を送信しました。"),
        rating_form=form,
    )


def _ask_complete(items: list[Assignment], back: str):
    return confirm.ask(
        title=_("派遣を完了にする"),
        message=_(
            "次の派遣を完了にします。本人と市町村に通知され、元に戻せません。"
            "人材の稼働可能時間は空きに戻り、市町村が評価できるようになります。"
        ),
        button=_("完了にする"),
        back=back,
        details=[
            _(
                "%(talent)s — %(municipality)s「%(title)s」(終了日 %(end)s)",
                talent=a.talent.name,
                municipality=a.municipality.name,
                title=a.request.title,
                end=a.end_date.isoformat() if a.end_date else _("未定"),
            )
            for a in items
        ],
    )


def _overdue_page(form: CompleteManyForm, status: int = 200, error: str | None = None):
    items = db.session.scalars(
        scoping.assignments_for(current_user)
        .where(assignments.in_phase(assignments.OVERDUE))
        .options(
            selectinload(Assignment.talent),
            selectinload(Assignment.municipality),
            selectinload(Assignment.request),
            selectinload(Assignment.activity),
        )
        .order_by(Assignment.end_date, Assignment.id)
    ).all()
    form.ids.choices = [(a.id, str(a.id)) for a in items]
    return render_template("offers/overdue.html", items=items, form=form, error=error), status


@bp.route("/assignments/overdue")
@require_role(*COORDINATOR)
def overdue():
    """Assignments past their end date and still active: one list to complete them."""
    return _overdue_page(CompleteManyForm(formdata=None))


@bp.route("/assignments/complete", methods=["POST"])
@require_role(*COORDINATOR)
def complete_many():
    """Complete the chosen overdue assignments at once (after a confirmation step)."""
    form = CompleteManyForm()
    ids = request.form.getlist("ids", type=int)
    chosen = db.session.scalars(
        scoping.assignments_for(current_user)
        .where(Assignment.id.in_(ids))
        .order_by(Assignment.end_date, Assignment.id)
    ).all()
    if not form.validate_on_submit() or not chosen:
        return _overdue_page(form, 400, _("完了にする派遣を選んでください。"))
    if not confirmed():
        return _ask_complete(list(chosen), url_for("offers.overdue"))
    try:
        done = commit_or_rollback(
            lambda: assignments.complete_many(current_user, [a.id for a in chosen])
        )
    except DomainError as error:
        return _overdue_page(CompleteManyForm(formdata=None), 409, str(error.message))
    flash(_("%(n)d件の派遣を完了にしました。", n=len(done)), "success")
    return redirect(url_for("offers.overdue"))
