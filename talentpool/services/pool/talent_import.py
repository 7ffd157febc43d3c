"""Importing talent from .xlsx/CSV: a plan (preview, nothing written), then one apply.

`plan_pool_import` / `plan_national_import` read and check every row (file format, values, the
domain's rules, the prefecture) and say for each good row whether it creates a profile, changes
one (which fields, old → new) or leaves it as it is (upsert on the external id, per prefecture
for the pool). A value that reads the same as the stored one once normalised (全角/半角, spaces,
line breaks) is no change, so an exported file imports back without touching anything.
`apply_import` writes the plan in one flush; the caller commits once, so a failure leaves
nothing half-imported. The plan is the `ImportReport` every import fills (services.imports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import (
    ExternalRole,
    NationalListEntry,
    Prefecture,
    Talent,
    TalentKind,
    WorkStyle,
)
from talentpool.services.errors import DomainError
from talentpool.services.import_changes import FieldChange, RowChange, shown
from talentpool.services.imports import ImportMode, ImportReport, keeps, read_rows
from talentpool.services.offers.capacity import reserved_hours_by_talent
from talentpool.services.pool import talent_format
from talentpool.services.pool.talent import (
    Lookups,
    apply_values,
    check_values,
    effective_value,
    stored_value,
)
from talentpool.tabular import Column, ParsedRow, RowError
from talentpool.text import search_key

_CHUNK = 500  # ids per IN (...) when loading the profiles an import updates


@dataclass
class PlannedRow(RowChange):
    """A good row: what it will write, and to which existing profile (None: a new one)."""

    values: dict[str, Any] = field(default_factory=dict)
    prefecture_id: int | None = None
    existing_id: int | None = None
    #: For an existing profile: the fields the row changes, {key: (current, new)}.
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.existing_id is None

    @property
    def external_id(self) -> str:
        return self.values["external_id"]


def _planned(row_number: int, values: dict[str, Any], prefecture_id: int | None = None):
    return PlannedRow(
        row_number,
        values["external_id"],
        values["name"],
        "create",
        [],
        values=values,
        prefecture_id=prefecture_id,
    )


def _parse(
    data: bytes, filename: str, national: bool, lookups: Lookups
) -> tuple[ImportReport, list[ParsedRow], dict[str, Column]]:
    plan = ImportReport()
    schema = talent_format.schema(lookups.terms().values(), pool=not national)
    columns = {c.key: c for c in schema.columns}
    return plan, read_rows(data, filename, schema, plan), columns


def _model(plan: ImportReport):
    """A national-list entry has no prefecture; every pool row has one."""
    national = any(row.prefecture_id is None for row in plan.rows)
    return NationalListEntry if national else Talent


def _current(profile, key: str, column: Column | None) -> Any:
    """The stored value as the import would read it back (normalised text, defaults)."""
    value = stored_value(profile, key)
    if isinstance(value, str) and column is not None:
        try:
            value = column.parser(value)
        except ValueError:  # stored before today's rules: compare as it is
            pass
    return effective_value(key, value)


def _show(key: str, value: Any, lookups: Lookups, prefecture_id: int | None) -> Any:
    enums = {"kind": TalentKind, "work_style": WorkStyle, "external_role": ExternalRole}
    if key in enums:
        return enums[key].label_of(value, shown(None))
    if key == "skills" and value:
        terms = lookups.terms()
        return shown([terms[code].label() if code in terms else code for code in value])
    if key == "areas" and value and prefecture_id is not None:
        names = lookups.municipalities(prefecture_id)
        return shown([names[code].name if code in names else code for code in value])
    return shown(value)


def _compare(plan: ImportReport, columns: dict[str, Column], lookups: Lookups) -> None:
    """Fill each existing row's action and changes against the stored profile."""
    model = _model(plan)
    profiles = _load(model, [row.existing_id for row in plan.rows if not row.is_new])
    for row in plan.rows:
        if row.is_new:
            continue
        row.action = "unchanged"
        profile = profiles[row.existing_id]
        for key, value in row.values.items():
            before = _current(profile, key, columns.get(key))
            after = effective_value(key, value)
            if before != after:
                row.action = "update"
                row.changed[key] = (before, after)
                row.changes.append(
                    FieldChange(
                        columns[key].label,
                        _show(key, before, lookups, row.prefecture_id),
                        _show(key, after, lookups, row.prefecture_id),
                    )
                )


def _flag_possible_duplicates(plan: ImportReport, columns: dict[str, Column]) -> None:
    """Warn about a row whose name and ふりがな match an earlier row's or another profile's."""
    label = columns["name"].label
    stored: dict[tuple[int | None, str, str], list[tuple[int, str | None]]] = {}
    for prefecture_id in {row.prefecture_id for row in plan.rows}:
        for talent_id, external_id, name, kana in db.session.execute(
            select(Talent.id, Talent.external_id, Talent.name, Talent.name_kana).where(
                Talent.prefecture_id == prefecture_id
            )
        ):
            key = (prefecture_id, search_key(name), search_key(kana or ""))
            stored.setdefault(key, []).append((talent_id, external_id))
    in_file: dict[tuple[int | None, str, str], int] = {}
    for row in plan.rows:
        key = (
            row.prefecture_id,
            search_key(row.name),
            search_key(row.values.get("name_kana") or ""),
        )
        earlier = in_file.setdefault(key, row.row)
        others = [ext for tid, ext in stored.get(key, ()) if tid != row.existing_id]
        if earlier != row.row:
            message = _l(
                "氏名とふりがなが%(row)d行目と同じです。同じ人を二重に登録していないか"
                "確認してください。",
                row=earlier,
            )
        elif others:
            message = _l(
                "氏名とふりがなが同じ人材(管理番号 %(id)s)が登録済みです。同じ人を二重に"
                "登録していないか確認してください。",
                id=others[0] or "—",
            )
        else:
            continue
        plan.warnings.append(RowError(row.row, label, str(message)))


def _check_row(plan: ImportReport, row: PlannedRow, labels, lookups: Lookups) -> bool:
    try:
        check_values(row.values, prefecture_id=row.prefecture_id, lookups=lookups)
    except DomainError as error:
        label = labels.get(error.field or "", "")
        plan.errors.append(RowError(row.row, label, str(error.message)))
        return False
    return True


def plan_pool_import(data: bytes, filename: str, *, prefecture_code: str | None) -> ImportReport:
    """Check a pool file. With `prefecture_code` every row goes to that prefecture (a row naming
    another one is an error); without it (the CLI's whole-country mode) each row names its own.
    """
    lookups = Lookups()
    plan, parsed_rows, columns = _parse(data, filename, False, lookups)
    labels = talent_format.labels(pool=True)
    prefectures = {p.code: p.id for p in db.session.scalars(select(Prefecture))}
    label = labels["prefecture_code"]
    for parsed in parsed_rows:
        values = dict(parsed.values)
        code = values.pop("prefecture_code", None)
        if prefecture_code is not None and code not in (None, prefecture_code):
            plan.errors.append(
                RowError(
                    parsed.row_number,
                    label,
                    str(
                        _l(
                            "他の都道府県の行です。自分の都道府県(%(own)s)の人材だけを"
                            "取り込めます。",
                            own=prefecture_code,
                        )
                    ),
                )
            )
            continue
        code = code or prefecture_code
        if code is None:
            plan.errors.append(RowError(parsed.row_number, label, str(_l("入力が必要です。"))))
            continue
        row = _planned(parsed.row_number, values, prefectures[code])
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
    _compare(plan, columns, lookups)
    _flag_possible_duplicates(plan, columns)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _check_reserved_hours(plan: ImportReport, labels: dict[str, str]) -> None:
    """A row may not lower a talent's hours below what active assignments reserve."""
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
                    row.row,
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


def plan_national_import(data: bytes, filename: str) -> ImportReport:
    """Check a national-list file (no prefecture; a prefecture column is ignored with a note)."""
    lookups = Lookups()
    plan, parsed_rows, columns = _parse(data, filename, True, lookups)
    labels = talent_format.labels(pool=False)
    for parsed in parsed_rows:
        row = _planned(parsed.row_number, dict(parsed.values))
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
    _compare(plan, columns, lookups)
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


def apply_import(
    plan: ImportReport, *, mode: ImportMode = ImportMode.all_or_nothing
) -> ImportReport:
    """Write the plan's good rows in one flush; the caller commits (or rolls back) once.

    A plan with errors writes nothing (`plan.committed` stays false) unless `mode` says the
    user accepted leaving the bad rows out.
    """
    if not keeps(plan, mode, dry_run=False):
        return plan
    if not plan.rows:
        raise DomainError(_l("取り込める行がありません。"))
    if not plan.created and not plan.updated:
        raise DomainError(_l("登録済みの内容と同じため、変更はありません。"))
    model = _model(plan)
    existing = _load(model, [row.existing_id for row in plan.rows if row.action == "update"])
    lookups = Lookups()
    for row in plan.rows:
        if row.is_new:
            profile = model(
                name="",
                kind="external",
                **({} if model is NationalListEntry else {"prefecture_id": row.prefecture_id}),
            )
            db.session.add(profile)
            apply_values(profile, row.values, lookups)
        elif row.changed:  # only what changes: an equal value stays as it was stored
            apply_values(
                existing[row.existing_id], {k: row.values[k] for k in row.changed}, lookups
            )
    db.session.flush()
    plan.committed = True
    return plan
