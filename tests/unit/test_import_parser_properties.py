"""Property tests of the import parser (talentpool.tabular) with every real import schema:
whatever the bytes or cells, the outcome is a table or a TableError, and a ParseResult whose
every data row is either clean or reported — never another exception."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.models import TaxonomyTerm
from talentpool.services.pool import talent_format
from talentpool.services.training import files as training_files
from talentpool.tabular import ParseResult, Table, TableError, parse, read_table
from talentpool.training.views import TARGET_SCHEMA

TERMS = [TaxonomyTerm(code="cloud", label_ja="クラウド", label_en="Cloud", category="technical")]
SCHEMAS = {
    "pool": talent_format.schema(TERMS, pool=True),
    "national": talent_format.schema(TERMS, pool=False),
    "training": training_files.SCHEMA,
    "targets": TARGET_SCHEMA,
}
HEADERS = {name: [column.key for column in schema.columns] for name, schema in SCHEMAS.items()}
SETTINGS = settings(database=None, max_examples=100, deadline=None)

#: Cells: anything typed, plus the values each column is most likely to choke on.
CELLS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e12",
            "NaN",
            "9999-12-31",
            "2026-02-30",
            "令和99年1月1日",
            "032018",
            "99",
            "はい",
            "maybe",
            "=1+1",
            "<script>x</script>",
            "a@b",
            "cloud;cloud",
            "\u3000",
            "１２",
            "\r\n",
            '"',
            "\x00",
        ]
    ),
)


@SETTINGS
@given(data=st.binary(max_size=2000), extension=st.sampled_from(["xlsx", "csv", "txt", "pdf"]))
def test_any_bytes_read_as_a_table_or_a_table_error(data, extension):
    try:
        table = read_table(data, f"upload.{extension}")
    except TableError as error:
        assert str(error)  # a message for the user
    else:
        assert isinstance(table, Table)
        assert len(table.rows) == len(table.row_numbers)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


@SETTINGS
@given(name=st.sampled_from(sorted(SCHEMAS)), data=st.data())
def test_any_cells_parse_into_clean_rows_or_reported_errors(name, data):
    header = HEADERS[name]
    rows = data.draw(
        st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=8)
    )
    try:
        table = read_table(_csv(header, rows), "upload.csv")
    except TableError:
        return  # e.g. NUL bytes: refused as a file, with a message
    result = parse(table, SCHEMAS[name])
    assert isinstance(result, ParseResult)
    clean = {row.row_number for row in result.rows}
    reported = {error.row for error in result.errors}
    assert not clean & reported  # a row is clean or in error, never both
    assert clean | reported >= set(table.row_numbers) - _blank_rows(table)
    for error in result.errors:
        assert error.message


def _blank_rows(table: Table) -> set[int]:
    return {
        n
        for n, row in zip(table.row_numbers, table.rows, strict=True)
        if all(isinstance(c, str) and not c.strip() for c in row)
    }
