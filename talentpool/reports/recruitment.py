"""Recruitment costs (募集経費): the coordinator lists, adds, corrects and voids entries."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import fiscal, scoping
from talentpool.extensions import db
from talentpool.models import RecruitmentExpense
from talentpool.permissions import COORDINATOR, require_role
from talentpool.reports import bp
from talentpool.reports.forms import ExpenseForm, VoidForm
from talentpool.services.reports import recruitment as service
from talentpool.services.training import progress
from talentpool.web.actions import run
from talentpool.web.lists import selected_year
from talentpool.web.scoped import scoped_or_404


def _load(expense_id: int) -> RecruitmentExpense:
    """An expense of the coordinator's own prefecture, else 404."""
    return scoped_or_404(scoping.recruitment_expenses_for, RecruitmentExpense, expense_id)


def _form(obj: RecruitmentExpense | None = None) -> ExpenseForm:
    form = ExpenseForm(obj=obj)
    form.fiscal_year.choices = [(0, _("支出日の年度"))] + [
        (y, fiscal.label(y)) for y in progress.year_choices()
    ]
    return form


def _values(form: ExpenseForm) -> service.ExpenseValues:
    return service.ExpenseValues(
        spent_on=form.spent_on.data,
        fiscal_year=form.fiscal_year.data or None,
        description=form.description.data,
        amount=form.amount.data,
        vendor=form.vendor.data or "",
        note=form.note.data or "",
    )


def _save(form: ExpenseForm, action) -> bool:
    """Run the service with the form's values; errors go beside the field named."""
    if not form.validate_on_submit():
        return False
    return run(form, lambda: action(_values(form)), field="description") is not None


def _render_list(
    year: int, form: ExpenseForm, void_form: VoidForm | None = None, void_id: int | None = None
):
    items = db.session.scalars(
        scoping.recruitment_expenses_for(current_user)
        .where(RecruitmentExpense.fiscal_year == year)
        .order_by(RecruitmentExpense.spent_on, RecruitmentExpense.id)
    ).all()
    total = sum(e.amount for e in items if not e.void)
    failed = bool(form.errors or (void_form and void_form.errors))
    return render_template(
        "reports/recruitment.html",
        form=form,
        items=items,
        total=total,
        year=year,
        years=progress.year_choices(),
        void_form=void_form or VoidForm(formdata=None),
        void_id=void_id,
    ), 400 if failed else 200


@bp.route("/recruitment", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def recruitment():
    year = selected_year()
    form = _form()
    if request.method == "POST":
        if _save(
            form,
            lambda values: service.add_expense(current_user.prefecture_id, values, current_user.id),
        ):
            flash(_("募集経費を登録しました。"), "success")
            return redirect(url_for("reports.recruitment", year=year))
    else:
        form.fiscal_year.data = 0
    return _render_list(year, form)


@bp.route("/recruitment/<int:expense_id>/edit", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def recruitment_edit(expense_id: int):
    expense = _load(expense_id)
    form = _form(expense)
    if request.method == "POST" and _save(
        form, lambda values: service.update_expense(expense, values)
    ):
        flash(_("募集経費を更新しました。"), "success")
        return redirect(url_for("reports.recruitment", year=expense.fiscal_year))
    return render_template(
        "reports/recruitment_form.html", form=form, expense=expense
    ), 400 if form.errors else 200


@bp.route("/recruitment/<int:expense_id>/void", methods=["POST"])
@require_role(*COORDINATOR)
def recruitment_void(expense_id: int):
    expense = _load(expense_id)
    form = VoidForm()
    if form.validate_on_submit():
        if run(form, lambda: service.void_expense(expense, form.reason.data), field="reason"):
            flash(_("募集経費を取り消しました(一覧には残ります)。"), "success")
            return redirect(url_for("reports.recruitment", year=expense.fiscal_year))
    blank = _form()
    blank.fiscal_year.data = 0
    return _render_list(expense.fiscal_year, blank, form, expense.id)
