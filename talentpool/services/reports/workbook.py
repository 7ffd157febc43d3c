"""The fiscal-measure report as an .xlsx workbook: a summary (概要), one sheet per measure,
and the rows left out of the figures until someone completes them (要確認).

Layout of every sheet: row 1 title (with the 令和 year), row 2 headers, rows 3… data; a
measure's sheet ends with a totals row (合計) of the columns that add up — never of rates per
person. Text that looks like a formula is a quote-prefixed text cell (`tabular.guard_cell`).
Every sheet prints on A4 landscape, fitted to the page width, repeating rows 1–2 on each page.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from talentpool.services.reports.fiscal import FiscalReport
from talentpool.tabular import guard_cell

TOTAL = "合計"
SUMMARY = "概要"
TO_CHECK = "要確認"
#: Thousands separators (hours and yen alike).
THOUSANDS = "#,##0"
BOLD = Font(bold=True)


def _value(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, as wide as the page, the title and header rows on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"


def _sheet(
    book: Workbook,
    name: str,
    title: str,
    headers: Sequence[tuple[str, int, str]],
    rows: Sequence[Sequence[object]],
    totals: Sequence[object] | None,
) -> Worksheet:
    """One sheet; headers are (label, column width, number format or "")."""
    sheet = book.create_sheet(name)
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([label for label, _, _ in headers])
    for cell in sheet[2]:
        cell.font = BOLD
    for row in [*rows, *([totals] if totals is not None else [])]:
        sheet.append([_value(v) for v in row])
        for cell in sheet[sheet.max_row]:
            guard_cell(cell)
    if totals is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    for index, (_, width, number_format) in enumerate(headers, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A3"
    _print_setup(sheet)
    return sheet


def _sum(values) -> int:
    return sum(v for v in values if v is not None)


@dataclass(frozen=True)
class Column:
    """A column of a measure's sheet: its header and width, a row's value (the row's
    attribute of that name, or a function of the row), its number format, and its cell in
    the totals row — the sum of the column (`adds_up`), or `total` of all the rows, or
    empty (a figure per person does not add up)."""

    label: str
    width: int
    value: str | Callable[[Any], object]
    number_format: str = ""
    adds_up: bool = False
    total: Callable[[Sequence[Any]], object] | None = None

    def of(self, row: Any) -> object:
        return getattr(row, self.value) if isinstance(self.value, str) else self.value(row)

    def total_of(self, rows: Sequence[Any]) -> object:
        if self.total is not None:
            return self.total(rows)
        return _sum(self.of(r) for r in rows) if self.adds_up else None


def _measure_sheet(book: Workbook, name: str, title: str, columns: Sequence[Column], rows) -> None:
    """A measure's sheet: a row per item and the totals row (合計 in the first column)."""
    _sheet(
        book,
        name,
        title,
        [(c.label, c.width, c.number_format) for c in columns],
        [tuple(c.of(r) for c in columns) for r in rows],
        (TOTAL, *(c.total_of(rows) for c in columns[1:])),
    )


STAFF = (
    Column("氏名", 24, "name"),
    Column("雇用開始日", 12, "employment_start"),
    Column("雇用終了日", 12, "employment_end"),
    Column("人数", 8, lambda s: 1, adds_up=True),
    Column("年度内の在職月数", 16, "months", adds_up=True),
    Column(
        "支援先市町村数",
        14,
        lambda s: len(s.municipality_ids),
        # a municipality two of them support counts once
        total=lambda staff: len(frozenset().union(*(s.municipality_ids for s in staff))),
    ),
    Column("派遣件数", 10, "assignments", adds_up=True),
    Column("年度内の派遣時間(計画)", 22, "hours", THOUSANDS, adds_up=True),
    Column("活動記録の時間", 14, "logged_hours", THOUSANDS, adds_up=True),
)

# hours per month, months and the monthly fee are per person: no total of those
CIO = (
    Column("団体コード", 10, "lg_code"),
    Column("市町村", 14, "municipality"),
    Column("人材", 24, "talent"),
    Column("開始日", 12, "start"),
    Column("終了日", 12, "end"),
    Column("月あたり時間", 12, "hours_per_month"),
    Column("年度内の月数", 12, "months"),
    Column("年度内の時間", 12, "hours", THOUSANDS, adds_up=True),
    Column("月額報酬(円)", 14, "monthly_fee", THOUSANDS),
    Column("年度内の経費(円)", 16, "cost", THOUSANDS, adds_up=True),
)

TRAINING = (
    Column("団体コード", 10, "lg_code"),
    Column("市町村", 14, "municipality"),
    Column("目標人数", 10, "target", adds_up=True),
    Column("受講者数(年度内に受講開始)", 26, "enrolled", adds_up=True),
    Column("修了者数", 10, "completed", adds_up=True),
    Column("研修経費(円)", 14, "cost", THOUSANDS, adds_up=True),
)

EXPENSES = (
    Column("支出日", 12, "spent_on"),
    Column("内容", 36, "description"),
    Column("支出先", 24, "vendor"),
    Column("金額(円)", 14, "amount", THOUSANDS, adds_up=True),
    Column("備考", 30, "note"),
)


def write(report: FiscalReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    book.remove(book.active)
    head = f"{report.year_label} {report.prefecture}"
    _summary(book, head, report)
    _measure_sheet(
        book,
        "常勤デジタル人材",
        f"{head} 市町村支援に従事する常勤のデジタル人材(普通交付税)",
        STAFF,
        report.staff,
    )
    _measure_sheet(book, "CIO補佐官等", f"{head} CIO補佐官等の任用(特別交付税)", CIO, report.cio)
    _measure_sheet(
        book,
        "DX推進リーダー研修",
        f"{head} DX推進リーダーの育成(特別交付税)",
        TRAINING,
        report.training,
    )
    _measure_sheet(book, "募集経費", f"{head} デジタル人材の募集経費", EXPENSES, report.recruitment)

    _sheet(
        book,
        TO_CHECK,
        f"{head} 要確認: 数字に含めていない行(入力を補ってから出力し直してください)",
        [("シート", 18, ""), ("管理番号", 14, ""), ("氏名", 24, ""), ("理由", 60, "")],
        [(c.sheet, c.external_id, c.name, c.reason) for c in report.to_check]
        or [("—", None, None, "確認が必要な行はありません。")],
        None,
    )

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _summary(book: Workbook, head: str, report: FiscalReport) -> None:
    """The first sheet: each measure's key figures, and what was left out to check."""
    staff, cio, training = report.staff, report.cio, report.training
    unchecked = len(report.to_check)
    _sheet(
        book,
        SUMMARY,
        f"{head} 交付税措置の報告書 概要",
        [("区分", 34, ""), ("項目", 34, ""), ("値", 16, THOUSANDS), ("備考", 60, "")],
        [
            ("市町村支援に従事する常勤のデジタル人材(普通交付税)", "人数", len(staff), None),
            (None, "年度内の在職月数(延べ)", _sum(s.months for s in staff), None),
            (
                None,
                "要確認(雇用開始日が未入力)",
                unchecked,
                "人数・在職月数に含めていません。「要確認」シートを参照してください。"
                if unchecked
                else None,
            ),
            ("CIO補佐官等の任用(特別交付税)", "任用件数", len(cio), None),
            (None, "年度内の経費(円)", _sum(c.cost for c in cio), None),
            (
                "DX推進リーダーの育成(特別交付税)",
                "受講者数",
                _sum(t.enrolled for t in training),
                None,
            ),
            (None, "修了者数", _sum(t.completed for t in training), None),
            (None, "研修経費(円)", _sum(t.cost for t in training), None),
            (
                "デジタル人材の募集経費",
                "合計(円)",
                _sum(e.amount for e in report.recruitment),
                None,
            ),
        ],
        None,
    )
