"""`talentpool match`: two files in, proposals CSV out, no database, never an ineligible person."""

import csv
import io

import pytest
from click.testing import CliRunner

from talentpool import create_app
from talentpool.cli import _group
from talentpool.matching import Policy, check_plan, failed_rules
from talentpool.services.matching.match_files import read_requests, read_talent

# Japanese headers as prefectures' own sheets name them (aliases of the pool format).
# ruff: noqa: E501 (rows of a spreadsheet read best one per line)
TALENT = """\
管理番号,氏名,区分,CIO補佐官候補,スキル,職務経歴,稼働可能時間(月),勤務形態,有効,都道府県コード,対応地域(市町村コード)
T1,標準 化子,外部人材,いいえ,standardization,ガバメントクラウド移行と20業務の標準化をPMOとして支援。,40,併用,はい,03,
T2,遠隔 花子,外部人材,いいえ,standardization,ガバクラ移行と標準準拠システムへの移行。,80,リモート,はい,03,
T3,休止 一郎,外部人材,いいえ,standardization,基幹業務システムの標準化。,40,現地,いいえ,03,
T4,地域 限子,外部人材,はい,frontyard,書かない窓口とオンライン申請の導入。,40,現地,はい,03,033014
T5,他県 次郎,外部人材,はい,standardization,ガバメントクラウドへの移行支援。,40,現地,はい,13,
T6,満杯 三郎,企業,はい,strategy,DX推進計画の策定とCIO補佐官としての助言。,0,現地,はい,03,
T7,補佐 官子,外部人材,はい,strategy,CIO補佐官としてDX推進計画を策定。,30,併用,はい,,
T8,窓口 四郎,常勤職員,いいえ,frontyard,申請書作成支援の窓口を立ち上げた。,20,現地,はい,03,
"""
REQUESTS = """依頼ID,市町村コード,依頼名,内容,重点取組,月間稼働時間,募集人数,現地対応,CIO補佐官
R1,032018,基幹業務システム標準化の移行支援,ガバクラ移行と標準準拠システムへの移行を支援してほしい。,standardization,20,1,はい,いいえ
R2,034843,DX推進計画の策定,CIO補佐官として計画策定に助言がほしい。,strategy,10,1,いいえ,はい
R3,033014,書かない窓口の導入,書かない窓口とオンライン申請を始めたい。,frontyard,20,2,はい,いいえ
"""


class _Console:
    """The `talentpool` command group as the console script runs it (no app is made)."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def invoke(self, args):
        return self.runner.invoke(_group, args)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """`talentpool` with no SECRET_KEY and no database configured, in production mode:
    creating the app would fail, so `match` must not need it."""
    for name in ("SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TALENTPOOL_ENV", "production")
    monkeypatch.setenv("TALENTPOOL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # FlaskGroup sets it; undone afterwards
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    return _Console()


def _files(tmp_path, encoding="utf-8"):
    talent, requests = tmp_path / "talent.csv", tmp_path / "requests.csv"
    talent.write_bytes(TALENT.encode(encoding))
    requests.write_bytes(REQUESTS.encode(encoding))
    return talent, requests


def _run(runner, talent, requests, out, *extra):
    return runner.invoke(
        args=[
            "match",
            "--talent",
            str(talent),
            "--requests",
            str(requests),
            "--prefecture",
            "03",
            "--out",
            str(out),
            *extra,
        ]
    )


def _rows(out) -> list[dict]:
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "request_id,talent_id,rank,score,reason"
    return list(csv.DictReader(io.StringIO(text)))


def _assert_all_eligible(rows, talent_file, requests_file):
    people = {t.id: t for t in read_talent(talent_file, "03")[0]}
    requests = {r.id: r for r in read_requests(requests_file)[0]}
    for row in rows:
        assert (
            failed_rules(requests[row["request_id"]], people[row["talent_id"]], Policy()) == []
        ), row


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_ranking_from_files_proposes_only_eligible_people(offline, tmp_path, encoding):
    talent, requests = _files(tmp_path, encoding)
    out = tmp_path / "proposals.csv"
    result = _run(offline, talent, requests, out, "--top", "5")
    assert result.exit_code == 0, result.output
    assert "8 talent, 3 requests (top 5)" in result.output
    rows = _rows(out)
    _assert_all_eligible(rows, talent, requests)
    by_request = {}
    for row in rows:
        by_request.setdefault(row["request_id"], []).append(row)
    # R1 is on site: the remote-only T2, the inactive T3, T5 of another prefecture, T6 with
    # no hours and T4 (only serves 033014) are all left out; T1 fits best.
    assert by_request["R1"][0]["talent_id"] == "T1"
    assert {r["talent_id"] for r in by_request["R1"]} <= {"T1", "T7", "T8"}
    assert {r["talent_id"] for r in by_request["R2"]} == {"T7"}  # the only CIO candidate left
    assert by_request["R3"][0]["talent_id"] in {"T4", "T8"}
    ranks = [int(r["rank"]) for r in by_request["R1"]]
    assert ranks == list(range(1, len(ranks) + 1))
    assert "経験の一致" in by_request["R1"][0]["reason"]
    assert all(0 < float(r["score"]) <= 1 for r in rows)


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
def test_plan_from_files_keeps_hours_and_headcount(offline, tmp_path, encoding):
    talent, requests = _files(tmp_path, encoding)
    out = tmp_path / "plan.csv"
    result = _run(offline, talent, requests, out, "--plan", "--fairness")
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    _assert_all_eligible(rows, talent, requests)
    pairs = [(r["request_id"], r["talent_id"]) for r in rows]
    assert check_plan(pairs, read_requests(requests)[0], read_talent(talent, "03")[0]) == []
    assert {p[0] for p in pairs} == {"R1", "R2", "R3"}
    assert ("R1", "T1") in pairs and ("R2", "T7") in pairs
    assert all(r["reason"] for r in rows)


def test_bad_files_exit_non_zero_with_row_errors(offline, tmp_path):
    talent, requests = _files(tmp_path)
    out = tmp_path / "out.csv"
    broken = tmp_path / "broken.csv"
    broken.write_text(
        REQUESTS.replace("R2,034843", "R2,034844").replace(",10,1,", ",十,1,"), encoding="utf-8"
    )
    result = _run(offline, talent, broken, out)
    assert result.exit_code != 0 and not out.exists()
    assert "broken.csv: エラーのある行があります。" in result.output
    assert "3行目『団体コード』" in result.output  # the check digit is wrong
    assert "3行目『月間時間』" in result.output

    no_title = tmp_path / "no_title.csv"
    no_title.write_text("依頼ID,市町村コード,月間稼働時間\nR1,032018,20\n", encoding="utf-8")
    result = _run(offline, talent, no_title, out)
    assert result.exit_code != 0 and "件名" in result.output

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _run(offline, talent, empty, out).exit_code != 0

    sheet = tmp_path / "talent.pdf"
    sheet.write_bytes(b"%PDF-1.4")
    result = _run(offline, sheet, requests, out)
    assert result.exit_code != 0 and "talent.pdf" in result.output


def test_talent_rows_without_a_prefecture_need_the_option(offline, tmp_path):
    talent, requests = _files(tmp_path)
    out = tmp_path / "out.csv"
    result = offline.invoke(
        args=["match", "--talent", str(talent), "--requests", str(requests), "--out", str(out)]
    )
    assert result.exit_code != 0
    assert "8行目『都道府県コード』" in result.output and "--prefecture" in result.output


def _lines(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_a_second_run_reads_the_stored_talent_index_and_answers_the_same(offline, tmp_path):
    talent, requests = _files(tmp_path)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert _run(offline, talent, requests, first).exit_code == 0
    stored = list((tmp_path / "cache").glob("talent-index-*.pickle"))
    assert len(stored) == 1
    assert _run(offline, talent, requests, second).exit_code == 0
    assert _lines(second) == _lines(first)
    assert list((tmp_path / "cache").glob("talent-index-*.pickle")) == stored


def test_an_edited_talent_file_is_indexed_again_never_answered_from_the_old_index(
    offline, tmp_path
):
    talent, requests = _files(tmp_path)
    out = tmp_path / "out.csv"
    assert _run(offline, talent, requests, out).exit_code == 0
    assert ("R1", "T1") in {(r[0], r[1]) for r in _lines(out)[1:]}
    # T1 stops being available: the old stored index would still propose them
    talent.write_text(TALENT.replace(",40,併用,はい,03,", ",40,併用,いいえ,03,", 1), "utf-8")
    assert _run(offline, talent, requests, out).exit_code == 0
    assert "T1" not in {r[1] for r in _lines(out)[1:]}
    assert len(list((tmp_path / "cache").glob("talent-index-*.pickle"))) == 2


def test_a_damaged_stored_index_is_only_a_miss(offline, tmp_path):
    talent, requests = _files(tmp_path)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert _run(offline, talent, requests, first).exit_code == 0
    (stored,) = (tmp_path / "cache").glob("talent-index-*.pickle")
    stored.write_bytes(b"not a pickle")
    result = _run(offline, talent, requests, second)
    assert result.exit_code == 0, result.output
    assert _lines(second) == _lines(first)


def test_a_changed_matcher_never_reads_an_index_an_earlier_one_built(
    offline, tmp_path, monkeypatch
):
    from talentpool.matching import cache

    talent, requests = _files(tmp_path)
    out = tmp_path / "out.csv"
    assert _run(offline, talent, requests, out).exit_code == 0
    assert len(cache.code_digest()) == 64
    monkeypatch.setattr(cache, "code_digest", lambda: "another matcher")
    assert _run(offline, talent, requests, out).exit_code == 0
    assert len(list((tmp_path / "cache").glob("talent-index-*.pickle"))) == 2
