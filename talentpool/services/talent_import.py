"""Importing talent from .xlsx/CSV: a plan (preview, nothing written), then one apply.

`plan_pool_import` / `plan_national_import` read and check every row (file format, values, the
domain's rules, the prefecture) and say for each good row whether it creates or updates a
profile (upsert on the external id, per prefecture for the pool). `apply_import` writes the
plan in one flush; the caller commits once, so a failure leaves nothing half-imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import NationalListEntry, Prefecture, Talent
from talentpool.services import talent_format
from talentpool.services.errors import DomainError
from talentpool.services.talent import Lookups, apply_values, check_values
from talentpool.tabular import ParseResult, RowError, TableError, parse, read_table

_CHUNK = 500  # ids per IN (...) when loading the profiles an import updates


@dataclass
class PlannedRow:
    """A good row: what it will write, and to which existing profile (None: a new one)."""

    row_number: int
    values: dict[str, Any]
    prefecture_id: int | None = None
    existing_id: int | None = None

    @property
    def is_new(self) -> bool:
        return self.existing_id is None

    @property
    def external_id(self) -> str:
        return self.values["external_id"]

    @property
    def name(self) -> str:
        return self.values["name"]


@dataclass
class ImportPlan:
    """The outcome of checking a file; `errors` are sorted by row."""

    national: bool
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> int:
        """How many rows (or the file itself) have errors."""
        return len({error.row for error in self.errors})

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.is_new)

    @property
    def updated(self) -> int:
        return len(self.rows) - self.created


def _parse(
    data: bytes, filename: str, national: bool, lookups: Lookups
) -> tuple[ImportPlan, ParseResult]:
    plan = ImportPlan(national=national)
    schema = talent_format.schema(lookups.terms().values(), pool=not national)
    try:
        table = read_table(data, filename)
    except TableError as error:
        plan.errors.append(RowError(0, "", str(error)))
        return plan, ParseResult()
    result = parse(table, schema)
    plan.errors.extend(result.errors)
    plan.notes.extend(result.notes)
    return plan, result


def _check_row(plan: ImportPlan, row: PlannedRow, labels, lookups: Lookups) -> bool:
    try:
        check_values(row.values, prefecture_id=row.prefecture_id, lookups=lookups)
    except DomainError as error:
        label = labels.get(error.field or "", "")
        plan.errors.append(RowError(row.row_number, label, str(error.message)))
        return False
    return True


def plan_pool_import(data: bytes, filename: str, *, prefecture_code: str | None) -> ImportPlan:
    """Check a pool file. With `prefecture_code` every row goes to that prefecture (a row naming
    another one is an error); without it (the CLI's whole-country mode) each row names its own.
    """
    lookups = Lookups()
    plan, result = _parse(data, filename, False, lookups)
    labels = talent_format.labels(pool=True)
    prefectures = {p.code: p.id for p in db.session.scalars(select(Prefecture))}
    label = labels["prefecture_code"]
    for parsed in result.rows:
        values = dict(parsed.values)
        code = values.pop("prefecture_code", None)
        if prefecture_code is not None and code not in (None, prefecture_code):
            plan.errors.append(
                RowError(
                    parsed.row_number,
                    label,
                    str(
                        _l(
                            "自分の都道府県(%(own)s)以外の人材は取り込めません(入力値: %(code)s)。",
                            own=prefecture_code,
                            code=code,
                        )
                    ),
                )
            )
            continue
        code = code or prefecture_code
        if code is None:
            plan.errors.append(RowError(parsed.row_number, label, str(_l("入力が必要です。"))))
            continue
        row = PlannedRow(parsed.row_number, values, prefectures[code])
        if _check_row(plan, row, labels, lookups):
            plan.rows.append(row)
    existing: dict[tuple[int, str], int] = {}
    for pref_id in {row.prefecture_id for row in plan.rows}:
        found = db.session.execute(
            select(Talent.external_id, Talent.id).where(
                Talent.prefecture_id == pref_id, Talent.external_id.is_not(None)
            )
        )
        existing.update({(pref_id, ext): tid for ext, tid in found})
    for row in plan.rows:
        row.existing_id = existing.get((row.prefecture_id, row.external_id))
    _check_reserved_hours(plan, labels)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _check_reserved_hours(plan: ImportPlan, labels: dict[str, str]) -> None:
    """A row may not lower a talent's hours below what active assignments reserve."""
    from talentpool.services.capacity import reserved_hours_by_talent

    reserved = reserved_hours_by_talent(
        [row.existing_id for row in plan.rows if row.existing_id is not None]
    )
    keep = []
    for row in plan.rows:
        hours = row.values.get("available_hours_per_month")
        booked = reserved.get(row.existing_id, 0)
        if hours is not None and hours < booked:
            plan.errors.append(
                RowError(
                    row.row_number,
                    labels["available_hours_per_month"],
                    str(
                        _l(
                            "確定済みの派遣で月%(reserved)d時間が予約されているため、"
                            "それより少なくできません。",
                            reserved=booked,
                        )
                    ),
                )
            )
        else:
            keep.append(row)
    plan.rows = keep


def plan_national_import(data: bytes, filename: str) -> ImportPlan:
    """Check a national-list file (no prefecture; a prefecture column is ignored with a note)."""
    lookups = Lookups()
    plan, result = _parse(data, filename, True, lookups)
    labels = talent_format.labels(pool=False)
    for parsed in result.rows:
        row = PlannedRow(parsed.row_number, dict(parsed.values))
        if _check_row(plan, row, labels, lookups):
            plan.rows.append(row)
    existing = {
        ext: entry_id
        for ext, entry_id in db.session.execute(
            select(NationalListEntry.external_id, NationalListEntry.id)
        )
    }
    for row in plan.rows:
        row.existing_id = existing.get(row.external_id)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _load(model, ids: list[int]) -> dict[int, Any]:
    options = [selectinload(model.skills)]
    if model is Talent:
        options.append(selectinload(Talent.areas))
    loaded: dict[int, Any] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        loaded.update(
            (p.id, p)
            for p in db.session.scalars(select(model).where(model.id.in_(chunk)).options(*options))
        )
    return loaded


def apply_import(plan: ImportPlan, *, good_rows_only: bool = False) -> ImportPlan:
    """Write the plan's good rows in one flush; the caller commits (or rolls back) once.

    A plan with errors is refused unless `good_rows_only` says the user accepted leaving the
    bad rows out.
    """
    if plan.errors and not good_rows_only:
        raise DomainError(
            _l(
                "エラーのある行があるため取り込めません。"
                "ファイルを修正するか、正常な行だけを取り込んでください。"
            )
        )
    if not plan.rows:
        raise DomainError(_l("取り込める行がありません。"))
    model = NationalListEntry if plan.national else Talent
    existing = _load(model, [row.existing_id for row in plan.rows if not row.is_new])
    lookups = Lookups()
    for row in plan.rows:
        if row.is_new:
            profile = model(
                name="",
                kind="external",
                **({} if plan.national else {"prefecture_id": row.prefecture_id}),
            )
            db.session.add(profile)
        else:
            profile = existing[row.existing_id]
        apply_values(profile, row.values, lookups)
    db.session.flush()
    return plan


def row_errors_text(errors: Iterable[RowError]) -> list[str]:
    """Errors as lines for the CLI (a file-level problem has no row)."""
    return [str(error) if error.row else error.message for error in errors]
