"""`talentpool match` as installed: no SECRET_KEY, no database, a disk cache of the talent
analysis that is read on the next run, and failures in one line, never a traceback."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from talentpool.matching import documents
from talentpool.matching.documents import ANALYSIS_VERSION
from talentpool.services.matching import match_files as files
from tests.test_matching_cli import REQUESTS, TALENT

SCRIPT = Path(sys.executable).with_name("talentpool")


def _write(folder: Path, talent: str = TALENT, requests: str = REQUESTS) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "talent.csv").write_text(talent, encoding="utf-8")
    (folder / "requests.csv").write_text(requests, encoding="utf-8")
    return folder / "talent.csv", folder / "requests.csv"


def _cache_rows(folder: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / "terms.sqlite3") as conn:
        return conn.execute("SELECT version, key FROM terms ORDER BY key").fetchall()


@pytest.fixture
def analysed(monkeypatch) -> list[str]:
    """Every text the matcher analyses from now on (talent and request texts)."""
    seen: list[str] = []
    real = documents.analyse

    def spy(text, synonyms=None):
        seen.append(text)
        return real(text, synonyms)

    monkeypatch.setattr(documents, "analyse", spy)
    return seen


# --- the disk cache --------------------------------------------------------------------


def test_a_second_run_reads_the_talent_analysis_from_the_cache(tmp_path, monkeypatch, analysed):
    cache = tmp_path / "cache"
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(cache))
    talent, requests = _write(tmp_path / "in")
    texts = {documents.talent_text(t) for t in files.read_talent(talent, "03")[0]}
    asked = {documents.request_text(r) for r in files.read_requests(requests)[0]}

    first = files.match_files(talent, requests, top=5, default_prefecture="03")
    assert set(analysed) == texts | asked
    rows = _cache_rows(cache)
    assert len(rows) == len(texts) == 8  # one row per distinct text
    assert {version for version, _ in rows} == {ANALYSIS_VERSION}

    analysed.clear()
    second = files.match_files(talent, requests, top=5, default_prefecture="03")
    assert set(analysed) == asked  # the talent texts came from the cache
    assert second.rows == first.rows
    assert _cache_rows(cache) == rows

    # an edited profile misses the cache once and adds its row; the others still hit
    edited = TALENT.replace("書かない窓口とオンライン申請の導入。", "書かない窓口の導入を担当。")
    talent, requests = _write(tmp_path / "edited", edited)
    analysed.clear()
    files.match_files(talent, requests, top=5, default_prefecture="03")
    assert [t for t in analysed if t not in asked] == ["書かない窓口の導入を担当。"]
    assert len(_cache_rows(cache)) == 9


def test_a_duplicated_text_is_stored_once(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(cache))
    twin = TALENT.replace(
        "T8,窓口 四郎,常勤職員,いいえ,frontyard,申請書作成支援の窓口を立ち上げた。",
        ("T8,窓口 四郎,常勤職員,いいえ,frontyard,書かない窓口とオンライン申請の導入。"),
    )
    assert twin != TALENT
    talent, requests = _write(tmp_path / "in", twin)
    files.match_files(talent, requests, default_prefecture="03")
    assert len(_cache_rows(cache)) == 7


@pytest.mark.parametrize("trouble", ["not a database", "a file where the folder should be"])
def test_a_cache_that_cannot_be_used_costs_time_not_the_answer(tmp_path, monkeypatch, trouble):
    talent, requests = _write(tmp_path / "in")
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(tmp_path / "good"))
    expected = files.match_files(talent, requests, default_prefecture="03").rows
    if trouble == "not a database":
        cache = tmp_path / "bad"
        cache.mkdir()
        (cache / "terms.sqlite3").write_bytes(b"this is not sqlite" * 100)
    else:
        cache = tmp_path / "plain-file"
        cache.write_text("")
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(cache))
    assert files.match_files(talent, requests, default_prefecture="03").rows == expected


def test_ranking_in_worker_processes_gives_the_same_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(tmp_path / "cache"))
    talent, requests = _write(tmp_path / "in")
    alone = files.match_files(talent, requests, top=3, default_prefecture="03").rows
    monkeypatch.setattr(files, "PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    forked = files.match_files(talent, requests, top=3, default_prefecture="03").rows
    assert forked == alone
    assert not files._SHARED  # nothing of the index left behind


# --- the console script with no configuration ------------------------------------------


@pytest.fixture(scope="module")
def bare_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a laptop with the package and nothing else: no SECRET_KEY, no
    DATABASE_URL, production mode (where a missing SECRET_KEY stops the web app)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL"} and not k.startswith("FLASK_")
    }
    env["TALENTPOOL_ENV"] = "production"
    env["TALENTPOOL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cli-cache"))
    return env


def _talentpool(env, cwd, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_match_help_needs_no_configuration(bare_env, tmp_path):
    done = _talentpool(bare_env, tmp_path, "match", "--help")
    assert done.returncode == 0, done.stderr
    assert "--talent" in done.stdout and "--requests" in done.stdout
    assert "SECRET_KEY" not in done.stderr


def test_match_runs_with_no_secret_key_and_no_database(bare_env, tmp_path):
    talent, requests = _write(tmp_path)
    out = tmp_path / "proposals.csv"
    args = ["match", "--talent", "talent.csv", "--requests", "requests.csv"]
    done = _talentpool(bare_env, tmp_path, *args, "--prefecture", "03", "--out", out.name)
    assert done.returncode == 0, done.stderr
    assert "8 talent, 3 requests (top 10)" in done.stdout
    assert "Traceback" not in done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["request_id"] for r in rows} == {"R1", "R2", "R3"}
    assert rows[0]["request_id"] == "R1" and rows[0]["talent_id"] == "T1"
    assert "経験の一致" in rows[0]["reason"]  # reasons rendered in Japanese
    assert not (tmp_path / "instance").exists()  # no SQLite database made on the way


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("missing file", "does not exist"),
        ("broken file", "bad.csv"),
        ("rows with errors", "エラーのある行があります"),
        ("no such output folder", "no folder for the output file"),
    ],
)
def test_match_failures_are_short_and_without_traceback(bare_env, tmp_path, case, needle):
    talent, requests = _write(tmp_path)
    out = "out.csv"
    if case == "missing file":
        talent = tmp_path / "nowhere.csv"
    elif case == "broken file":
        talent = tmp_path / "bad.csv"
        talent.write_bytes(b"\x00\x01\x02 not a table \xff\xfe" * 10)
    elif case == "rows with errors":
        requests.write_text(REQUESTS.replace(",20,1,", ",二十,1,", 1), encoding="utf-8")
    else:
        out = "missing/folder/out.csv"
    done = _talentpool(
        bare_env,
        tmp_path,
        *("match", "--talent", str(talent), "--requests", str(requests)),
        *("--prefecture", "03", "--out", out),
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert needle in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 4, done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_cycle_collector_is_on_again_after_a_run_that_worked_or_failed(tmp_path, monkeypatch):
    import gc

    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(tmp_path / "cache"))
    talent, requests = _write(tmp_path / "in")
    assert gc.isenabled()
    files.match_files(talent, requests, top=3, default_prefecture="03")
    assert gc.isenabled()
    broken = tmp_path / "broken.csv"
    broken.write_text("依頼ID\nR9\n", encoding="utf-8")
    with pytest.raises(files.FileProblem):
        files.match_files(talent, broken, top=3, default_prefecture="03")
    assert gc.isenabled()
