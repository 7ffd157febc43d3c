"""Spreadsheet import/export for every import and export in talentpool (pure Python).

Import: `read_table(data, filename)` → `parse(table, schema)` → `ParseResult` with clean rows,
row-by-row errors (Excel row number + Japanese column label) and notes. Export: `write_xlsx`,
`write_csv`. Messages shown to users are Japanese and live in `tabular.messages`.
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
from talentpool.tabular.writing import neutralize, write_csv, write_workbook, write_xlsx

__all__ = [
    "Cell",
    "Column",
    "ParseResult",
    "ParsedRow",
    "Parser",
    "RowError",
    "Schema",
    "Table",
    "TableError",
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
    "write_csv",
    "write_workbook",
    "write_xlsx",
]
