"""Recruitment costs (募集経費) the prefecture records for the fiscal report: add, correct, void.

Nothing is deleted: a wrong entry is voided with a reason, and the audit trail keeps every
change. The fiscal year is the payment date's, or — for payments in April and May, the
closing period of the previous year (出納整理期間) — the year before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import RecruitmentExpense
from talentpool.services.errors import DomainError

MAX_AMOUNT = 10_000_000_000  # ¥10 billion: anything above is a typing error


@dataclass(frozen=True)
class ExpenseValues:
    spent_on: date
    fiscal_year: int | None
    description: str
    amount: int
    vendor: str = ""
    note: str = ""


def charge_years(spent_on: date) -> list[int]:
    """Fiscal years a payment on `spent_on` may be charged to (its own first)."""
    year = fiscal.fiscal_year(spent_on)
    return [year, year - 1] if spent_on.month in (4, 5) else [year]


def _clean(values: ExpenseValues) -> dict:
    if values.spent_on is None:
        raise DomainError(_l("支出日を入力してください。"), "spent_on")
    description = (values.description or "").strip()
    if not description:
        raise DomainError(_l("内容を入力してください。"), "description")
    if len(description) > 200:
        raise DomainError(_l("内容は200文字以内で入力してください。"), "description")
    if values.amount is None or not 0 <= values.amount <= MAX_AMOUNT:
        raise DomainError(_l("金額は0円以上の整数で入力してください。"), "amount")
    vendor = (values.vendor or "").strip()
    if len(vendor) > 200:
        raise DomainError(_l("支出先は200文字以内で入力してください。"), "vendor")
    years = charge_years(values.spent_on)
    year = values.fiscal_year or years[0]
    if year not in years:
        raise DomainError(
            _l(
                "支出日が%(date)sの経費は%(years)sに計上してください。",
                date=values.spent_on.isoformat(),
                years="・".join(fiscal.label(y) for y in years),
            ),
            "fiscal_year",
        )
    return {
        "spent_on": values.spent_on,
        "fiscal_year": year,
        "description": description,
        "amount": values.amount,
        "vendor": vendor,
        "note": (values.note or "").strip(),
    }


def add_expense(
    prefecture_id: int, values: ExpenseValues, created_by_id: int | None = None
) -> RecruitmentExpense:
    """Record a recruitment cost of the prefecture."""
    expense = RecruitmentExpense(
        prefecture_id=prefecture_id, created_by_id=created_by_id, **_clean(values)
    )
    db.session.add(expense)
    db.session.flush()
    return expense


def update_expense(expense: RecruitmentExpense, values: ExpenseValues) -> None:
    """Correct an entry (voided entries stay as they were)."""
    if expense.void:
        raise DomainError(_l("取り消した経費は変更できません。"))
    for key, value in _clean(values).items():
        setattr(expense, key, value)
    db.session.flush()


def void_expense(expense: RecruitmentExpense, reason: str) -> None:
    """Take an entry out of the totals, saying why; it stays in the list."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("取消の理由を入力してください。"), "reason")
    if expense.void:
        raise DomainError(_l("この経費は既に取り消されています。"))
    expense.void = True
    expense.void_reason = reason
    db.session.flush()
