"""Import templates: an .xlsx with the import's headers, drop-down lists for coded columns and a
sheet listing every valid code with its label, so a file made from it imports cleanly."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from talentpool.tabular import messages as msg
from talentpool.tabular.writing import guard_cell

ROWS = 1000  # rows of the data sheet that get the drop-downs and text formats
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Choices:
    """What a column may hold: (value to enter, what it means) pairs, listed on the codes sheet.

    `strict` lists refuse other input; a loose one (several values in one cell, such as skills
    separated by ";") only offers its values.
    """

    values: Sequence[tuple[str, str]]
    strict: bool = True


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    hint: str = ""
    choices: Choices | None = None
    text: bool = False  # a code with leading zeros: format the cells as text
    width: int = 16


def write_template(
    columns: Sequence[TemplateColumn], *, sheet_title: str, codes_title: str = ""
) -> bytes:
    """The template's bytes: the data sheet first (the importer reads the first sheet), then
    the codes sheet when any column has choices."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    codes = None
    if any(c.choices for c in columns):
        codes = book.create_sheet((codes_title or str(msg.CODES_SHEET))[:31])
    code_column = 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(1, index, column.header)
        cell.font = BOLD
        guard_cell(cell)
        sheet.column_dimensions[letter].width = column.width
        target = f"{letter}2:{letter}{ROWS + 1}"
        if column.text:
            for (data_cell,) in sheet.iter_rows(
                min_row=2, max_row=ROWS + 1, min_col=index, max_col=index
            ):
                data_cell.number_format = "@"
        if column.choices is None:
            if column.hint:
                _prompt(sheet, column, target, None)
            continue
        source = _list_codes(codes, code_column, column)
        _prompt(sheet, column, target, source)
        code_column += 3
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _list_codes(codes, first: int, column: TemplateColumn) -> str:
    """Write one column's values on the codes sheet; return the range the drop-down uses."""
    value_letter, meaning_letter = get_column_letter(first), get_column_letter(first + 1)
    codes.cell(1, first, column.header).font = BOLD
    codes.cell(1, first + 1, str(msg.CODES_MEANING)).font = BOLD
    for row, (value, meaning) in enumerate(column.choices.values, start=2):
        guard_cell(codes.cell(row, first, value))
        guard_cell(codes.cell(row, first + 1, meaning))
    codes.column_dimensions[value_letter].width = max(
        12, *(len(v) * 2 + 2 for v, _ in column.choices.values)
    )
    codes.column_dimensions[meaning_letter].width = 24
    last = len(column.choices.values) + 1
    title = codes.title.replace("'", "''")
    return f"'{title}'!${value_letter}$2:${value_letter}${last}"


def _prompt(sheet, column: TemplateColumn, target: str, source: str | None) -> None:
    if source is None:
        validation = DataValidation(allow_blank=True)
    else:
        validation = DataValidation(
            type="list",
            formula1=source,  # OOXML keeps formulas without the leading "="
            allow_blank=True,
            showErrorMessage=column.choices.strict,
            errorTitle=str(msg.CODES_ERROR_TITLE)[:32],
            error=str(msg.CODES_ERROR.format(label=column.header))[:255],
        )
    if column.hint:
        validation.showInputMessage = True
        validation.promptTitle = column.header[:32]
        validation.prompt = column.hint[:255]
    validation.add(target)
    sheet.add_data_validation(validation)
