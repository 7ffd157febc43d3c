"""The bridge between rows and the matcher: the one place that builds its dataclasses.

Everything is loaded with a fixed number of queries whatever the pool size (selectinload
and grouped counts, never a query per row). The matcher (scikit-learn, SciPy, SudachiPy,
the word vectors) is imported on first use, so the app starts without it.

A prefecture's prepared pool is kept per process, keyed by what its text features depend
on (who is in the pool, their texts' hashes and skills): the next page of the same pool
reuses it and only refreshes hours and eligibility, which change with every offer.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from talentpool import versioning
from talentpool.extensions import db
from talentpool.models import (
    Assignment,
    AssignmentState,
    LearnedWeights,
    Municipality,
    Prefecture,
    SupportRequest,
    Talent,
    TaxonomyTerm,
    talent_area,
    talent_skill,
)
from talentpool.services.clock import today
from talentpool.services.matching import match_index
from talentpool.services.requests.support_requests import recruiting
from talentpool.services.training.programs import admin_training_completed

if TYPE_CHECKING:
    from talentpool.matching import (
        Policy,
        RankingResult,
        RequestSpec,
        TalentIndex,
        TalentProfile,
        Weights,
    )

#: Why a person is left out, as coordinators read it (keys: matching.RULES).
RULE_LABELS = {
    "prefecture": _l("同じ都道府県でない"),
    "inactive": _l("休止中"),
    "no_hours": _l("稼働可能時間なし"),
    "remote_only": _l("リモートのみ(現地対応の依頼)"),
    "not_cio": _l("CIO補佐官候補でない"),
    "outside_area": _l("対応地域外"),
    "admin_training": _l("行政実務研修未修了"),
}
#: Assignments that hold a seat of their request (a completed one keeps it: no reopening).
SEAT_HOLDING = (AssignmentState.active, AssignmentState.completed)
SMALL_KINDS = ("town", "village")


@lru_cache(maxsize=1)
def tables():
    """The matcher's weights and synonym table from seed/, read once per process."""
    from talentpool.matching import SynonymTable, Weights

    return Weights.load(), SynonymTable.load()


def labels() -> dict[str, str]:
    """Japanese labels of every taxonomy code (one query)."""
    return dict(db.session.execute(select(TaxonomyTerm.code, TaxonomyTerm.label_ja)).all())


#: Prepared pools of this process: (prefecture id, text signature) → TalentIndex.
_POOLS: OrderedDict[tuple, TalentIndex] = OrderedDict()
_POOLS_LOCK = threading.Lock()
POOL_CACHE_SIZE = 8
#: The last prepared pool of each (database, prefecture): ((data version, day), (profiles,
#: index, learned)), replaced when the data or the day changes; the POOL_CACHE_SIZE most
#: recently used prefectures are kept.
_PREPARED: OrderedDict[tuple[str, int], tuple] = OrderedDict()


def policy_for(prefecture: Prefecture, *, fairness: bool = False) -> Policy:
    """The prefecture's rules as the matcher's Policy."""
    from talentpool.matching import Policy

    required = frozenset({prefecture.code}) if prefecture.require_admin_training else frozenset()
    return Policy(require_admin_training=required, fairness=fairness)


def talent_profiles(
    talent: Sequence[Talent], pool_of: int | None = None, *, among: Select | None = None
) -> list[TalentProfile]:
    """Profiles of loaded talent: four queries (skills, areas, reserved hours and
    admin-practice training) whatever the count. ``pool_of`` (a prefecture id) says
    the talent are that prefecture's whole pool: the queries then select by prefecture
    rather than by a list of thousands of ids; ``among`` (a select of talent ids, at
    least these talent) likewise selects by that subquery."""
    from talentpool.matching import TalentProfile

    ids = [t.id for t in talent]
    if not ids:
        return []
    if pool_of is not None:
        mine = Talent.prefecture_id == pool_of
    else:
        mine = Talent.id.in_(among if among is not None else ids)
    skills: dict[int, set[str]] = defaultdict(set)
    for tid, code in db.session.execute(
        select(talent_skill.c.talent_id, talent_skill.c.term_code)
        .join(Talent, Talent.id == talent_skill.c.talent_id)
        .where(mine)
    ):
        skills[tid].add(code)
    areas: dict[int, set[str]] = defaultdict(set)
    for tid, code in db.session.execute(
        select(talent_area.c.talent_id, Municipality.lg_code)
        .join(Municipality, Municipality.id == talent_area.c.municipality_id)
        .join(Talent, Talent.id == talent_area.c.talent_id)
        .where(mine)
    ):
        areas[tid].add(code)
    reserved = dict(
        db.session.execute(
            select(Assignment.talent_id, func.sum(Assignment.hours_per_month))
            .join(Talent, Talent.id == Assignment.talent_id)
            .where(mine, Assignment.state == AssignmentState.active)
            .group_by(Assignment.talent_id)
        ).all()
    )
    trained = set(db.session.scalars(select(Talent.id).where(mine, admin_training_completed())))
    prefecture_code = {  # from the session's identity map: no query, no lazy load per row
        pid: db.session.get(Prefecture, pid).code for pid in {t.prefecture_id for t in talent}
    }
    return [
        TalentProfile(
            id=str(t.id),
            prefecture_code=prefecture_code[t.prefecture_id],
            kind=t.kind,
            cio_candidate=t.cio_candidate,
            work_style=t.work_style,
            available_hours=t.available_hours_per_month - int(reserved.get(t.id) or 0),
            area_municipality_codes=frozenset(areas[t.id]) or None,
            skills=frozenset(skills[t.id]),
            experience=t.experience or "",
            qualifications=t.qualifications or "",
            active=t.active and t.anonymized_at is None,
            admin_training_done=t.id in trained,
            name=t.name,
        )
        for t in talent
    ]


def request_specs(
    requests: Sequence[SupportRequest], *, among: Select | None = None
) -> list[RequestSpec]:
    """Specs of loaded requests; ``headcount`` is the seats still open. Two queries;
    ``among`` (a select of request ids, at least these requests) selects by that subquery
    rather than by a list of ids."""
    from talentpool.matching import RequestSpec

    ids = [r.id for r in requests]
    which = among if among is not None else ids
    held = (
        dict(
            db.session.execute(
                select(Assignment.request_id, func.count())
                .where(Assignment.request_id.in_(which), Assignment.state.in_(SEAT_HOLDING))
                .group_by(Assignment.request_id)
            ).all()
        )
        if ids
        else {}
    )
    supported = (
        set(
            db.session.scalars(
                select(Assignment.municipality_id).where(
                    Assignment.municipality_id.in_({r.municipality_id for r in requests}),
                    Assignment.state == AssignmentState.active,
                )
            )
        )
        if ids
        else set()
    )
    return [
        RequestSpec(
            id=str(r.id),
            prefecture_code=r.prefecture.code,
            municipality_code=r.municipality.lg_code,
            title=r.title,
            description=r.description or "",
            skills=frozenset(t.code for t in r.skills),
            hours_per_month=r.hours_per_month,
            headcount=max(r.headcount - held.get(r.id, 0), 0),
            onsite_required=r.onsite_required,
            wants_cio=r.wants_cio,
            municipality_small=r.municipality.kind in SMALL_KINDS,
            municipality_supported=r.municipality_id in supported,
            seats_filled=held.get(r.id, 0),
        )
        for r in requests
    ]


def failed_rules(support_request: SupportRequest, talent: Talent) -> list[str]:
    """The matcher's eligibility rules this talent fails for this request (empty = eligible)."""
    from talentpool.matching import failed_rules as matcher_failed_rules

    (spec,) = request_specs([support_request])
    (profile,) = talent_profiles([talent])
    return matcher_failed_rules(spec, profile, policy_for(support_request.prefecture))


def rule_labels(rules: Collection[str]) -> str:
    """「リモートのみ(現地対応の依頼)・行政実務研修未修了」"""
    return "・".join(str(RULE_LABELS.get(rule, rule)) for rule in rules)


def load_pool(prefecture_id: int) -> list[Talent]:
    """The prefecture's pool (one query; its prefecture is in the session, so
    ``talent.prefecture`` costs no query). Skills and areas: talent_profiles(pool_of=)."""
    db.session.get(Prefecture, prefecture_id)
    query = select(Talent).where(Talent.prefecture_id == prefecture_id).order_by(Talent.id)
    return list(db.session.scalars(query))


def load_requests(
    prefecture_id: int, ids: Collection[int] | None = None, *, leave_out: Select | None = None
) -> list[SupportRequest]:
    """The prefecture's recruiting requests (or exactly ``ids``), with what matching needs;
    a request past its end date is not recruiting. ``leave_out``: a select of request ids
    not wanted (e.g. those a plan already places)."""
    query = (
        select(SupportRequest)
        .where(SupportRequest.prefecture_id == prefecture_id)
        .options(
            selectinload(SupportRequest.skills),
            joinedload(SupportRequest.municipality),
            joinedload(SupportRequest.prefecture),
        )
        .order_by(SupportRequest.id)
    )
    query = (
        query.where(SupportRequest.id.in_(ids)) if ids is not None else query.where(recruiting())
    )
    if leave_out is not None:
        query = query.where(SupportRequest.id.not_in(leave_out))
    return list(db.session.scalars(query))


@dataclass
class Pool:
    """A prefecture's pool prepared for matching: rows by id, profiles and the fitted index."""

    talent: dict[str, Talent]
    profiles: list[TalentProfile]
    index: TalentIndex
    #: The prefecture's learned weights score this pool (services.matching.outcomes).
    learned: bool = False

    def invited(self) -> set[str]:
        """Ids of the talent who can log in (only they can answer an offer)."""
        return {
            tid for tid, t in self.talent.items() if t.user_id is not None and not t.anonymized_at
        }


def _index_for(prefecture_id: int, rows: Sequence[Talent], profiles) -> TalentIndex:
    """The pool's index from this process's cache, or built from the stored analyses."""
    from talentpool.matching import TalentIndex

    signature = (
        prefecture_id,
        tuple(
            (t.id, match_index.text_hash(t), p.skills) for t, p in zip(rows, profiles, strict=True)
        ),
    )
    with _POOLS_LOCK:
        cached = _POOLS.get(signature)
        if cached is not None:
            _POOLS.move_to_end(signature)
    if cached is not None:
        return cached.with_profiles(profiles)
    weights, synonyms = tables()
    index = TalentIndex(
        profiles, weights, synonyms, labels(), analysed=match_index.analyses_for(rows)
    )
    with _POOLS_LOCK:
        _POOLS[signature] = index
        while len(_POOLS) > POOL_CACHE_SIZE:
            _POOLS.popitem(last=False)
    keep_long_lived()
    return index


def keep_long_lived() -> None:
    """Move every object the process holds now (its modules, the app, the pools' indexes)
    out of the cyclic garbage collector's sight. Without it, a full collection walks them
    all every few pages (200-300 ms once a pool is indexed, in the middle of whichever
    page triggers it); frozen objects are still freed by reference counting. Called when
    a new index is kept (and by gunicorn when a worker starts); off in tests (GC_FREEZE)."""
    if current_app.config.get("GC_FREEZE"):
        gc.collect()
        gc.freeze()


def prepare_pool(prefecture_id: int) -> Pool:
    """Load the whole pool (see load_pool) and its matcher index. Scores are always
    computed against the whole pool, so a pair's score is the same on every page.

    The profiles and the index (with the learned weights) are what they were the last time
    this process prepared the prefecture's pool on the same day at the same data version
    (talentpool.versioning): the ranking, swap and plan pages then skip rebuilding them."""
    rows = load_pool(prefecture_id)
    version = None if versioning.has_uncommitted_writes() else versioning.data_version()
    bind = db.session.get_bind()
    slot = (str(getattr(bind, "engine", bind).url), prefecture_id)
    stamp = (version, today())
    with _POOLS_LOCK:
        kept = _PREPARED.get(slot)
        if kept is not None:
            _PREPARED.move_to_end(slot)
    if version is not None and kept is not None and kept[0] == stamp:
        profiles, index, learned = kept[1]
    else:
        profiles = talent_profiles(rows, pool_of=prefecture_id)
        index = _index_for(prefecture_id, rows, profiles)
        weights = learned_weights(prefecture_id)
        if weights is not None:
            index = index.with_weights(weights)
        learned = weights is not None
        if version is not None:
            with _POOLS_LOCK:
                _PREPARED[slot] = (stamp, (profiles, index, learned))
                _PREPARED.move_to_end(slot)
                while len(_PREPARED) > POOL_CACHE_SIZE:
                    _PREPARED.popitem(last=False)
    return Pool({str(t.id): t for t in rows}, profiles, index, learned)


def learned_weights(prefecture_id: int) -> Weights | None:
    """The prefecture's learned component weights when validated and switched on, else
    None (the seed weights rank)."""
    row = db.session.scalar(
        select(LearnedWeights).where(
            LearnedWeights.prefecture_id == prefecture_id,
            LearnedWeights.enabled.is_(True),
            LearnedWeights.validated.is_(True),
        )
    )
    return replace(tables()[0], **row.weights) if row is not None else None


def rank_request(support_request: SupportRequest, k: int = 20) -> tuple[RankingResult, Pool]:
    """The top ``k`` of the prefecture's pool for one request, and the pool they came from."""
    (spec,) = request_specs([support_request])
    pool = prepare_pool(support_request.prefecture_id)
    return pool.index.rank(spec, k, policy_for(support_request.prefecture)), pool
