"""Loading the reference data in seed/: prefectures, municipalities, taxonomy, programs."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from talentpool.config import SEED_DIR
from talentpool.extensions import db
from talentpool.lgcode import is_valid
from talentpool.models import Municipality, Prefecture, TaxonomyTerm, TrainingProgram
from talentpool.models.region import MUNICIPALITY_KINDS


@dataclass
class SeedReport:
    """What a seed run changed, per table."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, created: bool) -> None:
        target = self.created if created else self.updated
        target[table] = target.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(report: SeedReport, table: str, existing, make, values: dict) -> object:
    """Create the row, or set the values that differ on the existing one."""
    if existing is None:
        obj = make(**values)
        db.session.add(obj)
        report.count(table, created=True)
        return obj
    changed = False
    for key, value in values.items():
        if getattr(existing, key) != value:
            setattr(existing, key, value)
            changed = True
    if changed:
        report.count(table, created=False)
    return existing


def seed_reference(seed_dir: Path = SEED_DIR) -> SeedReport:
    """Upsert all reference data on natural keys; running it twice changes nothing."""
    report = SeedReport()
    prefectures = {p.code: p for p in db.session.scalars(select(Prefecture))}
    for row in read_csv(seed_dir / "prefectures.csv"):
        prefectures[row["code"]] = _upsert(
            report,
            "prefecture",
            prefectures.get(row["code"]),
            Prefecture,
            {
                "code": row["code"],
                "lg_code": row["lg_code"],
                "name": row["name"],
                "name_kana": row["name_kana"],
            },
        )
    db.session.flush()

    municipalities = {m.lg_code: m for m in db.session.scalars(select(Municipality))}
    for row in read_csv(seed_dir / "municipalities.csv"):
        if not is_valid(row["lg_code"]):
            raise ValueError(f"invalid local government code in seed: {row['lg_code']}")
        _upsert(
            report,
            "municipality",
            municipalities.get(row["lg_code"]),
            Municipality,
            {
                "lg_code": row["lg_code"],
                "prefecture_id": prefectures[row["prefecture_code"]].id,
                "name": row["name"],
                "name_kana": row["name_kana"],
                "kind": MUNICIPALITY_KINDS[row["name"][-1]],
            },
        )

    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
    for position, row in enumerate(read_csv(seed_dir / "taxonomy.csv")):
        _upsert(
            report,
            "taxonomy_term",
            terms.get(row["code"]),
            TaxonomyTerm,
            {
                "code": row["code"],
                "label_ja": row["label_ja"],
                "label_en": row["label_en"],
                "category": row["category"],
                "position": position,
            },
        )

    programs = {
        p.name: p
        for p in db.session.scalars(
            select(TrainingProgram).where(TrainingProgram.prefecture_id.is_(None))
        )
    }
    for row in read_csv(seed_dir / "training_programs.csv"):
        _upsert(
            report,
            "training_program",
            programs.get(row["name"]),
            TrainingProgram,
            {
                "name": row["name"],
                "provider": row["provider"],
                "level": row["level"],
                "hours": int(row["hours"]),
                "audience": row["audience"],
                "prefecture_id": None,
                "fiscal_year": None,
            },
        )
    db.session.flush()
    return report


# --- reference data as pages read it, once per app ------------------------------------------
# Taxonomy terms and municipalities change only with `talentpool seed-reference` (another
# process; restart the server after it), so the filter forms' choices are read once per app
# and kept as plain values, not rows of one request's session.


@dataclass(frozen=True)
class Term:
    """A taxonomy term as the forms and the dashboard read it."""

    code: str
    label_ja: str
    label_en: str
    category: str
    position: int

    def label(self, locale: str | None = None) -> str:
        """As TaxonomyTerm.label."""
        if locale is None:
            from flask_babel import get_locale

            locale = str(get_locale() or "ja")
        return self.label_en if locale == "en" else self.label_ja


@dataclass(frozen=True)
class Place:
    """A municipality as the forms' choices read it."""

    id: int
    lg_code: str
    name: str


def _kept(key, read):
    from flask import current_app

    kept = current_app.extensions.setdefault("talentpool.reference", {})
    if key not in kept:
        kept[key] = read()
    return kept[key]


def terms() -> tuple[Term, ...]:
    """Every taxonomy term in taxonomy order (read once per app)."""
    return _kept(
        "terms",
        lambda: tuple(
            Term(t.code, t.label_ja, t.label_en, t.category, t.position)
            for t in db.session.scalars(select(TaxonomyTerm).order_by(TaxonomyTerm.position))
        ),
    )


def municipalities(prefecture_id: int) -> tuple[Place, ...]:
    """A prefecture's municipalities by local-government code (read once per app)."""
    return _kept(
        ("municipalities", prefecture_id),
        lambda: tuple(
            Place(m.id, m.lg_code, m.name)
            for m in db.session.execute(
                select(Municipality.id, Municipality.lg_code, Municipality.name)
                .where(Municipality.prefecture_id == prefecture_id)
                .order_by(Municipality.lg_code)
            )
        ),
    )
