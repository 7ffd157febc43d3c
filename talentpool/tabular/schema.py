"""Map a `Table` onto a caller's schema of columns and parse it row by row.

Header cells match a column's key, Japanese label or aliases after NFKC, casefolding and removing
spaces, so "氏名", "氏 名" and "ＮＡＭＥ" all find their column. Every problem is collected with its
Excel row number and the column's label (Japanese, translated for display); a row with any problem
is left out of `rows`. Text cells lose the apostrophe our own export put before formula-like text
(`writing.unguard`), so an exported file reads back as it was written.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import force_locale

from talentpool.tabular import messages as msg
from talentpool.tabular.parsers import Parser, parse_str, show
from talentpool.tabular.reading import Table
from talentpool.tabular.writing import unguard
from talentpool.text import search_key


def header_key(text: str) -> str:
    """Return the form in which header cells and column names are compared."""
    return "".join(search_key(text).split())


@dataclass(frozen=True)
class Column:
    """One importable column: `required` means the header must exist and every row needs a value.

    `label_ja` is the Japanese header (the one exports write); it may be a lazy translatable
    string, shown in the user's language in messages but always matched in Japanese.
    """

    key: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    parser: Parser = field(default_factory=parse_str)
    label_ja: Any = ""

    @property
    def label(self) -> Any:
        """The name shown to users in messages (in their language)."""
        return self.label_ja or self.key

    @property
    def header(self) -> str:
        """The Japanese header text, whatever the user's language."""
        with force_locale("ja"):
            return str(self.label_ja or self.key)


@dataclass(frozen=True)
class Schema:
    """The columns of one kind of import; values of `unique` keys must not repeat in a file."""

    columns: Sequence[Column]
    unique: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        keys = {c.key for c in self.columns}
        if len(keys) != len(self.columns) or not set(self.unique) <= keys:
            raise ValueError("column keys must be distinct and unique keys must be columns")


@dataclass(frozen=True)
class RowError:
    """A problem at an Excel row (1 = the header row, for file-level problems) and column."""

    row: int
    column_label: Any
    message: str

    def __str__(self) -> str:
        if self.column_label:
            where = msg.ROW_COLUMN.format(row=self.row, column=self.column_label)
        else:
            where = msg.ROW.format(row=self.row)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ParsedRow:
    """A row that parsed cleanly; `values` holds the columns present in the file, by key."""

    row_number: int
    values: dict[str, Any]


@dataclass
class ParseResult:
    """Clean rows, problems and informational notes of one parsed file."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors, i.e. it may be committed."""
        return not self.errors


def parse(table: Table, schema: Schema) -> ParseResult:
    """Parse every row of `table` with `schema`; see `ParseResult`.

    Missing required columns and duplicated headers are reported at row 1 and stop parsing.
    Columns absent from the file are absent from `ParsedRow.values`.
    """
    result = ParseResult()
    positions = _map_header(table.header, schema, result)
    if result.errors:
        return result
    seen: dict[str, dict[Any, int]] = {key: {} for key in schema.unique}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        errors_before = len(result.errors)
        values: dict[str, Any] = {}
        for column, index in positions:
            raw = cells[index] if index < len(cells) else ""
            if isinstance(raw, str):
                raw = unguard(raw)
            try:
                value = column.parser(raw)
            except ValueError as exc:
                result.errors.append(RowError(number, column.label, str(exc)))
                continue
            if column.required and value in (None, "", []):
                result.errors.append(RowError(number, column.label, str(msg.REQUIRED_VALUE)))
                continue
            values[column.key] = value
            if column.key in seen and value not in (None, ""):
                _check_unique(seen[column.key], value, number, column, result)
        if len(result.errors) == errors_before:
            result.rows.append(ParsedRow(number, values))
    return result


def _check_unique(
    seen: dict[Any, int], value: Any, number: int, column: Column, result: ParseResult
) -> None:
    key = search_key(value) if isinstance(value, str) else value
    if key in seen:
        message = msg.DUPLICATE_VALUE.format(value=show(value), row=seen[key])
        result.errors.append(RowError(number, column.label, message))
    else:
        seen[key] = number


def _map_header(header: list[str], schema: Schema, result: ParseResult) -> list[tuple[Column, int]]:
    by_name: dict[str, Column] = {}
    for column in schema.columns:
        for name in (column.key, column.header, *column.aliases):
            if name:
                by_name[header_key(name)] = column
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = by_name.get(header_key(cell))
        if not cell:
            result.notes.append(msg.BLANK_HEADER.format(index=index + 1))
        elif column is None:
            result.notes.append(msg.IGNORED_COLUMN.format(header=cell))
        elif column.key in found:
            first = header[found[column.key]]
            text = msg.DUPLICATE_HEADER.format(label=column.label, first=first, second=cell)
            result.errors.append(RowError(1, column.label, text))
        else:
            found[column.key] = index
    missing = [c.label for c in schema.columns if c.required and c.key not in found]
    if missing:
        result.errors.append(
            RowError(1, "", msg.MISSING_COLUMNS.format(labels="、".join(map(str, missing))))
        )
    return [(c, found[c.key]) for c in schema.columns if c.key in found]
