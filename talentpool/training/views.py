"""Training landing page per role, programs, the prefecture's setting, and yearly targets."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import fiscal, scoping
from talentpool.extensions import db
from talentpool.models import Audience, Municipality, Prefecture, Role
from talentpool.permissions import COORDINATOR, OFFICER, TALENT, require_role
from talentpool.services.imports import error_lines
from talentpool.services.training import programs as training
from talentpool.services.training import progress, target_import
from talentpool.services.training.target_import import TARGET_SCHEMA
from talentpool.tabular import (
    Choices,
    TemplateColumn,
    parse_int,
    write_template,
)
from talentpool.training import bp
from talentpool.training.forms import ProgramForm, SettingsForm, UploadForm
from talentpool.web.actions import run
from talentpool.web.downloads import file_response
from talentpool.web.lists import selected_year
from talentpool.web.scoped import scoped_or_404


@bp.route("/")
@require_role(*COORDINATOR, *OFFICER, *TALENT)
def index():
    if current_user.role == Role.municipal_officer:
        from talentpool.training.leaders import render_municipality

        return render_municipality(current_user.municipality, selected_year())
    if current_user.role == Role.talent:
        talent = db.session.scalar(scoping.talent_for(current_user))
        records = training.records_of(talent) if talent is not None else []
        return render_template("training/my_record.html", talent=talent, records=records)
    year = selected_year()
    rows = progress.shortfall_list(current_user.prefecture_id, year)
    totals = {
        "target": sum(r.target or 0 for r in rows),
        "completed": sum(r.completed for r in rows),
        "shortfall": sum(r.shortfall for r in rows),
        "behind": sum(1 for r in rows if r.shortfall),
    }
    return render_template(
        "training/overview.html", rows=rows, year=year, totals=totals, years=progress.year_choices()
    )


@bp.route("/programs", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def programs():
    form = ProgramForm()
    form.fiscal_year.choices = [(0, _("年度を限らない"))] + [
        (y, fiscal.label(y)) for y in progress.year_choices()
    ]
    form.audience.choices = [(a.value, str(training.AUDIENCE_LABELS[a])) for a in Audience]
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            added = run(
                form,
                lambda: training.add_program(
                    prefecture_id=current_user.prefecture_id,
                    name=form.name.data,
                    provider=form.provider.data,
                    level=form.level.data,
                    hours=form.hours.data,
                    fiscal_year=form.fiscal_year.data or None,
                    cost_per_person=form.cost_per_person.data,
                    audience=form.audience.data,
                ),
                field="name",
            )
            if added is not None:
                flash(_("研修を追加しました。"), "success")
                return redirect(url_for("training.programs"))
    items = db.session.scalars(scoping.training_programs_for(current_user)).all()
    return render_template(
        "training/programs.html",
        form=form,
        programs=items,
        audience_labels=training.AUDIENCE_LABELS,
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def settings():
    prefecture = db.session.get(Prefecture, current_user.prefecture_id)
    # an unticked checkbox sends nothing: read the posted form even when it looks empty
    form = SettingsForm(formdata=request.form if request.method == "POST" else None, obj=prefecture)
    if form.validate_on_submit():
        training.set_require_admin_training(prefecture, form.require_admin_training.data)
        db.session.commit()
        flash(_("設定を保存しました。"), "success")
        return redirect(url_for("training.settings"))
    return render_template("training/settings.html", form=form, prefecture=prefecture)


# --- targets ----------------------------------------------------------------------------


def _targets_page(
    year: int,
    errors: dict[int, str] | None = None,
    entered=None,
    file_errors: list | None = None,
    status: int = 200,
):
    municipalities = db.session.scalars(scoping.municipalities_for(current_user)).all()
    rows = progress.progress_for(municipalities, year)
    copied = None
    if entered is None and request.args.get("copy") == "previous":
        entered, copied = _previous_targets(rows, year)
    return render_template(
        "training/targets.html",
        rows=rows,
        year=year,
        errors=errors or {},
        entered=entered or {},
        copied=copied,
        years=progress.year_choices(),
        upload=UploadForm(),
        file_errors=file_errors or [],
    ), status


def _previous_targets(rows: list[progress.Progress], year: int) -> tuple[dict[int, str], int]:
    """Last year's targets as entries for the municipalities without one this year (nothing
    is saved until the form is); returns them and how many were copied."""
    last_year = progress.targets([r.municipality_id for r in rows], year - 1)
    entered = {
        r.municipality_id: str(last_year[r.municipality_id])
        for r in rows
        if r.target is None and last_year.get(r.municipality_id) is not None
    }
    return entered, len(entered)


@bp.route("/targets", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def targets():
    year = selected_year()
    if request.method == "GET":
        return _targets_page(year)
    ids = {m.id for m in db.session.scalars(scoping.municipalities_for(current_user))}
    counts: dict[int, int | None] = {}
    errors: dict[int, str] = {}
    entered: dict[int, str] = {}
    reader = parse_int(min=0, max=progress.MAX_TARGET)
    for municipality_id in ids:
        raw = request.form.get(f"target-{municipality_id}")
        if raw is None:
            continue  # not on the submitted form: leave as is
        entered[municipality_id] = raw
        try:
            counts[municipality_id] = reader(raw)
        except ValueError as error:
            errors[municipality_id] = str(error)
    if errors:
        return _targets_page(year, errors, entered, status=400)
    changed = progress.set_targets(current_user.prefecture_id, year, counts)
    db.session.commit()
    flash(
        _("%(year)sの目標を保存しました(%(n)d件変更)。", year=fiscal.label(year), n=changed),
        "success",
    )
    return redirect(url_for("training.targets", year=year))


@bp.route("/targets/template.xlsx")
@require_role(*COORDINATOR)
def targets_template():
    """A sheet to fill in: the prefecture's municipalities listed, a column for the target."""
    municipalities = list(db.session.scalars(scoping.municipalities_for(current_user)))
    headers = {c.key: c.header for c in TARGET_SCHEMA.columns}
    body = write_template(
        [
            TemplateColumn(
                headers["municipality_code"],
                hint="必須。6桁の団体コード(一覧から選べます)。",
                choices=Choices([(m.lg_code, m.name) for m in municipalities]),
                text=True,
            ),
            TemplateColumn(headers["target_count"], hint="0以上の整数。空欄は目標の削除。"),
            TemplateColumn(headers["fiscal_year"], hint="西暦の開始年(例: 2025)。省略可。"),
        ],
        sheet_title="研修の目標",
    )
    return file_response(body, "training_targets_template", "xlsx")


@bp.route("/targets/import", methods=["POST"])
@require_role(*COORDINATOR)
def import_targets():
    """Set targets from a sheet at once (services.training.target_import): all rows or none."""
    year = selected_year()
    form = UploadForm()
    if not form.validate_on_submit():
        return _targets_page(year, file_errors=form.file.errors, status=400)
    upload = form.file.data
    report = target_import.import_targets(
        upload.read(), upload.filename or "", prefecture_id=current_user.prefecture_id, year=year
    )
    if not report.committed:
        db.session.rollback()
        return _targets_page(year, file_errors=error_lines(report.errors), status=400)
    db.session.commit()
    flash(
        _(
            "目標を取り込みました(%(rows)d行、%(n)d件変更)。",
            rows=len(report.rows),
            n=report.created + report.updated,
        ),
        "success",
    )
    return redirect(url_for("training.targets", year=year))


def ensure_municipality(municipality_id: int) -> Municipality:
    """A municipality the current user works with, else 404."""
    return scoped_or_404(scoping.municipalities_for, Municipality, municipality_id)
