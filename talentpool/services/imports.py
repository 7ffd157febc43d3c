"""What every import shares: its mode, its one report, reading the file, and the rule that
decides whether the rows are kept.

Every import (pool, national list, requests, training records, training targets) reads a file,
checks each row and says per good row what it creates or changes. It runs twice over the same
staged file: a preview (`dry_run`, nothing kept), then a commit in the mode the user chose.
The web pages and the CLI read only the `ImportReport`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from talentpool.extensions import db
from talentpool.services.errors import DomainError
from talentpool.services.import_changes import RowChange
from talentpool.tabular import ParsedRow, RowError, Schema, TableError, parse, read_table


class ImportMode(StrEnum):
    """What a commit keeps when some rows have errors."""

    all_or_nothing = "all"  # nothing, unless every row is good
    valid_rows_only = "valid"  # the rows without errors (CLI: --valid-only)


#: Why a commit in `ImportMode.all_or_nothing` kept nothing.
REFUSED = _l(
    "エラーのある行があるため取り込めません(何も取り込みませんでした)。"
    "ファイルを修正するか、エラーのない行だけを取り込んでください。"
)
CONFLICT = _l("他の操作と競合しました。もう一度取り込んでください。")


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do).

    `rows` are the good rows in file order (each a `RowChange`; an importer may keep more on
    it); `errors` are sorted by row, row 0 being the file itself and row 1 its header.
    """

    rows: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Rows worth a second look that are still imported (e.g. possible duplicates).
    warnings: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total_rows: int = 0  # data rows in the file
    created_leaders: int = 0  # DX leaders registered on the way (training records)
    committed: bool = False  # the rows were written, for the caller to commit

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_error(self) -> str | None:
        """Why the file could not be read at all, if so."""
        return next((e.message for e in self.errors if e.row == 0), None)

    @property
    def unusable(self) -> bool:
        """The file itself (not a row) is at fault: unreadable, or a wrong header."""
        return any(e.row <= 1 for e in self.errors)

    @property
    def error_rows(self) -> int:
        """How many rows (or the file itself) have errors."""
        return len({e.row for e in self.errors})

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changes(self) -> list[RowChange]:
        """The rows that create or change something, as the preview lists them."""
        return [row for row in self.rows if row.action != "unchanged"]


def read_rows(data: bytes, filename: str, schema: Schema, report: ImportReport) -> list[ParsedRow]:
    """The file's clean rows; its problems and notes go to `report` (none for a bad file)."""
    try:
        table = read_table(data, filename)
    except TableError as error:
        report.errors.append(RowError(0, "", str(error)))
        return []
    result = parse(table, schema)
    report.total_rows = len(table.rows)
    report.errors.extend(result.errors)
    report.notes.extend(result.notes)
    return result.rows


def keeps(report: ImportReport, mode: ImportMode, dry_run: bool) -> bool:
    """Whether a run's rows are kept: not in a preview, and with errors only when asked."""
    return not dry_run and (report.ok or mode == ImportMode.valid_rows_only)


def rehearse(
    rows: Iterable[ParsedRow],
    apply_row: Callable[[dict[str, Any]], RowChange],
    report: ImportReport,
    *,
    label_of: Callable[[str | None], Any],
    mode: ImportMode,
    dry_run: bool,
) -> ImportReport:
    """Apply each row through the services, each in its own savepoint, and keep them all or
    roll them all back at the end (see `keeps`); the caller commits.

    A row the services refuse (`DomainError`) becomes an error at the column `label_of` names
    for the error's field, and leaves nothing behind; so a preview is an exact rehearsal.
    """
    run = db.session.begin_nested()
    for row in rows:
        step = db.session.begin_nested()
        leaders = report.created_leaders
        try:
            outcome = apply_row(row.values)
            step.commit()
        except DomainError as error:
            step.rollback()
            report.created_leaders = leaders
            report.errors.append(
                RowError(row.row_number, label_of(error.field), str(error.message))
            )
            continue
        except IntegrityError:  # a concurrent change took the same key meanwhile
            step.rollback()
            report.created_leaders = leaders
            report.errors.append(RowError(row.row_number, "", str(CONFLICT)))
            continue
        outcome.row = row.row_number
        report.rows.append(outcome)
    report.errors.sort(key=lambda e: e.row)
    report.committed = keeps(report, mode, dry_run)
    if report.committed:
        run.commit()
    else:
        run.rollback()
    return report


def error_lines(errors: Iterable[RowError]) -> list[str]:
    """Errors as lines for the CLI (a problem of the file itself has no row)."""
    return [str(error) if error.row else error.message for error in errors]
