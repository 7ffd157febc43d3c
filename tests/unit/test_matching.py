"""Ranking: eligibility rules, Japanese text similarity, synonyms, reasons, CSV rows."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path

import pytest

from talentpool.matching import (
    DEFAULT_LABELS,
    PROPOSAL_HEADER,
    RULES,
    Policy,
    Reason,
    TalentIndex,
    failed_rules,
    optimal_plan,
    rank,
    write_proposals_rows,
)
from talentpool.matching.lexical import gram_codes
from talentpool.matching.reasons import render
from tests.unit.matching_specs import request, talent

STRICT = Policy(require_admin_training=frozenset({"20"}))
ONSITE_CIO = request(onsite_required=True, wants_cio=True, title="DX推進計画の策定")
FAILING = {
    "prefecture": {"prefecture_code": "15"},
    "inactive": {"active": False},
    "no_hours": {"available_hours": 0},
    "remote_only": {"work_style": "remote"},
    "not_cio": {"cio_candidate": False},
    "outside_area": {"area_municipality_codes": frozenset({"202029"})},
    "admin_training": {"kind": "staff", "admin_training_done": False},
}


def test_rules_cover_the_issue() -> None:
    assert set(FAILING) == set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_excludes_and_is_counted(rule: str) -> None:
    ok = talent("OK", cio_candidate=True, experience="DX推進計画の策定を支援")
    bad = replace(ok, id="BAD", **FAILING[rule])
    result = rank([ONSITE_CIO], [ok, bad], policy=STRICT)["R1"]
    assert [p.talent_id for p in result.proposals] == ["OK"]
    assert failed_rules(ONSITE_CIO, bad, STRICT) == [rule]
    assert result.ineligible[rule] == 1
    assert result.ineligible_total == 1
    assert result.eligible_count == 1


def test_onsite_and_hybrid_may_go_on_site_and_area_allows_listed_municipality() -> None:
    pool = [
        talent("ON", work_style="onsite", cio_candidate=True),
        talent(
            "HY",
            work_style="hybrid",
            cio_candidate=True,
            area_municipality_codes=frozenset({"202011"}),
        ),
    ]
    result = rank([ONSITE_CIO], pool, policy=STRICT)["R1"]
    assert {p.talent_id for p in result.proposals} == {"ON", "HY"}


def test_admin_training_only_for_staff_and_only_where_required() -> None:
    untrained = talent("EXT", kind="external", admin_training_done=False)
    staff = talent("STAFF", kind="staff", admin_training_done=False)
    assert failed_rules(request(), untrained, STRICT) == []
    assert failed_rules(request(), staff, STRICT) == ["admin_training"]
    assert failed_rules(request(), staff, Policy()) == []


def test_counts_each_person_once_under_first_failing_rule() -> None:
    pool = [
        talent("X", prefecture_code="15", active=False),
        talent("Y", active=False, available_hours=0),
        talent("Z"),
    ]
    result = rank([request()], pool)["R1"]
    assert result.ineligible["prefecture"] == 1
    assert result.ineligible["inactive"] == 1
    assert result.ineligible_total == 2
    assert [p.talent_id for p in result.proposals] == ["Z"]


def test_request_of_a_prefecture_without_talent_gets_no_proposals() -> None:
    result = rank([request(prefecture_code="47")], [talent("A")])["R1"]
    assert result.proposals == ()
    assert result.ineligible["prefecture"] == 1


DISTRACTOR = talent("D", experience="小売店舗のPOSレジ導入と在庫管理、店舗スタッフの教育")
#: Profiles of other trades: components are standardised over the eligible talent, so a
#: pool of two would make any difference, however small, one standard deviation.
OTHER_TRADES = [
    DISTRACTOR,
    *(
        talent(f"D{i}", experience=text)
        for i, text in enumerate(
            [
                "製造業の生産管理システムの保守運用",
                "病院の電子カルテ更新プロジェクトでベンダー調整",
                "中学校のタブレット端末配備とネットワーク設定",
                "観光協会のウェブサイト制作とSNS発信",
                "物流倉庫の配送ルート最適化",
                "銀行の勘定系システムのテスト",
                "農業法人の経理と給与計算",
            ]
        )
    ),
]


@pytest.mark.parametrize(
    ("talent_text", "request_text"),
    [
        ("ＡＷＳ上での環境構築", "AWSで環境を構築したい"),
        ("ガバクラへの移行を支援", "ガバメントクラウド移行"),
        ("20業務の移行計画を作成", "基幹業務システムの移行"),
        ("申請書作成支援システムの導入", "書かない窓口を実現したい"),
        ("根拠に基づく政策立案の研修", "EBPMを推進したい"),
        ("ChatGPTの利用ガイドライン", "生成AIを安全に使いたい"),
        ("LLMによる会議録要約", "生成AIの活用"),
    ],
)
def test_width_variants_and_synonyms_score(talent_text: str, request_text: str) -> None:
    match = talent("M", experience=talent_text)
    result = rank([request(title=request_text)], [*OTHER_TRADES, match], k=20)["R1"]
    top, *rest = result.proposals
    assert top.talent_id == "M"
    # the width fold and the synonym table act on the lexical score: only M shares text
    assert top.features.lexical > 1.0
    assert all(top.features.lexical > p.features.lexical for p in rest)
    assert top.score > rest[0].score


def test_synonym_match_is_a_concept_match() -> None:
    match = talent("M", experience="ガバクラ接続の設計")
    result = rank([request(title="ガバメントクラウドへの接続")], [match, DISTRACTOR])["R1"]
    top = result.proposals[0]
    assert top.talent_id == "M"
    assert top.features.lexical > 0
    assert Reason("terms", {"terms": ["ガバメントクラウド"]}) in top.reasons
    assert not any(r.code == "terms" for r in result.proposals[1].reasons)


def test_lexical_keeps_dakuten_and_uses_char_ngrams() -> None:
    index = TalentIndex.build(
        [talent("A", experience="ガバナンス"), talent("B", experience="カハナンス")]
    )
    vocabulary = set(index.bm25.vocabulary.tolist())
    for gram in ("ガ", "バ", "ガバ", "ナン"):
        (code,) = gram_codes([gram], 2)[1][-1:]
        assert int(code) in vocabulary, gram
    # ガ is not カ: a request with dakuten scores the profile with dakuten higher
    ranked = index.rank(request(title="ｶﾞﾊﾞﾅﾝｽ"), 2).proposals  # half-width: NFKC folds
    assert [p.talent_id for p in ranked] == ["A", "B"]
    assert ranked[0].features.lexical > ranked[1].features.lexical


def test_skills_count_but_buy_no_text_similarity() -> None:
    skilled = talent("S", skills=frozenset({"eltax"}))
    result = rank([request(skills=frozenset({"eltax"}))], [skilled, talent("N")])["R1"]
    top, other = result.proposals
    assert top.talent_id == "S"
    assert top.features.skill == 1.0 and other.features.skill == -1.0
    # skill codes are scored on their own, never mixed into the text (both texts are empty)
    assert top.features.lexical == other.features.lexical == 0.0
    assert top.features.semantic == other.features.semantic == 0.0


def test_reasons_name_skills_phrases_and_hours() -> None:
    person = talent(
        "A",
        skills=frozenset({"standardization", "cloud"}),
        available_hours=30,
        experience="住民記録システムの移行でガバクラ接続を担当した",
    )
    req = request(
        title="ガバメントクラウド移行",
        description="住民記録システムの移行を支援してほしい",
        skills=frozenset({"standardization"}),
        hours_per_month=20,
    )
    reasons = rank([req], [person, DISTRACTOR])["R1"].proposals[0].reasons
    assert [r.code for r in reasons] == ["skills", "similar", "terms", "phrases", "hours"]
    by_code = {r.code: dict(r.params) for r in reasons}
    assert by_code["skills"] == {"codes": ["standardization"]}
    assert by_code["terms"] == {"terms": ["ガバメントクラウド"]}
    assert "住民記録システムの移行" in by_code["phrases"]["phrases"]
    assert by_code["hours"] == {"need": 20, "have": 30}
    text = [render(r, labels=DEFAULT_LABELS) for r in reasons]
    assert text[0] == "共通スキル: 基幹業務システムの標準化・ガバメントクラウド移行"
    assert "ガバメントクラウド" in text[2]
    assert "住民記録システムの移行" in text[3]
    assert text[4] == "月20時間の依頼に対し月30時間まで対応可"


def test_reasons_use_caller_labels() -> None:
    person = talent("A", skills=frozenset({"eltax"}))
    req = request(skills=frozenset({"eltax"}))
    reasons = rank([req], [person])["R1"].proposals[0].reasons
    assert reasons[0] == Reason("skills", {"codes": ["eltax"]})
    assert render(reasons[0], labels={"eltax": "eLTAX活用"}) == "共通スキル: eLTAX活用"
    assert render(reasons[0]) == "共通スキル: eltax"  # an unknown code shows as itself


def test_index_ranks_one_request_and_many_alike() -> None:
    pool = [talent(f"T{i}", experience=f"窓口改革 {i}") for i in range(15)]
    index = TalentIndex.build(pool)
    one = index.rank(request(title="窓口改革"), k=5)
    many = index.rank_many([request(title="窓口改革")], k=5)["R1"]
    assert len(one.proposals) == 5
    assert [p.rank for p in one.proposals] == [1, 2, 3, 4, 5]
    assert one == many
    scores = [p.score for p in one.proposals]
    assert scores == sorted(scores, reverse=True)


def test_write_proposals_rows() -> None:
    result = rank([request(title="ガバメントクラウド")], [talent("A", experience="ガバクラ")])
    rows = write_proposals_rows(result)
    assert rows[0] == PROPOSAL_HEADER == ["request_id", "talent_id", "rank", "score", "reason"]
    assert rows[1][:4] == ["R1", "A", "1", f"{result['R1'].proposals[0].score:.4f}"]
    assert rows[1][4] == result["R1"].proposals[0].reasons  # rendered by the caller
    assert "ガバメントクラウド" in " / ".join(render(r) for r in rows[1][4])


def test_matching_package_imports_no_web_or_db_framework() -> None:
    package = Path(__file__).resolve().parents[2] / "talentpool" / "matching"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                for name in names:
                    assert name.split(".")[0] not in {"flask", "sqlalchemy", "flask_sqlalchemy"}


def test_the_matcher_reads_its_tables_from_the_apps_seed_folder() -> None:
    """The matcher locates seed/ itself (it imports nothing outside its package); it is the
    folder the app's one setting names."""
    from talentpool.config import SEED_DIR
    from talentpool.matching.synonyms import SEED_DIR as MATCHER_SEED_DIR

    assert MATCHER_SEED_DIR == SEED_DIR


def test_explain_pairs_matches_the_ranking_and_skips_ineligible_pairs() -> None:
    people = [
        talent("T1", experience="ガバクラ移行のPMO", skills=frozenset({"cloud"})),
        talent("T2", experience="書かない窓口の導入"),
        talent("T3", work_style="remote", experience="ガバメントクラウド移行"),
    ]
    need = request(
        title="ガバメントクラウド移行", onsite_required=True, skills=frozenset({"cloud"})
    )
    index = TalentIndex.build(people)
    ranked = {p.talent_id: p for p in index.rank(need, 5).proposals}
    explained = index.explain_pairs(
        [need], [("R1", "T1"), ("R1", "T2"), ("R1", "T3"), ("R1", "nobody"), ("R9", "T1")]
    )
    assert set(explained) == {("R1", "T1"), ("R1", "T2")}
    for (_rid, tid), proposal in explained.items():
        assert proposal.score == ranked[tid].score and proposal.reasons == ranked[tid].reasons


def test_an_empty_pool_ranks_and_plans_nothing() -> None:
    index = TalentIndex.build([])
    assert index.rank(request(), 5).proposals == ()
    assert optimal_plan([request()], index=index).placements == ()
