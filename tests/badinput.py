"""Shared bits of the bad-input tests: hostile payloads, broken files, and a row-count snapshot
to prove that a refused request changed nothing."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Base

#: Markup that would run if any page or mail printed it unescaped.
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
#: A cell that a spreadsheet would run as a formula if an export wrote it as is.
FORMULA = '=HYPERLINK("http://evil.invalid/","click")'
#: What search boxes get: SQL fragments and LIKE wildcards.
SQL_LIKE = [
    "' OR '1'='1",
    "'; DROP TABLE talent; --",
    '" OR 1=1 --',
    "%",
    "_",
    "\\",
    "%' --",
    "1; SELECT pg_sleep(5)",
    "\x00",
]
#: Numbers nobody means: too big, negative, not numbers.
ABSURD_NUMBERS = [
    "1000000000000",
    "-1",
    "NaN",
    "1e3",
    "12.5",
    "inf",
    "0x10",
    "９９９９９９９９９９９９",
]
#: Dates nobody means.
ABSURD_DATES = [
    "9999-12-31",
    "2026-02-30",
    "0000-01-01",
    "2026-13-01",
    "令和99年1月1日",
    "yesterday",
]


def row_counts() -> dict[str, int]:
    """Rows per table (call inside an app context)."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def not_excel() -> bytes:
    return b"%PDF-1.4 this is not a spreadsheet at all\n" * 20


def zip_bomb(megabytes: int = 50) -> bytes:
    """An .xlsx-shaped zip whose sheet inflates ~1000× (the ratio guard must refuse it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def broken_cp932(header: str) -> bytes:
    """A CSV whose bytes are neither UTF-8 nor CP932 (a lead byte with an impossible trail)."""
    return header.encode("cp932") + b"\r\n\x81\x39\x82\xff,\x83\r\n"


def many_rows(header: str, row: str, count: int = 100_000) -> bytes:
    return (header + "\r\n" + (row + "\r\n") * count).encode("utf-8")


def sparse_xlsx(header: list[str]) -> bytes:
    """A 5 KB workbook: the header, then one cell at Excel's last row (1,048,576)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.cell(row=1048576, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sparse_csv(header: str) -> bytes:
    """The CSV counterpart: the header, a million empty lines, then one value."""
    return (header + "\r\n" + "\r\n" * 1_048_574 + "x\r\n").encode("utf-8")


def euc_jp_csv(header: str) -> bytes:
    return (header + "\r\nT1,山田 太郎,032018\r\nT2,鈴木 花子,032018\r\n").encode("euc_jp")


def mixed_utf8_cp932_csv(header: str) -> bytes:
    """Two files joined: the header and a row in UTF-8, another row in CP932."""
    return (header + "\r\nT1,山田 太郎,032018\r\n").encode("utf-8") + (
        "T2,鈴木 花子,032018\r\n".encode("cp932")
    )


def json_named_csv() -> bytes:
    return b'{"name": "\xe5\xb1\xb1\xe7\x94\xb0", "email": "yamada@example.jp"}\n'


#: Reference tables: compared by count only (they are large and never written by a form).
REFERENCE_TABLES = {"prefecture", "municipality", "taxonomy_term"}


def fingerprint() -> dict[str, object]:
    """Every row of every domain table (reference tables: their count), to prove a refused
    request wrote nothing at all — no new row, no changed value (call inside an app context).
    Staged uploads are left out: an import's preview keeps its file there until the commit."""
    out: dict[str, object] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "staged_upload":
            continue
        if table.name in REFERENCE_TABLES:
            out[table.name] = db.session.scalar(select(func.count()).select_from(table))
        else:
            out[table.name] = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
    return out


class _ErrorText(HTMLParser):
    """Collects the text of error elements: field errors, error summaries, error flashes."""

    CLASSES = ("field__errors", "error-summary", "flash--error")

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "br", "img", "hr", "meta", "link"):
            return
        classes = dict(attrs).get("class") or ""
        if self.depth or any(name in classes for name in self.CLASSES):
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if not self.depth:
                self.parts.append("|")

    def handle_data(self, data):
        if self.depth and data.strip():
            self.parts.append(data.strip())


def error_text(html: str) -> str:
    """The error messages a page shows, joined (empty when it shows none)."""
    parser = _ErrorText()
    parser.feed(html)
    return " ".join(parser.parts).replace(" | ", " | ").strip(" |")


#: Free text a property test mixes in: markup, formulas, SQL, odd whitespace and scripts.
HOSTILE_TEXTS = [
    XSS,
    FORMULA,
    *SQL_LIKE[:3],
    "\u3000",
    "ｱｲｳ",
    "𠮷野家",
    "‮RTL",
    "a" * 300,
    "\r\n",
    "  ",
    "null",
    "None",
    "0",
]
