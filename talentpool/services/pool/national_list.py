"""The national list (国のリスト): entries kept by the national admin, copied into pools."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import NationalListEntry, Talent, TalentKind
from talentpool.services.errors import DomainError
from talentpool.services.pool.talent import (
    NATIONAL_FIELDS,
    PROFILE_FIELDS,
    Lookups,
    apply_values,
    check_external_id,
    check_keys,
    check_values,
    create_talent,
)


def create_entry(values: Mapping[str, Any], lookups: Lookups | None = None) -> NationalListEntry:
    """Add an entry to the national list."""
    lookups = lookups or Lookups()
    check_keys(values, NATIONAL_FIELDS)
    check_values(values, prefecture_id=None, lookups=lookups)
    check_external_id(NationalListEntry, values.get("external_id"))
    entry = NationalListEntry(name="", kind=TalentKind.external)
    apply_values(
        entry, {"name_kana": "", "experience": "", "qualifications": "", **values}, lookups
    )
    db.session.add(entry)
    db.session.flush()
    if not entry.external_id:
        entry.external_id = f"NL{entry.id:06d}"
    return entry


def update_entry(
    entry: NationalListEntry, values: Mapping[str, Any], lookups: Lookups | None = None
) -> NationalListEntry:
    """Change a national-list entry."""
    lookups = lookups or Lookups()
    check_keys(values, NATIONAL_FIELDS)
    check_values(values, prefecture_id=None, lookups=lookups)
    if "external_id" in values:
        check_external_id(NationalListEntry, values["external_id"], own_id=entry.id)
    apply_values(entry, values, lookups)
    db.session.flush()
    return entry


def copy_of(entry_id: int, prefecture_id: int) -> Talent | None:
    """The pool profile a prefecture already made from an entry, if any."""
    return db.session.scalar(
        select(Talent).where(
            Talent.prefecture_id == prefecture_id, Talent.source_entry_id == entry_id
        )
    )


def copy_to_pool(entry: NationalListEntry, prefecture_id: int) -> Talent:
    """Copy an entry into a prefecture's pool, remembering the source entry.

    Copying the same entry twice into one pool is refused (the existing profile is the one to
    edit), so a pool never holds two profiles of one person from the list.
    """
    if copy_of(entry.id, prefecture_id) is not None:
        raise DomainError(_l("この人材は既に人材プールに登録されています。"))
    values = {key: getattr(entry, key) for key in PROFILE_FIELDS if key != "skills"}
    values["skills"] = [term.code for term in entry.skills]
    values["active"] = True
    taken = entry.external_id and db.session.scalar(
        select(Talent.id).where(
            Talent.prefecture_id == prefecture_id, Talent.external_id == entry.external_id
        )
    )
    if entry.external_id and not taken:
        values["external_id"] = entry.external_id
    talent = create_talent(prefecture_id, values)
    talent.source_entry_id = entry.id
    db.session.flush()
    return talent
