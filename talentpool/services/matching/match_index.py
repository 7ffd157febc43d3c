"""The matcher's stored analysis of talent texts (table talent_text_index).

Analysing a text (Japanese word segmentation) is the costly part of matching, and talent
text changes rarely. So whenever a flush writes a talent whose experience or
qualifications changed — a form, an import, the national list, anonymising — the analysis
is written in the same transaction (one listener, so no path can forget it). The ranking
and the plan read it; an entry that is missing or does not fit the text or the analyser
version (rows written with bulk SQL, an older analyser) is rebuilt on demand, never used.
``talentpool reindex`` rebuilds every entry.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentpool.extensions import db
from talentpool.models import Talent, TalentTextIndex, utcnow

log = logging.getLogger(__name__)
_TEXT_FIELDS = ("experience", "qualifications")
_installed = False


def text_hash(talent: Talent) -> str:
    """The hash the analysis is stored under (the CLI's disk cache uses the same key)."""
    from talentpool.matching.cache import text_key
    from talentpool.matching.documents import talent_text

    return text_key(talent_text(talent))


def _rows(talent: Sequence[Talent]) -> list[dict]:
    """Fresh index rows (analysing each text now)."""
    from talentpool.matching.documents import ANALYSIS_VERSION, analyse, talent_text

    now = utcnow()
    return [
        {
            "talent_id": t.id,
            "text_hash": text_hash(t),
            "version": ANALYSIS_VERSION,
            "terms": analyse(talent_text(t)).encode(),
            "updated_at": now,
        }
        for t in talent
    ]


def _store(connection, rows: list[dict]) -> None:
    """Replace the entries of these talent (portable upsert: delete, then insert)."""
    if not rows:
        return
    ids = [r["talent_id"] for r in rows]
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        connection.execute(delete(TalentTextIndex).where(TalentTextIndex.talent_id.in_(part)))
    connection.execute(insert(TalentTextIndex), rows)


def _changed_text(talent: Talent) -> bool:
    state = inspect(talent)
    return any(state.attrs[f].history.has_changes() for f in _TEXT_FIELDS)


def _after_flush(session: Session, _context) -> None:
    changed = [obj for obj in session.new if isinstance(obj, Talent)]
    changed += [obj for obj in session.dirty if isinstance(obj, Talent) and _changed_text(obj)]
    if changed:
        _store(session.connection(), _rows(changed))


def install() -> None:
    """Index talent text on every flush that changes it (idempotent)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


def analyses_for(talent: Sequence[Talent]) -> list:
    """The stored analysis of each talent's text (matching.documents.Analysed), in order;
    stale or missing entries are analysed now and written back to the session's
    transaction (kept if the caller commits; if another transaction writes them first,
    as two pages opened at once after an analyser upgrade would, theirs are kept)."""
    from talentpool.matching.documents import ANALYSIS_VERSION, Analysed, talent_text

    stored: dict[int, TalentTextIndex] = {}
    ids = [t.id for t in talent]
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        stored.update(
            (e.talent_id, e)
            for e in db.session.scalars(
                select(TalentTextIndex).where(TalentTextIndex.talent_id.in_(part))
            )
        )
    out: list[Analysed | None] = []
    stale: list[Talent] = []
    for t in talent:
        entry = stored.get(t.id)
        found = None
        if entry is not None and entry.version == ANALYSIS_VERSION:
            if entry.text_hash == text_hash(t):
                found = Analysed.decode(talent_text(t), entry.terms)
        if found is None:
            stale.append(t)
        out.append(found)
    if stale:
        log.info("rebuilding the matcher's text index for %d talent", len(stale))
        rows = _rows(stale)
        try:
            with db.session.begin_nested():
                _store(db.session.connection(), rows)
        except IntegrityError:  # another transaction stored them first: theirs will do
            log.info("the matcher's text index was rebuilt by another transaction")
        fresh = {r["talent_id"]: r["terms"] for r in rows}
        out = [
            a if a is not None else Analysed.decode(talent_text(t), fresh[t.id])
            for a, t in zip(out, talent, strict=True)
        ]
    return out


def reindex(prefecture_id: int | None = None) -> int:
    """Rebuild the entries of every talent (of one prefecture); returns how many."""
    query = select(Talent).order_by(Talent.id)
    if prefecture_id is not None:
        query = query.where(Talent.prefecture_id == prefecture_id)
    count = 0
    for start in range(0, 1 << 62, 1000):
        batch = list(db.session.scalars(query.offset(start).limit(1000)))
        if not batch:
            break
        _store(db.session.connection(), _rows(batch))
        count += len(batch)
    return count
