"""Starter texts for new requests, one per focus area (seed/request_templates.csv).

Officers who "don't know what to ask" pick one; the new-request form is pre-filled from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from talentpool.config import SEED_DIR
from talentpool.services.reference import read_csv

TEMPLATES_FILE = SEED_DIR / "request_templates.csv"


@dataclass(frozen=True)
class RequestTemplate:
    focus_code: str
    title: str
    description: str
    skills: tuple[str, ...]
    hours_per_month: int


@cache
def request_templates() -> dict[str, RequestTemplate]:
    """All templates by focus-area code, in file order (read once per process)."""
    return {
        row["focus_code"]: RequestTemplate(
            focus_code=row["focus_code"],
            title=row["title"],
            description=row["description"],
            skills=tuple(c for c in row["skills"].split(";") if c),
            hours_per_month=int(row["hours_per_month"]),
        )
        for row in read_csv(TEMPLATES_FILE)
    }


def find_template(focus_code: str | None) -> RequestTemplate | None:
    """The template for a focus-area code, or None for an empty or unknown code."""
    return request_templates().get(focus_code or "")
