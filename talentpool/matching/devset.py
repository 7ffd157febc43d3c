"""Load the labelled development set (bench/data/match_dev_*.csv) for benches and tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .specs import RequestSpec, TalentProfile

DEV_DIR = Path(__file__).resolve().parents[2] / "bench" / "data"


def _codes(value: str) -> frozenset[str]:
    return frozenset(c.strip() for c in value.split("|") if c.strip())


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes"}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class DevSet:
    """Talent, requests and graded relevance labels {(request_id, talent_id): 0..3}."""

    talent: list[TalentProfile]
    requests: list[RequestSpec]
    labels: dict[tuple[str, str], int]


def load_devset(directory: str | Path = DEV_DIR, prefix: str = "match_dev") -> DevSet:
    """Read ``{prefix}_talent.csv``, ``{prefix}_requests.csv`` and ``{prefix}_labels.csv``."""
    d = Path(directory)
    talent = [
        TalentProfile(
            id=r["id"],
            prefecture_code=r["prefecture_code"],
            kind=r["kind"],
            cio_candidate=_flag(r["cio_candidate"]),
            work_style=r["work_style"],
            available_hours=int(r["available_hours"]),
            area_municipality_codes=_codes(r["area_municipality_codes"]) or None,
            skills=_codes(r["skills"]),
            experience=r["experience"],
            qualifications=r["qualifications"],
            active=_flag(r["active"]),
            admin_training_done=_flag(r["admin_training_done"]),
            name=r.get("name", ""),
        )
        for r in _rows(d / f"{prefix}_talent.csv")
    ]
    requests = [
        RequestSpec(
            id=r["id"],
            prefecture_code=r["prefecture_code"],
            municipality_code=r["municipality_code"],
            title=r["title"],
            description=r["description"],
            skills=_codes(r["skills"]),
            hours_per_month=int(r["hours_per_month"]),
            headcount=int(r["headcount"]),
            onsite_required=_flag(r["onsite_required"]),
            wants_cio=_flag(r["wants_cio"]),
            municipality_small=_flag(r["municipality_small"]),
            municipality_supported=_flag(r["municipality_supported"]),
        )
        for r in _rows(d / f"{prefix}_requests.csv")
    ]
    labels = {
        (r["request_id"], r["talent_id"]): int(r["relevance"])
        for r in _rows(d / f"{prefix}_labels.csv")
    }
    return DevSet(talent, requests, labels)
