"""What an import preview shows, the same for every import: per row the fields that change
(old → new), and repeated errors folded into one line with their rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from talentpool.tabular import RowError

EMPTY = "—"
SHOWN_CHARACTERS = 80  # a long text is cut in the preview (the file has it all)
YES, NO = _l("はい"), _l("いいえ")
SEPARATOR = _l("、")  # ", " in English


@dataclass(frozen=True)
class FieldChange:
    """One field of one row: its label and the old and new values as shown to people."""

    label: Any
    before: Any
    after: Any


@dataclass
class RowChange:
    """A good row of an import: what it is (key and name) and what it does.

    `action` is "create", "update" or "unchanged"; `changes` lists the fields an update changes
    (a new row lists none: everything in it is new).
    """

    row: int
    key: str
    name: str
    action: str
    changes: Sequence[FieldChange] = field(default_factory=tuple)
    context: str = ""  # e.g. the municipality of a request


def shown(value: Any) -> Any:
    """A stored or imported value as the preview shows it (labels are the caller's business)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return str(SEPARATOR).join(str(v) for v in value)
    text = str(value)
    if len(text) > SHOWN_CHARACTERS:
        return text[: SHOWN_CHARACTERS - 1] + "…"
    return text


@dataclass(frozen=True)
class ErrorGroup:
    """Rows that share one problem (same column, same message)."""

    column_label: Any
    message: str
    rows: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def rows_text(self) -> str:
        return fold_rows(self.rows)


def group_errors(errors: Iterable[RowError]) -> list[ErrorGroup]:
    """Errors with the same column and message as one group each, in order of first row."""
    groups: dict[tuple[str, str], list[int]] = {}
    labels: dict[tuple[str, str], Any] = {}
    for error in errors:
        key = (str(error.column_label or ""), str(error.message))
        groups.setdefault(key, []).append(error.row)
        labels.setdefault(key, error.column_label)
    return [
        ErrorGroup(labels[key], key[1], tuple(sorted(set(rows)))) for key, rows in groups.items()
    ]


def fold_rows(rows: Iterable[int]) -> str:
    """Row numbers with runs folded: 2, 3, 4, 5, 9 → "2–5, 9" (0 is the file itself: "—")."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if start is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}–{previous}")
        start = previous = number
    return ", ".join(p for p in parts if p != "0") or EMPTY
