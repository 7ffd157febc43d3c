"""File mode of the matcher: talent and request spreadsheets in, proposals CSV out, no database.

The files use the pool's and the requests' import formats (same encodings, headers and
aliases, read by talentpool.tabular). What the database would add comes from seed/ instead:
the taxonomy (skill labels) and the municipalities (small towns and villages for fairness).
A request's prefecture is the first two digits of its municipality code. Nothing is known
of admin-practice training here, so that rule is not applied.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from talentpool.config import SEED_DIR
from talentpool.models.region import MUNICIPALITY_KINDS
from talentpool.services.matching.bridge import SMALL_KINDS, tables
from talentpool.services.pool import talent_format
from talentpool.services.reference import read_csv
from talentpool.services.requests.files import request_schema
from talentpool.tabular import RowError, TableError, parse, read_table
from talentpool.tabular.writing import csv_lines


def _render(reasons, labels) -> str:
    """Reasons in Japanese, joined as the proposals CSV has them."""
    from talentpool.matching.reasons import render

    return " / ".join(render(r, labels=labels) for r in reasons or ())


class FileProblem(Exception):
    """A file cannot be used; ``errors`` are its row errors (may be empty)."""

    def __init__(self, message: str, errors: list[RowError] | None = None):
        super().__init__(message)
        self.errors = errors or []


@dataclass
class MatchOutput:
    """The proposals CSV (its header and the lines after it, as ``csv_lines`` writes
    them: made in parts by the ranking processes) and what was read."""

    header: list[str]
    lines: str
    proposals: int
    talent: int
    requests: int
    notes: list[str] = field(default_factory=list)

    def csv(self) -> bytes:
        """The whole file: UTF-8 with BOM, CRLF, as ``write_csv`` writes."""
        return (csv_lines([self.header]) + self.lines).encode("utf-8-sig")

    @property
    def rows(self) -> list[list[str]]:
        """The file's rows (header first), as a spreadsheet reads them back."""
        import csv
        import io

        return [self.header, *csv.reader(io.StringIO(self.lines, newline=""))]


@lru_cache(maxsize=1)
def _terms() -> tuple[SimpleNamespace, ...]:
    """The taxonomy from seed/ (read once per process: every file and the labels use it)."""
    return tuple(SimpleNamespace(**row) for row in read_csv(SEED_DIR / "taxonomy.csv"))


def _small_municipalities() -> frozenset[str]:
    return frozenset(
        row["lg_code"]
        for row in read_csv(SEED_DIR / "municipalities.csv")
        if MUNICIPALITY_KINDS.get(row["name"][-1]) in SMALL_KINDS
    )


def _parse(path: Path, schema, content: bytes | None = None):
    try:
        table = read_table(path.read_bytes() if content is None else content, path.name)
    except (TableError, OSError) as error:
        raise FileProblem(f"{path.name}: {error}") from None
    result = parse(table, schema)
    if result.errors:
        raise FileProblem(f"{path.name}: エラーのある行があります。", result.errors)
    if not result.rows:
        raise FileProblem(f"{path.name}: データの行がありません。")
    return result


def read_talent(path: Path, default_prefecture: str | None = None, content: bytes | None = None):
    """Talent profiles from a pool file; rows without a prefecture take the default."""
    from talentpool.matching import TalentProfile

    result = _parse(path, talent_format.schema(_terms(), pool=True), content)
    out, errors = [], []
    for row in result.rows:
        v = row.values
        prefecture = v.get("prefecture_code") or default_prefecture
        if not prefecture:
            errors.append(
                RowError(
                    row.row_number,
                    "都道府県コード",
                    "都道府県コードを入れるか --prefecture を指定してください。",
                )
            )
            continue
        out.append(
            TalentProfile(
                id=v["external_id"],
                prefecture_code=prefecture,
                kind=v["kind"],
                cio_candidate=bool(v.get("cio_candidate")),
                work_style=v.get("work_style") or "hybrid",
                available_hours=v.get("available_hours_per_month") or 0,
                area_municipality_codes=frozenset(v.get("areas") or ()) or None,
                skills=frozenset(v.get("skills") or ()),
                experience=v.get("experience") or "",
                qualifications=v.get("qualifications") or "",
                active=v.get("active") is not False,
                admin_training_done=False,
                name=v.get("name") or "",
            )
        )
    if errors:
        raise FileProblem(f"{path.name}: エラーのある行があります。", errors)
    return out, result.notes


def read_requests(path: Path):
    """Request specs from a requests file (headcount defaults to 1)."""
    from talentpool.matching import RequestSpec

    result = _parse(path, request_schema(_terms()))
    small = _small_municipalities()
    specs = [
        RequestSpec(
            id=v["external_id"],
            prefecture_code=v["municipality_code"][:2],
            municipality_code=v["municipality_code"],
            title=v["title"],
            description=v.get("description") or "",
            skills=frozenset(v.get("skills") or ()),
            hours_per_month=v["hours_per_month"],
            headcount=v.get("headcount") or 1,
            onsite_required=bool(v.get("onsite_required")),
            wants_cio=bool(v.get("wants_cio")),
            municipality_small=v["municipality_code"] in small,
        )
        for v in (row.values for row in result.rows)
    ]
    return specs, result.notes


def analyses(talent) -> list:
    """The talent side's word analysis from the disk cache; what is missing is analysed
    now and stored for the next run (matching.cache)."""
    from talentpool.matching.cache import TermCache, text_key
    from talentpool.matching.documents import ANALYSIS_VERSION, Analysed, analyse, talent_text

    texts = [talent_text(t) for t in talent]
    keys = [text_key(x) for x in texts]
    cache = TermCache(ANALYSIS_VERSION)
    stored = cache.get_many(keys)
    out, fresh = [], {}
    for text, key in zip(texts, keys, strict=True):
        found = Analysed.decode(text, stored[key]) if key in stored else None
        if found is None:
            found = analyse(text)
            fresh[key] = found.encode()
        out.append(found)
    cache.put_many(fresh)
    return out


def talent_side(path: Path, default_prefecture: str | None, labels: dict[str, str]):
    """The talent of a pool file, the file's notes and their built index. The index of
    the same file under the same settings is read from the disk cache (it changes
    rarely); otherwise it is built (with the cached word analyses) and stored."""
    import hashlib

    from talentpool.matching import TalentIndex
    from talentpool.matching.cache import code_digest, read_stored, write_stored
    from talentpool.matching.documents import ANALYSIS_VERSION
    from talentpool.matching.vectors import VECTORS_VERSION

    weights, synonyms = tables()
    try:
        content = path.read_bytes()
    except OSError as error:
        raise FileProblem(f"{path.name}: {error}") from None
    key = hashlib.sha256(content)
    settings = (default_prefecture, ANALYSIS_VERSION, VECTORS_VERSION, weights, labels)
    settings += (code_digest(),)
    key.update(repr((TalentIndex.STORED_FORMAT, *settings)).encode("utf-8"))
    stored = read_stored("talent-index", key.hexdigest())
    if stored is not None:
        talent, notes, state = stored
        return talent, notes, TalentIndex.from_stored(state, synonyms)
    talent, notes = read_talent(path, default_prefecture, content)
    index = TalentIndex(talent, weights, synonyms, labels, analysed=analyses(talent))
    write_stored("talent-index", key.hexdigest(), (talent, notes, index.stored()))
    return talent, notes, index


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: matching files makes millions of small objects
    (rows, analyses, proposals, reasons) and no reference cycles, so each collection
    would walk every live object for nothing (a quarter of the CPU time, measured)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def match_files(
    talent_path: Path,
    requests_path: Path,
    *,
    top: int = 10,
    plan: bool = False,
    fairness: bool = False,
    default_prefecture: str | None = None,
) -> MatchOutput:
    """Rank the talent for every request (top ``top``), or plan (assigned pairs only)."""
    with without_cycle_collection():
        return _match_files(talent_path, requests_path, top, plan, fairness, default_prefecture)


def _match_files(talent_path, requests_path, top, plan, fairness, default_prefecture):
    from talentpool.matching import PROPOSAL_HEADER, Policy, write_proposals_rows

    labels = {term.code: term.label_ja for term in _terms()}
    talent, talent_notes, index = talent_side(talent_path, default_prefecture, labels)
    requests, request_notes = read_requests(requests_path)
    policy = Policy(fairness=fairness)
    if plan:
        from talentpool.matching import optimal_plan

        result = optimal_plan(requests, policy=policy, index=index)
        explained = index.explain_pairs(requests, result.pairs(), policy)
        rows = write_proposals_rows(result, {pair: p.reasons for pair, p in explained.items()})
        rows = [r[:4] + [_render(r[4], labels)] for r in rows[1:]]
        lines, count = csv_lines(rows), len(rows)
    else:
        lines, count = _ranked_lines(index, requests, top, policy, labels)
    notes = [f"{talent_path.name}: {n}" for n in talent_notes]
    notes += [f"{requests_path.name}: {n}" for n in request_notes]
    return MatchOutput(list(PROPOSAL_HEADER), lines, count, len(talent), len(requests), notes)


#: The index the worker processes rank with (inherited through fork, never pickled).
_SHARED: dict = {}
#: Fewer requests than this are ranked in this process: forking would cost more than it saves.
PARALLEL_FROM = 500


def _rank_part(requests) -> list[tuple[str, int, str]]:
    """Per request: its id, its number of proposals and their CSV lines, reasons rendered
    (in a worker or in-process)."""
    from talentpool.matching import write_proposals_rows

    index, top, policy, labels = (_SHARED[k] for k in ("index", "top", "policy", "labels"))
    by_request: dict[str, list[list]] = {}
    for row in write_proposals_rows(index.rank_many(requests, top, policy))[1:]:
        by_request.setdefault(row[0], []).append(row[:4] + [_render(row[4], labels)])
    return [(key, len(rows), csv_lines(rows)) for key, rows in by_request.items()]


def _ranked_lines(index, requests, top, policy, labels) -> tuple[str, int]:
    """Rank every request; on a machine with several cores, prefectures are shared out
    among forked worker processes (they inherit the built index, so nothing big is
    copied), keeping the order of the requests file."""
    import multiprocessing
    import os

    _SHARED.update(index=index, top=top, policy=policy, labels=labels)
    try:
        workers = min(os.cpu_count() or 1, 4)
        methods = multiprocessing.get_all_start_methods()
        if workers < 2 or len(requests) < PARALLEL_FROM or "fork" not in methods:
            done = [_rank_part(requests)]
        by_prefecture: dict[str, list] = {}
        for r in requests:
            by_prefecture.setdefault(r.prefecture_code, []).append(r)
        parts: list[list] = [[] for _ in range(workers * 4)]
        for group in sorted(by_prefecture.values(), key=len, reverse=True):
            min(parts, key=len).extend(group)
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                done = pool.map(_rank_part, [p for p in parts if p])
    finally:
        _SHARED.clear()
    found = {key: (count, text) for part in done for key, count, text in part}
    ranked = [found[r.id] for r in requests if r.id in found]
    return "".join(text for _, text in ranked), sum(count for count, _ in ranked)


def load_labelled_set(prefix: str, directory: Path | None = None):
    """A labelled set in the import formats (bench/data/{prefix}_talent.csv,
    _requests.csv, _labels.csv with request_id,talent_id,relevance) as a DevSet."""
    import csv

    from talentpool.matching.devset import DEV_DIR, DevSet

    base = Path(directory or DEV_DIR)
    talent, _ = read_talent(base / f"{prefix}_talent.csv")
    requests, _ = read_requests(base / f"{prefix}_requests.csv")
    with open(base / f"{prefix}_labels.csv", encoding="utf-8-sig", newline="") as fh:
        labels = {
            (row["request_id"], row["talent_id"]): int(row["relevance"])
            for row in csv.DictReader(fh)
        }
    return DevSet(talent, requests, labels)
