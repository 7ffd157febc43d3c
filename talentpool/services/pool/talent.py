"""Pool profiles (Talent) and national-list entries: validate, create, update, (de)activate.

Values are plain keyword values keyed like the import columns (`name`, `skills` as taxonomy
codes, `areas` as municipality lg_codes …); only the keys given are changed, so a form, an
import file with some columns, and the talent's own page all use the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select

from talentpool.extensions import db
from talentpool.models import (
    ExternalRole,
    Municipality,
    NationalListEntry,
    Talent,
    TalentKind,
    TaxonomyTerm,
    WorkStyle,
)
from talentpool.services.errors import DomainError, NotAllowed
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH, check_available_hours
from talentpool.text import search_key

PROFILE_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "cio_candidate",
    "external_role",
    "skills",
    "experience",
    "qualifications",
    "available_hours_per_month",
    "work_style",
    "email",
    "phone",
    "active",
)
NATIONAL_FIELDS = ("external_id", *PROFILE_FIELDS)
POOL_FIELDS = (*NATIONAL_FIELDS, "areas", "employment_start", "employment_end")
#: What a talent may change on their own profile (never kind, pool or the CIO flag).
SELF_SERVICE_FIELDS = (
    "available_hours_per_month",
    "work_style",
    "skills",
    "experience",
    "qualifications",
    "email",
    "phone",
    "areas",
)

_TEXT_DEFAULTS = {"name_kana": "", "experience": "", "qualifications": ""}
_BOOL_DEFAULTS = {"cio_candidate": False, "active": True}


class Lookups:
    """Taxonomy terms and municipalities, each loaded once per operation (one query each)."""

    def __init__(self) -> None:
        self._terms: dict[str, TaxonomyTerm] | None = None
        self._municipalities: dict[int, dict[str, Municipality]] = {}

    def terms(self) -> dict[str, TaxonomyTerm]:
        if self._terms is None:
            self._terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}
        return self._terms

    def municipalities(self, prefecture_id: int) -> dict[str, Municipality]:
        if prefecture_id not in self._municipalities:
            rows = db.session.scalars(
                select(Municipality).where(Municipality.prefecture_id == prefecture_id)
            )
            self._municipalities[prefecture_id] = {m.lg_code: m for m in rows}
        return self._municipalities[prefecture_id]


def _one_of(choices: tuple, message) -> Callable[..., Any]:
    return lambda value, *_: None if value in choices else message


def _name(value: Any, *_) -> Any:
    return None if (value or "").strip() else _l("氏名(企業名)を入力してください。")


def _hours(value: Any, *_) -> Any:
    if value is not None and not 0 <= value <= MAX_HOURS_PER_MONTH:
        return _l("稼働可能時間は0〜%(max)d時間で入力してください。", max=MAX_HOURS_PER_MONTH)
    return None


def _skills(value: Any, _prefecture_id: int | None, lookups: Lookups) -> Any:
    unknown = [c for c in value or () if c not in lookups.terms()]
    return (
        _l("登録されていないスキルです: %(codes)s", codes="、".join(unknown)) if unknown else None
    )


def _areas(value: Any, prefecture_id: int | None, lookups: Lookups) -> Any:
    if not value or prefecture_id is None:
        return None
    outside = [c for c in value if c not in lookups.municipalities(prefecture_id)]
    if outside:
        return _l("この都道府県の市町村ではありません: %(codes)s", codes="、".join(outside))
    return None


#: Field → rule(value, prefecture_id, lookups) giving the message refusing the value (or
#: None), in the order the rules run: the first refusal is the one reported.
_RULES: dict[str, Callable[[Any, int | None, Lookups], Any]] = {
    "name": _name,
    "kind": _one_of(tuple(TalentKind), _l("種別が正しくありません。")),
    "work_style": _one_of((None, *WorkStyle), _l("勤務形態が正しくありません。")),
    "external_role": _one_of((None, "", *ExternalRole), _l("スキル標準の役割が正しくありません。")),
    "available_hours_per_month": _hours,
    "skills": _skills,
    "areas": _areas,
}


def check_values(values: Mapping[str, Any], *, prefecture_id: int | None, lookups: Lookups) -> None:
    """Raise DomainError(message, field) for the first value the domain refuses."""
    for field, rule in _RULES.items():
        message = rule(values[field], prefecture_id, lookups) if field in values else None
        if message is not None:
            raise DomainError(message, field)
    start, end = values.get("employment_start"), values.get("employment_end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        raise DomainError(_l("雇用終了日は雇用開始日より後にしてください。"), "employment_end")


def refresh_search_text(profile: Talent | NationalListEntry) -> None:
    """Keep the NFKC-casefolded search column in step with the searchable fields."""
    profile.search_text = search_key(
        " ".join(
            [
                profile.name or "",
                profile.name_kana or "",
                profile.experience or "",
                profile.qualifications or "",
            ]
        )
    )


def effective_value(key: str, value: Any) -> Any:
    """What `apply_values` stores for `value` (an empty value becomes the field's default);
    skills and areas as a sorted tuple of codes, so two values compare as the stored ones do."""
    if key in ("skills", "areas"):
        return tuple(sorted(value or ()))
    if key in _TEXT_DEFAULTS:
        return value or ""
    if key in _BOOL_DEFAULTS:
        return _BOOL_DEFAULTS[key] if value is None else value
    if key == "available_hours_per_month":
        return value or 0
    if key == "work_style":
        return value or WorkStyle.hybrid
    if key in ("email", "phone", "external_role", "external_id"):
        return value or None
    return value


def stored_value(profile: Talent | NationalListEntry, key: str) -> Any:
    """A profile's current value of `key` in the form `effective_value` gives."""
    if key == "skills":
        return tuple(sorted(term.code for term in profile.skills))
    if key == "areas":
        return tuple(sorted(m.lg_code for m in profile.areas))
    return getattr(profile, key)


def apply_values(
    profile: Talent | NationalListEntry, values: Mapping[str, Any], lookups: Lookups
) -> None:
    """Set the given values on a profile (no checks: call `check_values` first)."""
    for key, value in values.items():
        if key == "skills":
            terms = lookups.terms()
            profile.skills = [terms[code] for code in value or ()]
        elif key == "areas":
            municipalities = lookups.municipalities(profile.prefecture_id)
            profile.areas = [municipalities[code] for code in value or ()]
        else:
            setattr(profile, key, effective_value(key, value))
    refresh_search_text(profile)


def check_keys(values: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse values for fields the caller may not set."""
    extra = set(values) - set(allowed)
    if extra:
        raise NotAllowed(
            _l("変更できない項目が含まれています: %(keys)s", keys="、".join(sorted(extra)))
        )


def check_external_id(
    kind: type[Talent | NationalListEntry],
    external_id: str | None,
    *,
    own_id: int | None = None,
    within: ColumnElement[bool] | None = None,
) -> None:
    """Refuse a management number another profile of the same list (`within`: one pool) has."""
    if not external_id:
        return
    query = select(kind.id).where(kind.external_id == external_id)
    if within is not None:
        query = query.where(within)
    if own_id is not None:
        query = query.where(kind.id != own_id)
    if db.session.scalar(query) is not None:
        raise DomainError(
            _l("管理番号『%(id)s』は既に使われています。", id=external_id), "external_id"
        )


def _ensure_external_id(talent: Talent) -> None:
    """Give a profile made on screen an id, so an export of it re-imports as an update."""
    if talent.external_id:
        return
    candidate = f"TP{talent.id:06d}"
    while db.session.scalar(
        select(Talent.id).where(
            Talent.prefecture_id == talent.prefecture_id, Talent.external_id == candidate
        )
    ):
        candidate += "-1"
    talent.external_id = candidate


def create_talent(
    prefecture_id: int, values: Mapping[str, Any], lookups: Lookups | None = None
) -> Talent:
    """Add a profile to a prefecture's pool."""
    lookups = lookups or Lookups()
    check_keys(values, POOL_FIELDS)
    check_values(values, prefecture_id=prefecture_id, lookups=lookups)
    check_external_id(
        Talent, values.get("external_id"), within=Talent.prefecture_id == prefecture_id
    )
    talent = Talent(prefecture_id=prefecture_id, name="", kind=TalentKind.external)
    apply_values(talent, {**_TEXT_DEFAULTS, **values}, lookups)
    db.session.add(talent)
    db.session.flush()
    _ensure_external_id(talent)
    return talent


def update_talent(
    talent: Talent,
    values: Mapping[str, Any],
    lookups: Lookups | None = None,
    *,
    allowed: tuple[str, ...] = POOL_FIELDS,
) -> Talent:
    """Change a pool profile (the pool itself never changes)."""
    lookups = lookups or Lookups()
    check_keys(values, allowed)
    merged = {
        "employment_start": talent.employment_start,
        "employment_end": talent.employment_end,
        **values,
    }
    check_values(merged, prefecture_id=talent.prefecture_id, lookups=lookups)
    if "external_id" in values:
        check_external_id(
            Talent,
            values["external_id"],
            own_id=talent.id,
            within=Talent.prefecture_id == talent.prefecture_id,
        )
    new_hours = values.get("available_hours_per_month")
    if new_hours is not None and new_hours < talent.available_hours_per_month:
        check_available_hours(talent, new_hours)  # not below what assignments reserve
    apply_values(talent, values, lookups)
    db.session.flush()
    _ensure_external_id(talent)
    return talent


def update_own_profile(talent: Talent, values: Mapping[str, Any]) -> Talent:
    """The talent's own changes: availability, skills, experience, work style, contact, areas."""
    return update_talent(talent, values, allowed=SELF_SERVICE_FIELDS)


def set_active(profile: Talent | NationalListEntry, active: bool) -> None:
    """Deactivate or reactivate; profiles are never deleted, so history stays intact."""
    profile.active = active
    db.session.flush()
