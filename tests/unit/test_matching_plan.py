"""Plan mode: capacity in hours, headcount, no duplicates, optimal beats greedy, fairness."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool.matching import (
    Policy,
    RequestSpec,
    TalentIndex,
    TalentProfile,
    check_plan,
    greedy_plan,
    optimal_plan,
)
from tests.unit.matching_specs import request as make_request
from tests.unit.matching_specs import talent as make_talent


def talent(id: str, **kw) -> TalentProfile:
    """A talent with 20 hours free unless said otherwise (the plans here count in 20s)."""
    return make_talent(id, **{"available_hours": 20, **kw})


def request(id: str, **kw) -> RequestSpec:
    return make_request(id, **kw)


def test_optimal_beats_greedy_where_greedy_is_wrong() -> None:
    # A fits both requests best; greedy spends A on R1 and leaves R2 to weak B. Scores are
    # standardised per request: on R1, A and B both stand far above the others (a small
    # gap between them); on R2, on site, only A and B are eligible (a wide gap).
    others = [
        "小売店舗のPOSレジ導入",
        "観光協会のウェブサイト制作",
        "製造業の生産管理",
        "農業法人の経理",
    ]
    pool = [
        talent("A", experience="ガバメントクラウド移行を支援。書かない窓口"),
        talent("B", experience="ガバメントクラウドの運用"),
        *(talent(f"F{i}", work_style="remote", experience=t) for i, t in enumerate(others)),
    ]
    requests = [
        request("R1", title="ガバメントクラウド移行を支援"),
        request("R2", title="書かない窓口の導入", onsite_required=True),
    ]
    index = TalentIndex.build(pool)
    greedy = greedy_plan(requests, policy=Policy(), index=index)
    best = optimal_plan(requests, policy=Policy(), index=index)
    assert set(greedy.pairs()) == {("R1", "A"), ("R2", "B")}
    assert set(best.pairs()) == {("R1", "B"), ("R2", "A")}
    assert best.total_score > greedy.total_score
    assert best.status == "optimal"
    assert best.lp_bound >= best.objective - 1e-9
    assert 0 <= best.gap < 0.03


def test_hours_not_seats_and_no_duplicate_pairs() -> None:
    # One person, 50 h left: a 2-seat request of 20 h and a 30 h request.
    pool = [talent("A", available_hours=50, experience="窓口改革")]
    requests = [
        request("R1", title="窓口改革", headcount=2, hours_per_month=20),
        request("R2", title="窓口改革", hours_per_month=30),
        request("R3", title="窓口改革", hours_per_month=20),
    ]
    for plan in (optimal_plan(requests, pool), greedy_plan(requests, pool)):
        assert len(plan.pairs()) == len(set(plan.pairs()))
        assert sum(a.hours for a in plan.placements) <= 50
        assert check_plan(plan, requests, pool) == []


def test_reserved_hours_and_filled_seats_are_respected() -> None:
    pool = [talent("A", available_hours=10, experience="窓口改革"), talent("B", experience="窓口")]
    requests = [
        request("R1", title="窓口改革", hours_per_month=20, headcount=0, seats_filled=2),
        request("R2", title="窓口改革", hours_per_month=20),
    ]
    plan = optimal_plan(requests, pool)
    assert plan.pairs() == [("R2", "B")]


def test_fairness_covers_a_first_seat_the_plain_plan_leaves_out() -> None:
    pool = [talent("A", experience="書かない窓口の導入と窓口改革を支援")]
    big = request(
        "R1",
        title="書かない窓口の導入と窓口改革",
        municipality_code="202011",
        municipality_supported=True,
        seats_filled=1,
    )
    small = request("R2", title="窓口の相談", municipality_code="204862", municipality_small=True)
    plain = optimal_plan([big, small], pool, Policy())
    fair = optimal_plan([big, small], pool, Policy(fairness=True))
    assert plain.pairs() == [("R1", "A")]
    assert fair.pairs() == [("R2", "A")]
    assert fair.objective > fair.total_score


def test_plans_never_place_ineligible_talent() -> None:
    pool = [
        talent("R", work_style="remote", experience="窓口改革"),
        talent("S", kind="staff", admin_training_done=False, experience="窓口改革"),
    ]
    requests = [request("R1", title="窓口改革", onsite_required=True)]
    policy = Policy(require_admin_training=frozenset({"20"}))
    assert optimal_plan(requests, pool, policy).placements == ()
    assert greedy_plan(requests, pool, policy).placements == ()


def test_check_plan_reports_each_kind_of_violation() -> None:
    pool = [talent("A", available_hours=30), talent("R", work_style="remote", available_hours=60)]
    requests = [request("R1"), request("R2", onsite_required=True)]
    edited = [("R1", "A"), ("R1", "A"), ("R2", "A"), ("R1", "R"), ("R2", "R"), ("R9", "A")]
    found = {(v.kind, v.request_id, v.talent_id) for v in check_plan(edited, requests, pool)}
    assert found == {
        ("duplicate", "R1", "A"),
        ("hours", "", "A"),  # 20 h + 20 h on 30 h
        ("headcount", "R1", ""),
        ("headcount", "R2", ""),
        ("ineligible", "R2", "R"),  # remote-only on an on-site request
        ("unknown", "R9", "A"),
    }
    assert check_plan([("R1", "A"), ("R2", "A")], requests, pool) != []
    assert check_plan([("R1", "A")], requests, pool) == []


TEXTS = ["ガバメントクラウド移行", "書かない窓口", "生成AIの導入", "EBPM", "三層分離の見直し", ""]
talent_st = st.builds(
    lambda i, hours, style, pref, text, active: talent(
        f"T{i}",
        available_hours=hours,
        work_style=style,
        prefecture_code=pref,
        experience=text,
        active=active,
    ),
    st.integers(0, 10_000),
    st.integers(0, 70),
    st.sampled_from(["onsite", "remote", "hybrid"]),
    st.sampled_from(["20", "15"]),
    st.sampled_from(TEXTS),
    st.booleans(),
)
request_st = st.builds(
    lambda i, hours, seats, onsite, text, small, pref: request(
        f"R{i}",
        hours_per_month=hours,
        headcount=seats,
        onsite_required=onsite,
        title=text,
        municipality_small=small,
        municipality_code=f"{pref}2011",
        prefecture_code=pref,
    ),
    st.integers(0, 10_000),
    st.sampled_from([5, 10, 20, 30]),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from(TEXTS),
    st.booleans(),
    st.sampled_from(["20", "15"]),
)


@settings(max_examples=40, deadline=None, database=None)
@given(
    st.lists(talent_st, min_size=1, max_size=8, unique_by=lambda t: t.id),
    st.lists(request_st, min_size=1, max_size=6, unique_by=lambda r: r.id),
    st.booleans(),
)
def test_random_pools_respect_hours_headcount_and_rules(talent_list, request_list, fair) -> None:
    policy = Policy(fairness=fair, candidates=5)
    index = TalentIndex.build(talent_list)
    best = optimal_plan(request_list, policy=policy, index=index)
    greedy = greedy_plan(request_list, policy=policy, index=index)
    assert check_plan(best, request_list, talent_list, policy) == []
    assert check_plan(greedy, request_list, talent_list, policy) == []
    assert best.objective >= greedy.objective * (1 - policy.mip_rel_gap) - 1e-6
    assert best.lp_bound >= best.objective - 1e-6


def test_a_memoised_index_scores_each_request_once_and_agrees_with_a_fresh_one() -> None:
    # The plan, its greedy comparison and its reasons share one memoised index: the
    # chunks it assembles from kept rows must give the same plans, scores and reasons,
    # whatever the chunking and the hours/allowed masks of each call.
    pool = [
        talent("A", experience="ガバメントクラウド移行を支援。書かない窓口", available_hours=40),
        talent("B", experience="ガバメントクラウドの運用"),
        talent("C", experience="書かない窓口の導入を支援", work_style="remote"),
        talent("D", experience="情報セキュリティポリシーの改定", available_hours=10),
    ]
    requests = [
        request("R1", title="ガバメントクラウド移行を支援"),
        request("R2", title="書かない窓口の導入", onsite_required=True),
        request("R3", title="セキュリティポリシーの改定", hours_per_month=20),
    ]
    fresh = TalentIndex.build(pool)
    memo = fresh.memoised()
    policy = Policy(fairness=True)
    calls = []
    scorer = memo._score_chunk
    memo._score_chunk = lambda chunk, *a: calls.append([r.id for r in chunk]) or scorer(chunk, *a)
    for allowed in (None, {"A", "B"}):
        assert optimal_plan(requests, policy=policy, index=memo, allowed=allowed) == optimal_plan(
            requests, policy=policy, index=fresh, allowed=allowed
        )
        assert greedy_plan(requests, policy=policy, index=memo, allowed=allowed) == greedy_plan(
            requests, policy=policy, index=fresh, allowed=allowed
        )
    pairs = [("R1", "A"), ("R2", "B"), ("R3", "D"), ("R3", "C")]
    assert memo.explain_pairs(requests[2:], pairs, policy) == fresh.explain_pairs(
        requests[2:], pairs, policy
    )
    assert memo.explain_pairs(requests, pairs, policy) == fresh.explain_pairs(
        requests, pairs, policy
    )
    assert calls == [["R1", "R2", "R3"]]  # every later call reused the kept rows
    assert memo.rank(requests[0], 3, policy) == fresh.rank(requests[0], 3, policy)
    # a fresh index (and with_profiles) keeps nothing
    assert fresh._rows is None and memo.with_profiles(pool)._rows is None
