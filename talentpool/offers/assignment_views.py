"""Assignment pages: one page per assignment with per-role content, and its actions."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import Assignment, AssignmentState, Role
from talentpool.offers import bp
from talentpool.offers.forms import ActivityForm, EndEarlyForm, FeeForm, RatingForm
from talentpool.permissions import (
    COORDINATOR,
    OFFICER,
    TALENT,
    can_view_talent_contact,
    ensure_found,
    require_role,
)
from talentpool.services import DomainError, assignments


def _assignment_or_404(assignment_id: int) -> Assignment:
    return ensure_found(
        db.session.scalar(
            scoping.assignments_for(current_user).where(Assignment.id == assignment_id)
        )
    )


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
        "req": assignment.request,
        "talent": assignment.talent,
        "show_contact": can_view_talent_contact(current_user, assignment.talent),
        "activity_form": (forms.get("activity_form") or _activity_form(assignment))
        if role == Role.talent and active
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


def _done(assignment: Assignment, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("offers.assignment_detail", assignment_id=assignment.id))


def _refused(assignment_id: int, error: DomainError, **forms):
    db.session.rollback()
    status = 400 if error.field else 409
    return _render(_assignment_or_404(assignment_id), status, error=str(error.message), **forms)


@bp.route("/assignments/<int:assignment_id>/activity", methods=["POST"])
@require_role(*TALENT)
def log_activity(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    if assignment.state != AssignmentState.active:
        return _refused(assignment_id, DomainError(_("終了した派遣の活動記録は変更できません。")))
    form = _activity_form(assignment, ActivityForm())
    if not form.validate_on_submit():
        return _render(assignment, 400, activity_form=form)
    try:
        assignments.log_activity(
            current_user,
            assignment,
            date.fromisoformat(form.month.data),
            form.hours.data,
            form.note.data or "",
        )
    except DomainError as error:
        return _refused(assignment_id, error, activity_form=form)
    return _done(assignment, _("%(month)sの活動記録を保存しました。", month=form.month.data[:7]))


@bp.route("/assignments/<int:assignment_id>/complete", methods=["POST"])
@require_role(*COORDINATOR)
def complete(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    try:
        assignments.complete_assignment(current_user, assignment)
    except DomainError as error:
        return _refused(assignment_id, error)
    return _done(assignment, _("派遣を完了にしました。"))


@bp.route("/assignments/<int:assignment_id>/end-early", methods=["POST"])
@require_role(*COORDINATOR)
def end_early(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = EndEarlyForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, end_form=form)
    try:
        assignments.end_assignment_early(current_user, assignment, form.reason.data)
    except DomainError as error:
        return _refused(assignment_id, error, end_form=form)
    return _done(assignment, _("派遣を途中で終了しました。"))


@bp.route("/assignments/<int:assignment_id>/fee", methods=["POST"])
@require_role(*COORDINATOR)
def set_fee(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = FeeForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, fee_form=form)
    try:
        assignments.set_monthly_fee(current_user, assignment, form.monthly_fee.data)
    except DomainError as error:
        return _refused(assignment_id, error, fee_form=form)
    return _done(assignment, _("月額報酬を保存しました。"))


@bp.route("/assignments/<int:assignment_id>/rating", methods=["POST"])
@require_role(*OFFICER)
def rate(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = RatingForm()
    if not form.validate_on_submit():
        return _render(assignment, 400, rating_form=form)
    try:
        assignments.rate_assignment(
            current_user, assignment, form.score.data, form.comment.data or ""
        )
    except DomainError as error:
        return _refused(assignment_id, error, rating_form=form)
    return _done(assignment, _("評価を送信しました。"))
