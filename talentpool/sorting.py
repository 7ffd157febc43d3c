"""Sorting lists by their columns: ``?sort=<key>&dir=asc|desc`` from the column headers.

Each list names its keys and what they order by; a key it does not know falls back to its
default (never an error), and the row id always breaks ties so pages never overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import request
from sqlalchemy import ColumnElement


@dataclass(frozen=True)
class Column:
    """What a sort key orders by (ascending), and whether a first click sorts descending."""

    expressions: Sequence[ColumnElement]
    descending_first: bool = False


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool
    #: key → whether a first click sorts descending (for the header links)
    defaults: Mapping[str, bool] = field(default_factory=dict)

    def next_direction(self, key: str) -> str:
        """The direction a click on `key`'s header asks for."""
        if key == self.key:
            return "asc" if self.descending else "desc"
        return "desc" if self.defaults.get(key) else "asc"


def choose(
    columns: Mapping[str, Column], key: str | None, default: str, direction: str = ""
) -> Sort:
    """The sort for a key and direction as given (unknown ones fall back to the defaults).
    A `default` of "" means the list's own order (no column chosen)."""
    if key not in columns:
        key = default
    first = columns[key].descending_first if key else False
    descending = direction == "desc" if direction in ("asc", "desc") else first
    return Sort(key, descending, {k: c.descending_first for k, c in columns.items()})


def read(columns: Mapping[str, Column], default: str, prefix: str = "") -> Sort:
    """The sort the query string asks for (``sort``/``dir``, or with a prefix: ``usort``)."""
    return choose(
        columns,
        request.args.get(f"{prefix}sort"),
        default,
        request.args.get(f"{prefix}dir", ""),
    )


def order(columns: Mapping[str, Column], sort: Sort, tie: ColumnElement) -> list:
    """ORDER BY clauses for `sort`: empty values last in either direction, then `tie`
    (nothing when no column is chosen)."""
    if not sort.key:
        return []
    clauses: list = []
    for expression in columns[sort.key].expressions:
        clauses += [expression.is_(None), expression.desc() if sort.descending else expression]
    return [*clauses, tie.desc() if sort.descending else tie]
