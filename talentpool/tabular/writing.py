"""Write rows as .xlsx or CSV that Japanese Excel opens correctly, safe against formula injection.

Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a line break,
including full-width ＝＋－＠) is guarded without changing what reads back:
- in .xlsx it is written as it is, in a text cell marked "quote prefix" — the cell Excel makes
  when someone types '=1+1 — which no spreadsheet evaluates, even after editing;
- in CSV, which has no cell types, it gets a leading apostrophe (`neutralize`).
Text that itself starts with an apostrophe gets one more in both, so the importer can tell our
guard apart and take it off again (`unguard`): every text reads back exactly as it was written.
Numbers and dates passed as such stay numbers and dates, so -5 is still a number.
"""

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

_FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r", "\n")
_NUMBER = (int, float, Decimal)
_WIDTH_SAMPLE = 1000  # rows looked at to size columns
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def formula_like(text: str) -> bool:
    """True if a spreadsheet could read `text` as a formula."""
    return _formula_start(text[:2])


@lru_cache(maxsize=8192)
def _formula_start(start: str) -> bool:
    """Whether text beginning with these (two) characters reads as a formula; kept per
    pair of characters, since exports repeat the same beginnings thousands of times."""
    if start.startswith(_CONTROL_START):
        return True
    return unicodedata.normalize("NFKC", start).lstrip().startswith(_FORMULA_START)


def neutralize(text: str) -> str:
    """Return `text` with a leading apostrophe if a spreadsheet could read it as a formula (or
    it starts with an apostrophe itself, so that `unguard` can undo exactly what this did)."""
    if text.startswith("'") or formula_like(text):
        return "'" + text
    return text


def unguard(text: str) -> str:
    """Undo `neutralize`: drop a leading apostrophe followed by formula-like text or by another
    apostrophe. Text a person typed without our guard is returned unchanged."""
    rest = text[1:]
    if text.startswith("'") and (rest.startswith("'") or formula_like(rest)):
        return rest
    return text


def write_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """Return CSV bytes in UTF-8 with BOM and CRLF line endings, as Japanese Excel expects."""
    return (csv_lines([headers]) + csv_lines(rows)).encode("utf-8-sig")


def csv_lines(rows: Iterable[Sequence[object]]) -> str:
    """Rows as the lines of `write_csv` (CRLF, values guarded), without header or BOM: for
    a file written in parts, e.g. by several processes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return buffer.getvalue()


def write_xlsx(
    headers: Sequence[object], rows: Iterable[Sequence[object]], sheet_title: str = "Sheet1"
) -> bytes:
    """Return an .xlsx workbook with one sheet: bold frozen header row with an autofilter, sized
    columns, real dates, formula-like text in text cells.

    Timezone-aware datetimes are written as their wall-clock time (Excel has no time zones).
    """
    return write_workbook([(sheet_title, headers, rows)])


def write_workbook(
    sheets: Iterable[tuple[str, Sequence[object], Iterable[Sequence[object]]]],
) -> bytes:
    """Return an .xlsx workbook with one sheet per (title, headers, rows), each as write_xlsx."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        data = [[_xlsx_value(v) for v in row] for row in rows]
        sheet = workbook.create_sheet(title=_sheet_title(title))
        sheet.freeze_panes = "A2"
        header = [_xlsx_value(v) for v in headers]
        widths = _widths(header, data[:_WIDTH_SAMPLE])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if header:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{len(data) + 1}"
        sheet.append([_cell(sheet, value, bold) for value in header])
        for row in data:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _NUMBER):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return neutralize(str(value))


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, _NUMBER):  # bool is an int
        return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return "'" + text if text.startswith("'") else text


def guard_cell(cell) -> None:
    """Make a cell holding formula-like text a quote-prefixed text cell (never evaluated)."""
    if isinstance(cell.value, str) and formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _cell(sheet, value: object, font: Font | None = None):
    if font is None and not (isinstance(value, str) and formula_like(value)):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    guard_cell(cell)
    if font is not None:
        cell.font = font
    return cell


def _display_width(value: object) -> int:
    if isinstance(value, date):
        return 16 if isinstance(value, datetime) else 10
    lines = str(value or "").splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in lines
    )


def _widths(header: list[object], rows: list[list[object]]) -> list[float]:
    count = max([len(header), *(len(r) for r in rows)])
    widths = [8] * count
    for row in [header, *rows]:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_width(value) + 2)
    return [min(w, 60) for w in widths]


def _sheet_title(title: str) -> str:
    return title.translate(_SHEET_TITLE_FORBIDDEN).strip("'")[:31] or "Sheet1"
