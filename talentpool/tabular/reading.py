"""Read an uploaded spreadsheet (.xlsx, or CSV in UTF-8/CP932) into a plain `Table`.

Everything that can go wrong with the file itself becomes a `TableError` with a Japanese message;
no openpyxl, zip or codec exception escapes.
"""

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl

from talentpool.tabular import messages as msg

Cell = str | date  # an Excel date cell arrives as date (or datetime when it has a time)

MAX_UNCOMPRESSED = 100 * 1024 * 1024  # zip-bomb guard: declared uncompressed total of an .xlsx
MAX_RATIO = 200  # ...and its compression ratio, checked once the total exceeds 1 MB
MAX_MEMBERS = 10_000
MAX_COLUMNS = 256  # a cell at column XFD would otherwise pad every row to 16,384 cells

# single bytes that cp932 decodes to C1 controls or private use: a sign the file is not CP932
_NOT_TEXT = re.compile("[\x00\x80-\x9f\uf8f0-\uf8f3]")


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
    or without BOM) or CP932/Shift_JIS, comma- or tab-separated. Raises `TableError`.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _read_xlsx(data, max_rows)
    if extension in ("csv", "txt"):
        return _build(_csv_records(_decode(data)), max_rows)
    raise TableError(msg.UNKNOWN_EXTENSION.format(ext=f".{extension}" if extension else filename))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode テキスト"
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp932"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _NOT_TEXT.search(text):
            return text
    raise TableError(msg.ENCODING)


def _csv_records(text: str) -> Iterator[tuple[int, list[Cell]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # one CSV record is one Excel row, even when a quoted cell spans several lines
        yield from enumerate(reader, start=1)
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
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # declared dimensions are often wrong; read what is there
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            records = ((n, [_xlsx_value(v) for v in row]) for n, row in enumerate(rows, start=1))
            return _build(records, max_rows)
        except TableError:
            raise
        except Exception as exc:
            raise TableError(msg.NOT_XLSX) from exc
        finally:
            workbook.close()


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
    for number, cells in records:
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
