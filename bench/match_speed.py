"""Matching speed and memory on synthetic pools, beside a plain TF-IDF baseline.

Run: PYTHONPATH=. python bench/match_speed.py [--seed 7]

Pools: one prefecture (500 talent × 200 requests), national (10,000 talent × 5,000
requests over 47 prefectures), one request against 10,000 talent, and a scarce
prefecture (supply = 0.7 × demand in hours) for the fairness figures. Peak memory
is the process's maximum resident set size so far (resource.getrusage).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from talentpool.matching import (
    DEFAULT_LABELS,
    Policy,
    RequestSpec,
    TalentIndex,
    TalentProfile,
    check_plan,
    greedy_plan,
    optimal_plan,
)

PHRASES = {
    "frontyard": [
        "書かない窓口の導入",
        "申請書作成支援システム",
        "窓口DXの推進",
        "オンライン申請の拡大",
        "ワンストップ窓口の設計",
        "電子申請システムの導入",
    ],
    "standardization": [
        "20業務の標準化",
        "ガバクラへの移行",
        "基幹系システムの移行計画",
        "標準準拠システムへの移行",
        "ガバメントクラウド接続",
        "Fit&Gap分析",
    ],
    "eltax": [
        "eLTAXによる公金収納",
        "地方税統一QRコード対応",
        "納付書の様式改修",
        "共通納税の拡大",
    ],
    "mynumber": [
        "マイナンバーカードの交付体制",
        "マイナ保険証の利用促進",
        "コンビニ交付の導入",
        "出張申請受付",
    ],
    "security": [
        "情報セキュリティポリシーの改定",
        "CSIRTの運用",
        "標的型メール訓練",
        "脆弱性診断",
        "ISMS認証の取得",
    ],
    "ai_rpa": [
        "生成AIの利用ガイドライン",
        "ChatGPTの研修",
        "RPAシナリオ作成",
        "AI-OCRの導入",
        "AIチャットボット",
        "LLMによる要約",
    ],
    "telework": ["在宅勤務の導入", "リモートワーク環境", "Web会議の整備"],
    "regional_dx": [
        "デマンド交通の導入",
        "自動運転バスの実証",
        "防災アプリ",
        "スマート農業の普及",
        "オンライン診療",
        "観光DXの推進",
    ],
    "digital_divide": ["スマホ教室の講師", "デジタル活用支援員", "高齢者向け相談会"],
    "data": [
        "EBPMの推進",
        "根拠に基づく政策立案",
        "オープンデータの公開",
        "BIダッシュボード",
        "統合型GIS",
    ],
    "bpr": [
        "業務量調査",
        "業務フローの見直し",
        "BPRの計画策定",
        "ペーパーレス化",
        "電子決裁の導入",
    ],
    "strategy": ["DX推進計画の策定", "CIO補佐官としての助言", "推進体制の構築", "情報化計画の改定"],
    "hr_development": ["DX推進リーダーの育成", "職員研修の講師", "リスキリング支援"],
    "procurement": [
        "調達仕様書の作成",
        "ベンダー選定の評価",
        "ベンダーマネジメント",
        "保守費の見直し",
    ],
    "cloud": ["AWSでの環境構築", "Azureへの移行", "クラウド利用料の最適化"],
    "network": ["LGWAN接続系の設計", "三層分離の見直し", "無線LANの整備"],
    "project_management": [
        "PMOとして進捗管理",
        "プロジェクトマネジメント",
        "移行スケジュールの調整",
    ],
}
FILLER = [
    "市町村を支援した",
    "県内で実績あり",
    "民間企業での経験",
    "住民説明会を開催",
    "複数自治体で実施",
    "庁内の合意形成を担当",
    "現場の職員と伴走した",
]
HOURS = [10, 20, 20, 30, 40]


def _text(rng: random.Random, codes: list[str], n: int) -> str:
    picks = [rng.choice(PHRASES[rng.choice(codes)]) for _ in range(n)]
    return "、".join(picks + [rng.choice(FILLER)]) + "。"


def municipalities(pref: str, n: int = 20) -> list[str]:
    return [f"{pref}{i:03d}0" for i in range(1, n + 1)]


def make_talent(
    rng: random.Random, n: int, prefs: list[str], hours=(10, 80)
) -> list[TalentProfile]:
    codes = list(PHRASES)
    out = []
    for i in range(n):
        pref = rng.choice(prefs)
        mine = rng.sample(codes, rng.randint(1, 3))
        out.append(
            TalentProfile(
                id=f"T{i:05d}",
                prefecture_code=pref,
                kind=rng.choice(["staff", "external", "company"]),
                cio_candidate=rng.random() < 0.15,
                work_style=rng.choice(["onsite", "remote", "hybrid"]),
                available_hours=rng.randint(*hours),
                area_municipality_codes=frozenset(rng.sample(municipalities(pref), 5))
                if rng.random() < 0.1
                else None,
                skills=frozenset(mine) if rng.random() < 0.7 else frozenset(),
                experience=_text(rng, mine, rng.randint(2, 4)),
                qualifications="",
                active=rng.random() < 0.95,
                admin_training_done=rng.random() < 0.8,
            )
        )
    return out


def make_requests(rng: random.Random, n: int, prefs: list[str]) -> list[RequestSpec]:
    codes = list(PHRASES)
    out = []
    for i in range(n):
        pref = rng.choice(prefs)
        muni_i = rng.randint(1, 20)
        mine = rng.sample(codes, rng.randint(1, 2))
        out.append(
            RequestSpec(
                id=f"R{i:05d}",
                prefecture_code=pref,
                municipality_code=f"{pref}{muni_i:03d}0",
                title=rng.choice(PHRASES[mine[0]]),
                description=_text(rng, mine, 2),
                skills=frozenset(mine),
                hours_per_month=rng.choice(HOURS),
                headcount=rng.choice([1, 1, 1, 2]),
                onsite_required=rng.random() < 0.3,
                wants_cio=rng.random() < 0.05,
                municipality_small=muni_i > 14,
                municipality_supported=muni_i <= 5,
            )
        )
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def baseline_rank(requests, talent, k=10, chunk=512) -> dict[str, list[int]]:
    """Plain TF-IDF (word analyzer, raw text), sparse top-k, no rules."""
    vec = TfidfVectorizer()
    tm = vec.fit_transform([t.experience for t in talent]).T.tocsr()
    out = {}
    for s in range(0, len(requests), chunk):
        part = requests[s : s + chunk]
        sims = (vec.transform([f"{r.title} {r.description}" for r in part]) @ tm).toarray()
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, row in zip(part, top, strict=True):
            out[r.id] = row.tolist()
    return out


def plan_line(name, plan, requests, talent, policy, seconds) -> None:
    violations = check_plan(plan, requests, talent, policy)
    kinds = {v.kind for v in violations}
    print(
        f"  {name:<18} {seconds:6.2f} s  seats {len(plan.placements):>5}  total "
        f"{plan.total_score:9.2f}  objective/LP bound {plan.objective / plan.lp_bound:7.2%} "
        f"(HiGHS gap {plan.proven_gap:.2%})  violations {len(violations)}"
        f"{sorted(kinds) if kinds else ''}  status {plan.status}"
    )


def small_coverage(plan, requests) -> float:
    seated = {a.request_id for a in plan.placements}
    small = [r for r in requests if r.municipality_small]
    return sum(r.id in seated for r in small) / max(1, len(small))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    prefs = [f"{i:02d}" for i in range(1, 48)]
    policy = Policy(require_admin_training=frozenset(prefs[:20]))

    print("== one prefecture: 500 talent × 200 requests")
    talent = make_talent(rng, 500, ["20"])
    requests = make_requests(rng, 200, ["20"])
    index, t_build = timed(lambda: TalentIndex.build(talent, labels=DEFAULT_LABELS))
    _, t_rank = timed(lambda: index.rank_many(requests, 10, policy))
    _, t_base = timed(lambda: baseline_rank(requests, talent))
    print(
        f"  ranking top 10: build {t_build:.2f} s + rank {t_rank:.2f} s; "
        f"plain baseline {t_base:.2f} s"
    )
    opt, t_opt = timed(lambda: optimal_plan(requests, talent, policy))
    plan_line("optimal plan", opt, requests, talent, policy, t_opt)
    greedy, t_greedy = timed(lambda: greedy_plan(requests, policy=policy, index=index))
    plan_line("greedy plan", greedy, requests, talent, policy, t_greedy)
    print(f"  peak memory so far {peak_mb():.0f} MB")

    rng = random.Random(args.seed + 1)
    print("== national: 10,000 talent × 5,000 requests over 47 prefectures")
    talent = make_talent(rng, 10_000, prefs)
    requests = make_requests(rng, 5_000, prefs)
    index, t_build = timed(lambda: TalentIndex.build(talent, labels=DEFAULT_LABELS))
    ranked, t_rank = timed(lambda: index.rank_many(requests, 10, policy))
    _, t_plain = timed(lambda: index.rank_many(requests, 10, policy, explain_reasons=False))
    _, t_base = timed(lambda: baseline_rank(requests, talent))
    bad = sum(
        v.kind == "ineligible"
        for rid, rr in list(ranked.items())[:500]
        for v in check_plan([(rid, p.talent_id) for p in rr.proposals], requests, talent, policy)
    )
    print(
        f"  ranking top 10: build {t_build:.2f} s + rank {t_rank:.2f} s = "
        f"{t_build + t_rank:.2f} s (without reasons {t_plain:.2f} s); plain baseline "
        f"{t_base:.2f} s; ineligible proposals in first 500 rankings: {bad}"
    )
    opt, t_opt = timed(lambda: optimal_plan(requests, policy=policy, index=index))
    plan_line("47 optimal plans", opt, requests, talent, policy, t_opt)
    greedy, t_greedy = timed(lambda: greedy_plan(requests, policy=policy, index=index))
    plan_line("47 greedy plans", greedy, requests, talent, policy, t_greedy)
    print(
        f"  optimal vs greedy total score: {opt.total_score:.2f} vs {greedy.total_score:.2f}"
        f"; peak memory so far {peak_mb():.0f} MB"
    )

    rng = random.Random(args.seed + 2)
    print("== one request against 10,000 talent (one prefecture, index built once)")
    talent = make_talent(rng, 10_000, ["13"])
    requests = make_requests(rng, 50, ["13"])
    index, t_build = timed(lambda: TalentIndex.build(talent, labels=DEFAULT_LABELS))
    times = [timed(lambda r=r: index.rank(r, 10, policy))[1] for r in requests]
    print(
        f"  build {t_build:.2f} s; per request median {np.median(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms"
    )

    rng = random.Random(args.seed + 3)
    print("== scarce prefecture: supply = 0.7 × demand (hours), fairness")
    requests = make_requests(rng, 200, ["20"])
    demand = sum(r.hours_per_month * r.headcount for r in requests)
    talent, supply = [], 0
    for t in make_talent(rng, 2000, ["20"], hours=(20, 60)):
        if supply >= 0.7 * demand:
            break
        talent.append(replace(t, active=True))
        supply += t.available_hours
    index = TalentIndex.build(talent, labels=DEFAULT_LABELS)
    print(
        f"  {len(talent)} talent, {supply} h supply / {demand} h demand "
        f"({supply / demand:.0%}); {sum(r.municipality_small for r in requests)} "
        f"requests from small municipalities"
    )
    for name, pol, fn in (
        ("greedy", policy, greedy_plan),
        ("optimal", policy, optimal_plan),
        ("optimal+fairness", replace(policy, fairness=True), optimal_plan),
    ):
        plan, secs = timed(lambda fn=fn, pol=pol: fn(requests, policy=pol, index=index))
        seated = {a.request_id for a in plan.placements}
        print(
            f"  {name:<17} {secs:5.2f} s  covered {len(seated) / len(requests):6.1%}  "
            f"small municipalities covered {small_coverage(plan, requests):6.1%}  total "
            f"{plan.total_score:7.2f}  objective/LP bound {plan.objective / plan.lp_bound:7.2%}"
            f" (HiGHS gap {plan.proven_gap:.2%})"
            f"  violations {len(check_plan(plan, requests, talent, pol))}"
        )
    print(f"peak memory (max RSS) {peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
