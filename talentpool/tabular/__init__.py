"""Spreadsheet import/export for every import and export in talentpool (pure Python).

Import: `read_table(data, filename)` → `parse(table, schema)` → `ParseResult` with clean rows,
row-by-row errors (Excel row number + Japanese column label) and notes. Export: `write_xlsx`,
`write_csv`, `write_template` (an import template with drop-down lists). Messages shown to users
are Japanese (translated for display) and live in `tabular.messages`.
"""

from talentpool.tabular.dates import parse_date
from talentpool.tabular.parsers import (
    Parser,
    parse_bool,
    parse_choice,
    parse_email,
    parse_int,
    parse_lg_code,
    parse_list,
    parse_prefecture_code,
    parse_str,
)
from talentpool.tabular.reading import Cell, Table, TableError, read_table
from talentpool.tabular.schema import Column, ParsedRow, ParseResult, RowError, Schema, parse
from talentpool.tabular.template import Choices, TemplateColumn, write_template
from talentpool.tabular.writing import (
    guard_cell,
    neutralize,
    unguard,
    write_csv,
    write_workbook,
    write_xlsx,
)

__all__ = [
    "Cell",
    "Choices",
    "Column",
    "ParseResult",
    "ParsedRow",
    "Parser",
    "RowError",
    "Schema",
    "Table",
    "TemplateColumn",
    "TableError",
    "guard_cell",
    "neutralize",
    "parse",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_email",
    "parse_int",
    "parse_lg_code",
    "parse_list",
    "parse_prefecture_code",
    "parse_str",
    "read_table",
    "unguard",
    "write_csv",
    "write_template",
    "write_workbook",
    "write_xlsx",
]
