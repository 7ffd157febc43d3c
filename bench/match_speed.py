"""Matching speed at national scale, against the plain scikit-learn reference.

Run: python bench/match_speed.py [--talent 10000] [--requests 5000] [--seed 7]

1. Writes the national files (bench/national_files.py: 47 prefectures, 10,000 talent,
   5,000 requests) into a temporary folder.
2. Times `talentpool match --top 10` cold (an empty matcher cache) and warm (the cache
   the cold run left: the talent side's word analysis), then ../shared/bench/ref_match.py
   on the same files right after; wall time of each whole process, and the peak memory
   (max RSS) of talentpool's processes.
3. Times one request against a prefecture pool of 2,000 talent in-process, as the
   ranking page does after warm-up (index kept by the process), median of 30.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "bench" / "ref_match.py"


def run(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def peak_children_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def national(args) -> None:
    from bench.national_files import write

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(folder, talent=args.talent, requests=args.requests, seed=args.seed)
        env = {**os.environ, "TALENTPOOL_CACHE_DIR": str(folder / "cache")}
        env.pop("SECRET_KEY", None)
        talentpool = str(Path(sys.executable).with_name("talentpool"))
        files = ["--talent", str(folder / "talent.csv"), "--requests", str(folder / "requests.csv")]
        ours = [talentpool, "match", *files, "--top", "10", "--out", str(folder / "ours.csv")]
        cold = run(ours, env)
        warm = run(ours, env)
        peak = peak_children_mb()
        reference = run(
            [sys.executable, str(REFERENCE), *files[1::2], str(folder / "ref.csv"), "--top", "10"],
            env,
        )
    print(f"== national: {args.talent:,} talent × {args.requests:,} requests, top 10")
    print(f"  talentpool match cold {cold:6.2f} s  ({cold / reference:4.2f}× reference)")
    print(f"  talentpool match warm {warm:6.2f} s  ({warm / reference:4.2f}× reference)")
    print(f"  reference ref_match   {reference:6.2f} s")
    print(f"  peak memory of talentpool match: {peak:.0f} MB")
    print(
        f"SCORE cold_s={cold:.2f} warm_s={warm:.2f} reference_s={reference:.2f} "
        f"cold_ratio={cold / reference:.2f} warm_ratio={warm / reference:.2f} peak_mb={peak:.0f}"
    )


def one_request(seed: int) -> None:
    import random

    from talentpool.matching import Policy, TalentIndex
    from talentpool.services.matching.match_files import read_requests, read_talent

    with tempfile.TemporaryDirectory() as tmp:
        from bench.national_files import write

        folder = Path(tmp)
        write(folder, talent=2_000, requests=200, seed=seed)
        talent, _ = read_talent(folder / "talent.csv")
        requests, _ = read_requests(folder / "requests.csv")
    from dataclasses import replace

    code = "13"  # 2,000 talent of the national file, all placed in one prefecture
    pool = [replace(t, prefecture_code=code, area_municipality_codes=None) for t in talent[:2000]]
    wanted = [replace(r, prefecture_code=code) for r in requests]
    start = time.perf_counter()
    index = TalentIndex.build(pool)
    built = time.perf_counter() - start
    rng = random.Random(seed)
    times = []
    for _ in range(30):
        r = rng.choice(wanted)
        start = time.perf_counter()
        index.rank(r, 20, Policy())
        times.append(time.perf_counter() - start)
    print(f"== one request against {len(pool):,} talent of one prefecture (ranking page)")
    print(
        f"  index built once in {built:.2f} s; then per request median "
        f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talent", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    national(args)
    one_request(args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
