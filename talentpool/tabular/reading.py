"""Read an uploaded spreadsheet (.xlsx, or CSV in UTF-8/CP932) into a plain `Table`.

Everything that can go wrong with the file itself becomes a `TableError` with a Japanese message;
no openpyxl, zip or codec exception escapes.
"""

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl
from openpyxl.worksheet._reader import WorkSheetParser

from talentpool.tabular import messages as msg
from talentpool.tabular.encoding import UnreadableText, decode

Cell = str | date  # an Excel date cell arrives as date (or datetime when it has a time)

MAX_UNCOMPRESSED = 100 * 1024 * 1024  # zip-bomb guard: declared uncompressed total of an .xlsx
MAX_RATIO = 200  # ...and its compression ratio, checked once the total exceeds 1 MB
MAX_MEMBERS = 10_000
MAX_COLUMNS = 256  # a cell at column XFD would otherwise pad every row to 16,384 cells
#: Rows present in the file, empty ones included, read at most per allowed data row: reading
#: stops there, so a file of a million empty lines (or Excel rows) costs no more than this.
PRESENT_ROWS_PER_DATA_ROW = 2


class TableError(Exception):
    """The file cannot be read as a table; `str(error)` is a Japanese message for the user."""


@dataclass
class Table:
    """A sheet's header and data rows; `row_numbers[i]` is row i's number in Excel (header = 1)."""

    header: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]


def read_table(data: bytes, filename: str, *, max_rows: int = 50_000) -> Table:
    """Read an uploaded .xlsx (first sheet) or .csv/.txt file into a `Table`.

    Fully empty rows are skipped; the first non-empty row is the header. CSV may be UTF-8 (with
    or without BOM) or CP932/Shift_JIS, comma- or tab-separated; other encodings (EUC-JP, a mix
    of UTF-8 and CP932 lines) are refused. Only rows present in the file are read (an .xlsx
    row far down costs nothing for the rows above it), and reading stops after `max_rows` data
    rows or `PRESENT_ROWS_PER_DATA_ROW × max_rows` rows in all. Raises `TableError`.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _read_xlsx(data, max_rows)
    if extension in ("csv", "txt"):
        try:
            text = decode(data)
        except UnreadableText as error:
            raise TableError(str(error)) from error
        return _build(_csv_records(text), max_rows)
    raise TableError(msg.UNKNOWN_EXTENSION.format(ext=f".{extension}" if extension else filename))


def _csv_records(text: str) -> Iterator[tuple[int, list[Cell]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # one CSV record is one Excel row, even when a quoted cell spans several lines
        for number, cells in enumerate(reader, start=1):
            yield number, cells[:MAX_COLUMNS]
    except csv.Error as exc:
        raise TableError(msg.CSV_BROKEN) from exc


def _read_xlsx(data: bytes, max_rows: int) -> Table:
    # openpyxl raises many exception types on malformed input (zip, XML, KeyError, ValueError…);
    # all of them mean "not a readable .xlsx" to the user, so they are caught broadly here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. "Data Validation extension is not supported"
        try:
            _check_zip(data)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except TableError:
            raise
        except Exception as exc:
            raise TableError(msg.NOT_XLSX) from exc
        try:
            if not workbook.worksheets:
                raise TableError(msg.XLSX_NO_SHEET)
            return _build(_xlsx_records(workbook), max_rows)
        except TableError:
            raise
        except Exception as exc:
            raise TableError(msg.NOT_XLSX) from exc
        finally:
            workbook.close()


class _RowParser(WorkSheetParser):
    """openpyxl's sheet parser, reading each row's cells only up to MAX_COLUMNS."""

    def parse_row(self, row):
        number = row.get("r")
        self.row_counter = int(float(number)) if number else self.row_counter + 1
        self.col_counter = 0
        cells = []
        for element in row:
            cell = self.parse_cell(element)
            if cell["column"] > MAX_COLUMNS:
                break
            cells.append(cell)
        return self.row_counter, cells


def _xlsx_records(workbook) -> Iterator[tuple[int, list[Cell]]]:
    """The first sheet's rows as they are in the file: (row number, values), nothing padded.

    openpyxl's own row iterator fills every row missing between two present ones, so a sheet
    whose only far cell is at row 1,048,576 would cost a million rows; its parser, used here
    as the read-only worksheet uses it, yields the rows present only.
    """
    sheet = workbook.worksheets[0]
    with sheet._get_source() as source:
        parser = _RowParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: list[Cell] = [""] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = _xlsx_value(cell["value"])
            yield number, values


def _check_zip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    # zipfile never inflates a member beyond its declared file_size, so checking those is enough
    total = sum(m.file_size for m in members)
    compressed = sum(m.compress_size for m in members)
    too_large = len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED
    if too_large or (total > 1024 * 1024 and total > MAX_RATIO * max(compressed, 1)):
        raise TableError(msg.XLSX_TOO_LARGE.format(limit_mb=MAX_UNCOMPRESSED // (1024 * 1024)))


def _xlsx_value(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # Excel stores every number as a float: 3.0 is "3"
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) else value
    if isinstance(value, date | str):
        return value
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _is_blank(cell: Cell) -> bool:
    return isinstance(cell, str) and not cell.strip()


def _build(records: Iterable[tuple[int, list[Cell]]], max_rows: int) -> Table:
    header: list[str] | None = None
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    present_limit = PRESENT_ROWS_PER_DATA_ROW * max_rows
    for present, (number, cells) in enumerate(records, start=1):
        if present > present_limit:
            raise TableError(msg.TOO_MANY_PRESENT_ROWS.format(limit=present_limit))
        while cells and _is_blank(cells[-1]):
            cells.pop()
        if not cells:
            continue
        if header is None:
            header = [c.isoformat() if isinstance(c, date) else c.strip() for c in cells]
            continue
        if len(rows) >= max_rows:
            raise TableError(msg.TOO_MANY_ROWS.format(limit=max_rows))
        rows.append(cells)
        numbers.append(number)
    if header is None:
        raise TableError(msg.EMPTY)
    return Table(header=header, rows=rows, row_numbers=numbers)
