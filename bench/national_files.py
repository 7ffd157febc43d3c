"""National-scale match files: 47 prefectures, 10,000 talent, 5,000 requests, as the
pool and request import formats (CSV, UTF-8) that `talentpool match` and
../shared/bench/ref_match.py both read.

    python bench/national_files.py OUT_DIR [--talent 10000] [--requests 5000] [--seed 7]

Texts are realistic in length and varied: each is put together from sentences of the
labelled sets in bench/data (split at 。), with a municipality name, a year and a scale
mixed in, so no two texts are the same and a tokeniser cannot lean on repeats.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
SEED = Path(__file__).resolve().parents[1] / "seed"

TALENT_HEADER = (
    "external_id,name,name_kana,kind,cio_candidate,prefecture_code,skills,experience,"
    "qualifications,available_hours_per_month,work_style,areas,active"
).split(",")
REQUEST_HEADER = (
    "external_id,municipality_code,title,description,skills,hours_per_month,headcount,"
    "onsite_required,wants_cio"
).split(",")
FAMILY = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上".split()
GIVEN = "健一 美咲 翔太 陽子 大輔 彩 誠 由美 拓也 恵 直樹 真理 剛 愛 浩二 舞 亮 香織".split()
QUALIFICATIONS = [
    "",
    "",
    "応用情報技術者",
    "PMP",
    "情報処理安全確保支援士",
    "ITストラテジスト",
    "AWS認定ソリューションアーキテクト",
    "中小企業診断士",
    "ネットワークスペシャリスト",
]


def _sentences() -> tuple[list[str], list[str], list[str]]:
    """Talent sentences, request sentences and request titles from every labelled set."""
    talent, requests, titles = set(), set(), set()
    for path in sorted(DATA.glob("*_talent.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                talent.update(s for s in re.split(r"(?<=。)", row["experience"]) if len(s) > 8)
    for path in sorted(DATA.glob("*_requests.csv")):
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                requests.update(s for s in re.split(r"(?<=。)", row["description"]) if len(s) > 8)
                titles.add(row["title"])
    return sorted(talent), sorted(requests), sorted(titles)


def _municipalities() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    with open(SEED / "municipalities.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["lg_code"][:2], []).append((row["lg_code"], row["name"]))
    return out


def _codes() -> list[str]:
    with open(SEED / "taxonomy.csv", encoding="utf-8-sig", newline="") as fh:
        return [row["code"] for row in csv.DictReader(fh)]


def write(out: Path, *, talent: int = 10_000, requests: int = 5_000, seed: int = 7) -> None:
    rng = random.Random(seed)
    t_sent, r_sent, titles = _sentences()
    munis = _municipalities()
    prefs = sorted(munis)
    weights = [len(munis[p]) for p in prefs]
    codes = _codes()
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "talent.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(TALENT_HEADER)
        for n in range(talent):
            pref = rng.choices(prefs, weights)[0]
            place = rng.choice(munis[pref])[1]
            text = (
                f"{rng.randint(2008, 2025)}年から{place}で"
                + "".join(rng.sample(t_sent, rng.randint(1, 3)))
                + f"職員{rng.randint(3, 900)}名規模。"
            )
            areas = (
                ";".join(c for c, _ in rng.sample(munis[pref], min(3, len(munis[pref]))))
                if rng.random() < 0.1
                else ""
            )
            w.writerow(
                [
                    f"N{n:06d}",
                    f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
                    "",
                    rng.choice(["staff", "external", "external", "company"]),
                    int(rng.random() < 0.15),
                    pref,
                    ";".join(rng.sample(codes, rng.randint(0, 4))),
                    text,
                    rng.choice(QUALIFICATIONS),
                    rng.choice([0, 10, 20, 40, 80, 160]),
                    rng.choice(["onsite", "remote", "hybrid"]),
                    areas,
                    int(rng.random() < 0.95),
                ]
            )
    with open(out / "requests.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(REQUEST_HEADER)
        for n in range(requests):
            pref = rng.choices(prefs, weights)[0]
            code, name = rng.choice(munis[pref])
            w.writerow(
                [
                    f"NR{n:06d}",
                    code,
                    rng.choice(titles),
                    f"{name}では" + "".join(rng.sample(r_sent, rng.randint(1, 3))),
                    ";".join(rng.sample(codes[:14], rng.randint(0, 2))),
                    rng.choice([10, 20, 30, 40]),
                    rng.choice([1, 1, 2]),
                    int(rng.random() < 0.3),
                    int(rng.random() < 0.1),
                ]
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--talent", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    write(args.out, talent=args.talent, requests=args.requests, seed=args.seed)
    print(f"wrote {args.out}/talent.csv ({args.talent}) and requests.csv ({args.requests})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
