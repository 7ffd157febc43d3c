"""The score's components one by one, on small hand-made pools; standardisation; one
score per pair wherever it is shown; reasons as codes and as sentences."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from talentpool.matching import (
    DEFAULT_LABELS,
    Policy,
    Reason,
    TalentIndex,
    Weights,
    greedy_plan,
    optimal_plan,
    rank,
)
from talentpool.matching.analysis import sentences
from talentpool.matching.documents import analyse
from talentpool.matching.evidence import evidence
from talentpool.matching.index import standardise
from talentpool.matching.lexical import Bm25
from talentpool.matching.normalize import normalize
from talentpool.matching.reasons import MAX_QUOTE, MESSAGES, render
from tests.unit.matching_specs import request, talent

#: Profiles of other trades, so that standardising over the eligible talent has a crowd.
OTHER_TRADES = [
    "小売店舗のPOSレジ導入と在庫管理",
    "製造業の生産管理システムの保守運用",
    "病院の電子カルテ更新プロジェクトでベンダー調整",
    "中学校のタブレット端末配備とネットワーク設定",
    "観光協会のウェブサイト制作とSNS発信",
    "銀行の勘定系システムのテスト",
]
CROWD = [talent(f"U{i}", experience=text) for i, text in enumerate(OTHER_TRADES)]
WEIGHTS = Weights.load()


def _by_id(result) -> dict:
    return {p.talent_id: p for p in result.proposals}


def _only(component: str) -> Weights:
    """The seed weights with every other component set to 0."""
    return replace(WEIGHTS, **{c: 0.0 for c in WEIGHTS.components if c != component})


# --- lexical ---------------------------------------------------------------------------


def test_lexical_folds_full_width_letters() -> None:
    pool = [
        talent("FULL", experience="ＡＷＳ環境の構築"),
        talent("HALF", experience="AWS環境の構築"),
        *CROWD,
    ]
    result = rank([request(title="AWSで環境構築")], pool, k=10)["R1"]
    found = _by_id(result)
    assert {p.talent_id for p in result.proposals[:2]} == {"FULL", "HALF"}
    assert found["FULL"].features == found["HALF"].features  # one text after NFKC
    assert found["FULL"].score == found["HALF"].score
    assert found["FULL"].features.lexical > 1.0


def test_bm25_prefers_the_text_sharing_rare_ngrams() -> None:
    # Each text shares as many characters and bigrams with the query (4 + 3) and all are
    # as long; but 電子決裁 occurs in one text, 文書管理 in four.
    texts = [
        "電子決裁の導入",
        "文書管理の導入",
        "文書管理の改善",
        "文書管理の点検",
        "文書管理の研修",
    ]
    bm25 = Bm25.fit([normalize(t) for t in texts])
    scores = (bm25.queries([normalize("文書管理と電子決裁")]) @ bm25.weights.T).toarray()[0]
    assert scores[0] > scores[1] > 0
    assert scores[1] == pytest.approx(scores[2]) == pytest.approx(scores[3])
    # a gram the corpus never saw adds nothing and breaks nothing
    assert (bm25.queries(["ゼロトラスト"]) @ bm25.weights.T).nnz == 0


def test_lexical_component_ranks_by_bm25_in_the_index() -> None:
    pool = [
        talent("RARE", experience="電子決裁の導入"),
        *(
            talent(f"C{i}", experience=f"文書管理の{w}")
            for i, w in enumerate("導入 改善 点検".split())
        ),
    ]
    result = rank([request(title="文書管理と電子決裁")], pool, k=4, weights=_only("lexical"))
    found = _by_id(result["R1"])
    assert result["R1"].proposals[0].talent_id == "RARE"
    assert found["RARE"].features.lexical > found["C0"].features.lexical


# --- semantic --------------------------------------------------------------------------


def test_semantic_ranks_a_paraphrase_above_unrelated_work() -> None:
    paraphrase = talent("P", experience="住民が申請書を手書きしなくて済む受付の仕組みを導入")
    need = request(title="書かない窓口の導入")  # no skill codes on either side
    index = TalentIndex.build([*CROWD, paraphrase])
    result = index.rank(need, 10)
    assert result.proposals[0].talent_id == "P"
    semantic = {p.talent_id: p.features.semantic for p in result.proposals}
    assert semantic["P"] == max(semantic.values()) and semantic["P"] > 1.0
    # the paraphrase shares no domain term with the request: meaning alone puts it first
    assert not any(r.code == "terms" for r in result.proposals[0].reasons)
    alone = rank([need], [*CROWD, paraphrase], k=10, weights=_only("semantic"))["R1"]
    assert alone.proposals[0].talent_id == "P"
    # the raw cosine, before standardising, says the same
    vectors = index.semantic.embed([a.words for a in index.analysed])
    (query,) = index.semantic.embed([analyse("書かない窓口の導入").words])
    assert int(np.argmax(vectors @ query)) == len(CROWD)


def test_a_text_without_known_words_has_no_direction() -> None:
    index = TalentIndex.build([talent("A", experience="窓口"), talent("B", experience="")])
    vectors = index.semantic.embed([["窓口"], [], ["xyzzyplugh"]])
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-5)
    assert not vectors[1].any() and not vectors[2].any()


# --- skill -----------------------------------------------------------------------------


def test_an_exact_skill_match_beats_an_over_claimer_with_the_same_text() -> None:
    text = "市役所で公金収納の窓口を担当"
    six = frozenset({"eltax", "security", "ai_rpa", "telework", "data", "bpr"})
    pool = [
        talent("EXACT", experience=text, skills=frozenset({"eltax"})),
        talent("MANY", experience=text, skills=six),
        *CROWD,
    ]
    result = rank([request(title="eLTAXでの公金収納", skills=frozenset({"eltax"}))], pool)["R1"]
    exact, many = _by_id(result)["EXACT"], _by_id(result)["MANY"]
    assert [p.talent_id for p in result.proposals[:2]] == ["EXACT", "MANY"]
    assert (exact.features.lexical, exact.features.semantic) == (
        many.features.lexical,
        many.features.semantic,
    )
    assert exact.features.skill > many.features.skill  # Jaccard 1 against 1/6
    assert exact.score > many.score
    assert Reason("skills", {"codes": ["eltax"]}) in many.reasons  # still named, not hidden


# --- hours -----------------------------------------------------------------------------


def test_hours_count_up_to_what_the_request_needs() -> None:
    text = "公金収納の窓口を担当"
    pool = [
        talent(f"H{h}", available_hours=h, experience=text) for h in (40, 20, 10, 5)
    ]  # hours below the request's still eligible: the plan checks them
    result = rank([request(title="公金収納", hours_per_month=20)], pool)["R1"]
    found = _by_id(result)
    order = [p.talent_id for p in result.proposals]
    assert set(order[:2]) == {"H40", "H20"} and order[2:] == ["H10", "H5"]
    assert found["H40"].score == found["H20"].score  # more than needed earns nothing
    assert found["H20"].features.hours > found["H10"].features.hours > found["H5"].features.hours
    assert found["H20"].score > found["H10"].score > found["H5"].score
    assert Reason("hours", {"need": 20, "have": 10}) in found["H10"].reasons


# --- evidence --------------------------------------------------------------------------


def test_evidence_tells_interest_from_work() -> None:
    assert evidence("書かない窓口のセミナーを受講し関心があります") == -1.0
    assert evidence("ＤＸ推進の勉強中です") == -1.0  # NFKC first
    assert evidence("書かない窓口の導入を担当しました") == 0.0
    # interest beside two pieces of work done is not interest only
    assert evidence("セミナーを受講した。窓口の導入を担当し、様式を見直した") == 0.0
    assert evidence("") == 0.0


def test_evidence_tells_a_sales_pitch_from_work() -> None:
    # a vendor offering its product, a blog about the topic: the request's words, no work
    assert evidence("窓口支援システム「マドスマ」を提供しています。書かない窓口に対応") == -1.0
    assert evidence("自治体DXをトータルに支援します。DXのことなら何でもお任せください") == -1.0
    assert evidence("マイナポータルの最新動向を発信するブログを運営しています") == -1.0
    # a company that says what it did is judged by that work
    assert evidence("窓口システムを提供しています。A市で導入を担当し、運用まで支援した") == 0.0
    assert evidence("脆弱性診断を提供。自治体サイトのセキュリティ監査の実績あり") == 0.0


def test_a_seminar_goer_ranks_below_the_one_who_did_the_work() -> None:
    did = talent("DID", experience="市役所で書かない窓口を担当しました")
    heard = talent(
        "HEARD", experience="書かない窓口のセミナーを受講し、書かない窓口に関心があります"
    )
    need = request(title="書かない窓口を始めたい")
    pool = [*CROWD, heard, did]
    text_only = _by_id(rank([need], pool, weights=replace(WEIGHTS, evidence=0.0))["R1"])
    # on the text alone the two are all but tied …
    assert abs(text_only["DID"].score - text_only["HEARD"].score) < 0.02
    result = rank([need], pool)["R1"]
    found = _by_id(result)
    # … the evidence component sets them apart
    assert [p.talent_id for p in result.proposals[:2]] == ["DID", "HEARD"]
    assert found["HEARD"].features.evidence < 0 < found["DID"].features.evidence
    assert found["DID"].score - found["HEARD"].score > 0.05


# --- standardise -----------------------------------------------------------------------


def test_standardise_gives_mean_0_and_std_1_over_the_mask_and_0_elsewhere() -> None:
    values = np.array(
        [
            [1.0, 2.0, 3.0, 100.0, 5.0],
            [7.0, 7.0, 7.0, 7.0, 1.0],  # flat over the mask
            [4.0, 0.0, 0.0, 0.0, 0.0],  # one masked entry
            [1.0, 2.0, 3.0, 4.0, 5.0],  # nothing masked
        ]
    )
    mask = np.array(
        [
            [True, True, True, False, True],
            [True, True, True, True, False],
            [True, False, False, False, False],
            [False] * 5,
        ]
    )
    stats, centred = standardise(values, mask, np.maximum(mask.sum(axis=1), 1))
    z = centred * stats.scale[:, None]
    row = z[0][mask[0]]
    assert row.mean() == pytest.approx(0.0, abs=1e-6)
    assert row.std() == pytest.approx(1.0)
    rows, cols = np.nonzero(mask)
    assert stats.at(rows, cols) == pytest.approx(z[rows, cols])
    assert z[0, 3] == 0.0  # masked out, however large
    assert np.array_equal(z[1], np.zeros(5))
    assert np.array_equal(z[2], np.zeros(5))
    assert np.array_equal(z[3], np.zeros(5))
    # order within the row is kept
    assert z[0, 0] < z[0, 1] < z[0, 2] < z[0, 4]


# --- one score per pair ----------------------------------------------------------------

PAIR_POOL = [
    talent("T1", experience="ガバクラ移行のPMO", skills=frozenset({"standardization"})),
    talent("T2", experience="書かない窓口の導入", available_hours=40),
    talent("T3", experience="ガバメントクラウド移行と標準化の支援", available_hours=40),
    talent("T4", experience="標準準拠システムへの移行計画を作成"),
    talent("T5", work_style="remote", experience="ガバメントクラウド移行"),
    *CROWD,
]
PAIR_REQUESTS = [
    request("R1", title="ガバメントクラウド移行", skills=frozenset({"standardization"})),
    request("R2", title="書かない窓口の導入", onsite_required=True),
    request("R3", title="標準化の移行計画", hours_per_month=10, headcount=2),
]


def test_explain_pairs_gives_the_ranking_score_for_every_pair() -> None:
    index = TalentIndex.build(PAIR_POOL)
    ranked = index.rank_many(PAIR_REQUESTS, k=len(PAIR_POOL))
    pairs = [(rid, p.talent_id) for rid, rr in ranked.items() for p in rr.proposals]
    explained = index.explain_pairs(PAIR_REQUESTS, pairs)
    assert set(explained) == set(pairs)
    for rid, rr in ranked.items():
        for p in rr.proposals:
            e = explained[(rid, p.talent_id)]
            assert (e.score, e.features, e.reasons) == (p.score, p.features, p.reasons)
            assert e.rank == 0
    assert ("R2", "T5") not in explained  # remote-only on an on-site request


@pytest.mark.parametrize("plan", [optimal_plan, greedy_plan])
def test_a_plan_of_some_talent_only_keeps_every_pair_score(plan) -> None:
    index = TalentIndex.build(PAIR_POOL)
    ranked = index.rank_many(PAIR_REQUESTS, k=len(PAIR_POOL))
    score = {(rid, p.talent_id): p.score for rid, rr in ranked.items() for p in rr.proposals}
    allowed = {"T2", "T4", "U0"}
    limited = plan(PAIR_REQUESTS, policy=Policy(), index=index, allowed=allowed)
    whole = plan(PAIR_REQUESTS, policy=Policy(), index=index)
    assert limited.placements and {a.talent_id for a in limited.placements} <= allowed
    assert not {a.talent_id for a in whole.placements} <= allowed  # the filter did cut
    explained = index.explain_pairs(PAIR_REQUESTS, limited.pairs() + whole.pairs())
    for placement in (*limited.placements, *whole.placements):
        pair = (placement.request_id, placement.talent_id)
        assert placement.score == pytest.approx(score[pair], abs=1e-4)
        assert explained[pair].score == score[pair]


# --- reasons ---------------------------------------------------------------------------


def _top_reasons():
    person = talent(
        "A",
        skills=frozenset({"standardization"}),
        available_hours=10,
        experience="人事給与の担当でした。住民記録システムの移行でガバクラ接続を担当した。",
    )
    need = request(
        title="ガバメントクラウド移行",
        description="住民記録システムの移行を支援してほしい",
        skills=frozenset({"standardization"}),
        hours_per_month=20,
    )
    top = rank([need], [person, *CROWD])["R1"].proposals[0]
    assert top.talent_id == "A"
    return person, top.reasons


def test_reasons_are_codes_with_parameters() -> None:
    person, reasons = _top_reasons()
    assert [r.code for r in reasons] == ["skills", "similar", "terms", "phrases", "hours"]
    params = {r.code: dict(r.params) for r in reasons}
    assert params["skills"] == {"codes": ["standardization"]}
    assert params["terms"] == {"terms": ["ガバメントクラウド"]}
    assert params["phrases"]["phrases"][0] == "住民記録システムの移行"
    assert params["hours"] == {"need": 20, "have": 10}
    # the closest sentence is one of the talent's own, as written, not the whole text
    assert params["similar"]["sentence"] in sentences(person.experience)
    assert params["similar"]["sentence"].startswith("住民記録システムの移行")
    assert 0.35 <= params["similar"]["similarity"] <= 1.0
    for r in reasons:  # storable: a plain dict and back
        assert Reason.from_dict(r.as_dict()) == r


def test_render_in_japanese_with_the_identity_gettext() -> None:
    _person, reasons = _top_reasons()
    text = [render(r, lambda s: s, DEFAULT_LABELS) for r in reasons]
    assert text[0] == "共通スキル: 基幹業務システムの標準化・ガバメントクラウド移行"
    similar = dict(reasons[1].params)
    assert text[1] == (f"近い経験: 「{similar['sentence']}」(類似度 {similar['similarity']:.2f})")
    assert text[2] == "経験の一致: ガバメントクラウド"
    assert text[3].startswith("共通する語句: 「住民記録システムの移行」")
    assert text[4] == "月20時間の依頼に対し月10時間まで対応可(不足10時間)"


def test_render_goes_through_the_given_gettext() -> None:
    english = {
        MESSAGES["skills"]: "Shared skills: %(skills)s",
        MESSAGES["hours"]: "%(have)d of %(need)d hours a month",
    }
    skills = Reason("skills", {"codes": ["eltax", "unknown_code"]})
    hours = Reason("hours", {"need": 20, "have": 30})
    labels = {"eltax": "eLTAX"}
    assert render(skills, english.get, labels, ", ") == "Shared skills: eLTAX, unknown_code"
    assert render(hours, english.get) == "30 of 20 hours a month"


def test_a_long_closest_sentence_is_cut_when_quoted() -> None:
    long = (
        "市町村のガバメントクラウド移行を、移行計画の作成、移行作業の進捗管理、移行後の"
        "クラウド運用まで、ガバメントクラウドへの移行の全工程で支援し、予定どおりに移行を"
        "完了させた"
    )
    assert len(long) > MAX_QUOTE
    person = talent("A", experience=long)
    top = rank([request(title="ガバメントクラウド移行")], [person, *CROWD])["R1"].proposals[0]
    similar = next(dict(r.params) for r in top.reasons if r.code == "similar")
    assert len(similar["sentence"]) == MAX_QUOTE and similar["sentence"].endswith("…")
    assert long.startswith(similar["sentence"][:-1])
