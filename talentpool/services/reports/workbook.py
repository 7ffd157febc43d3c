"""The fiscal-measure report as an .xlsx workbook: a summary (概要), one sheet per measure,
and the rows left out of the figures until someone completes them (要確認).

Layout of every sheet: row 1 title (with the 令和 year), row 2 headers, rows 3… data; a
measure's sheet ends with a totals row (合計) of the columns that add up — never of rates per
person. Text that looks like a formula is a quote-prefixed text cell (`tabular.guard_cell`).
Every sheet prints on A4 landscape, fitted to the page width, repeating rows 1–2 on each page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

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


def write(report: FiscalReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    book.remove(book.active)
    head = f"{report.year_label} {report.prefecture}"
    _summary(book, head, report)

    staff = report.staff
    _sheet(
        book,
        "常勤デジタル人材",
        f"{head} 市町村支援に従事する常勤のデジタル人材(普通交付税)",
        [
            ("氏名", 24, ""),
            ("雇用開始日", 12, ""),
            ("雇用終了日", 12, ""),
            ("人数", 8, ""),
            ("年度内の在職月数", 16, ""),
            ("支援先市町村数", 14, ""),
            ("派遣件数", 10, ""),
            ("年度内の派遣時間(計画)", 22, THOUSANDS),
            ("活動記録の時間", 14, THOUSANDS),
        ],
        [
            (
                s.name,
                s.employment_start,
                s.employment_end,
                1,
                s.months,
                len(s.municipality_ids),
                s.assignments,
                s.hours,
                s.logged_hours,
            )
            for s in staff
        ],
        (
            TOTAL,
            None,
            None,
            len(staff),
            _sum(s.months for s in staff),
            len(frozenset().union(*(s.municipality_ids for s in staff))),
            _sum(s.assignments for s in staff),
            _sum(s.hours for s in staff),
            _sum(s.logged_hours for s in staff),
        ),
    )

    cio = report.cio
    _sheet(
        book,
        "CIO補佐官等",
        f"{head} CIO補佐官等の任用(特別交付税)",
        [
            ("団体コード", 10, ""),
            ("市町村", 14, ""),
            ("人材", 24, ""),
            ("開始日", 12, ""),
            ("終了日", 12, ""),
            ("月あたり時間", 12, ""),
            ("年度内の月数", 12, ""),
            ("年度内の時間", 12, THOUSANDS),
            ("月額報酬(円)", 14, THOUSANDS),
            ("年度内の経費(円)", 16, THOUSANDS),
        ],
        [
            (
                c.lg_code,
                c.municipality,
                c.talent,
                c.start,
                c.end,
                c.hours_per_month,
                c.months,
                c.hours,
                c.monthly_fee,
                c.cost,
            )
            for c in cio
        ],
        # hours per month, months and the monthly fee are per person: no total of those
        (
            TOTAL,
            None,
            None,
            None,
            None,
            None,
            None,
            _sum(c.hours for c in cio),
            None,
            _sum(c.cost for c in cio),
        ),
    )

    training = report.training
    _sheet(
        book,
        "DX推進リーダー研修",
        f"{head} DX推進リーダーの育成(特別交付税)",
        [
            ("団体コード", 10, ""),
            ("市町村", 14, ""),
            ("目標人数", 10, ""),
            ("受講者数(年度内に受講開始)", 26, ""),
            ("修了者数", 10, ""),
            ("研修経費(円)", 14, THOUSANDS),
        ],
        [(t.lg_code, t.municipality, t.target, t.enrolled, t.completed, t.cost) for t in training],
        (
            TOTAL,
            None,
            _sum(t.target for t in training),
            _sum(t.enrolled for t in training),
            _sum(t.completed for t in training),
            _sum(t.cost for t in training),
        ),
    )

    expenses = report.recruitment
    _sheet(
        book,
        "募集経費",
        f"{head} デジタル人材の募集経費",
        [
            ("支出日", 12, ""),
            ("内容", 36, ""),
            ("支出先", 24, ""),
            ("金額(円)", 14, THOUSANDS),
            ("備考", 30, ""),
        ],
        [(e.spent_on, e.description, e.vendor, e.amount, e.note) for e in expenses],
        (TOTAL, None, None, _sum(e.amount for e in expenses), None),
    )

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
