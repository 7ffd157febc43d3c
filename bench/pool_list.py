"""Time the pool list page with 10,000 profiles and count its SQL statements.

    .venv/bin/python bench/pool_list.py [--talent 10000] [--runs 5] [--database-url URL]

Builds a fresh SQLite database (schema from the migrations, real reference data), fills one
prefecture's pool, logs a coordinator in through the test client and requests the list page
with several filter combinations. Prints the median time and the statement count per page, then
the export of the whole pool and its upload back (the preview's row-by-row comparison: every
row 変更なし).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, select  # noqa: E402

from talentpool import create_app  # noqa: E402
from talentpool.config import overrides_for_tests  # noqa: E402
from talentpool.extensions import db  # noqa: E402
from talentpool.migrating import upgrade  # noqa: E402
from talentpool.models import (  # noqa: E402
    Enrollment,
    Invitation,
    Prefecture,
    Role,
    Talent,
    TaxonomyTerm,
    TrainingProgram,
    talent_skill,
)
from talentpool.services.accounts.users import create_user  # noqa: E402
from talentpool.services.reference import seed_reference  # noqa: E402
from talentpool.text import search_key  # noqa: E402

PASSWORD = "quiet-harbour-lantern-42"  # must not contain the e-mail address
WORDS = [
    "AWS",
    "Azure",
    "LGWAN",
    "標準化",
    "ガバメントクラウド",
    "書かない窓口",
    "RPA",
    "生成AI",
    "マイナンバーカード",
    "セキュリティ",
    "BPR",
    "オープンデータ",
    "防災",
    "スマート農業",
]
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"

COMBOS = {
    "no filter (page 1)": "/pool/",
    "page 200": "/pool/?page=200",
    "search 'ＡＷＳ'": "/pool/?q=ＡＷＳ",
    "skills cloud+security": "/pool/?skills=cloud&skills=security",
    "staff, CIO, onsite, ≥80h": "/pool/?kind=staff&cio=yes&work_style=onsite&min_hours=80",
    "all filters + sort by hours": "/pool/?q=標準化&skills=cloud&kind=external&cio=no"
    "&work_style=hybrid&min_hours=20&active=all&training=no"
    "&sort=hours",
    "admin training completed": "/pool/?training=yes",
    "inactive, sort updated": "/pool/?active=inactive&sort=updated",
    "login: invited (pending)": "/pool/?login=pending",
    "login: never invited": "/pool/?login=none&sort=hours",
}


def fill(count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    prefecture = db.session.scalar(select(Prefecture).where(Prefecture.code == "03"))
    codes = list(db.session.scalars(select(TaxonomyTerm.code).order_by(TaxonomyTerm.code)))
    rows, skills = [], []
    for n in range(1, count + 1):
        name = f"人材{n:05d}"
        kana = "".join(rng.choice(KANA) for _ in range(6))
        experience = "、".join(rng.sample(WORDS, 3)) + "の支援経験があります。"
        rows.append(
            {
                "id": n,
                "prefecture_id": prefecture.id,
                "external_id": f"B{n:06d}",
                "name": name,
                "name_kana": kana,
                "kind": rng.choice(["staff", "external", "external", "company"]),
                "cio_candidate": rng.random() < 0.2,
                "experience": experience,
                "qualifications": "",
                "available_hours_per_month": rng.choice([0, 10, 20, 40, 80, 160]),
                "work_style": rng.choice(["onsite", "remote", "hybrid"]),
                "email": f"b{n}@example.jp",
                "active": rng.random() < 0.9,
                "search_text": search_key(f"{name} {kana} {experience}"),
            }
        )
        skills += [{"talent_id": n, "term_code": c} for c in rng.sample(codes, rng.randint(1, 5))]
    db.session.execute(insert(Talent), rows)
    db.session.execute(insert(talent_skill), skills)
    program = db.session.scalar(select(TrainingProgram).where(TrainingProgram.audience == "talent"))
    db.session.execute(
        insert(Enrollment),
        [
            {"program_id": program.id, "talent_id": n, "status": "completed"}
            for n in range(1, count + 1, 5)
        ],
    )
    # Every third talent invited to log in; half of those invitations have expired.
    now = datetime.now(UTC).replace(tzinfo=None)
    db.session.execute(
        insert(Invitation),
        [
            {
                "email": f"b{n}@example.jp",
                "name": f"人材{n:05d}",
                "role": "talent",
                "prefecture_id": prefecture.id,
                "talent_id": n,
                "token_hash": f"{n:064d}",
                "expires_at": now + timedelta(hours=72 if n % 2 else -72),
                "created_at": now,
            }
            for n in range(1, count + 1, 3)
        ],
    )
    create_user(
        email="bench@example.jp",
        name="bench",
        role=Role.coordinator,
        password=PASSWORD,
        prefecture_id=prefecture.id,
    )
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talent", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database (default: a temp SQLite file)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        uri = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(uri)
        # What rendering costs: every page rendered (the page cache would answer repeats).
        app = create_app(overrides_for_tests(uri) | {"PAGE_CACHE_SECONDS": 0})
        with app.app_context():
            seed_reference()
            db.session.commit()
            started = time.perf_counter()
            fill(args.talent)
            print(
                f"filled {args.talent:,} profiles in {time.perf_counter() - started:.1f}s "
                f"({db.engine.dialect.name})"
            )
            engine = db.engine
        statements = 0

        def count(*_args) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine, "before_cursor_execute", count)
        client = app.test_client()
        response = client.post("/login", data={"email": "bench@example.jp", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        print(f"{'page':<30} {'median ms':>10} {'max ms':>8} {'SQL':>4} {'hits':>6}")
        for label, url in COMBOS.items():
            times, per_request = [], set()
            for _ in range(args.runs):
                statements = 0
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                per_request.add(statements)
                assert response.status_code == 200, (url, response.status_code)
            hits = response.text.split("件中", 1)[0].rsplit(">", 1)[-1].strip() or "0"
            print(
                f"{label:<30} {statistics.median(times):>10.1f} {max(times):>8.1f} "
                f"{'/'.join(map(str, sorted(per_request))):>4} {hits:>6}"
            )
        for fmt in ("csv", "xlsx"):
            statements = 0
            started = time.perf_counter()
            response = client.get(f"/pool/export.{fmt}?active=all")
            elapsed = (time.perf_counter() - started) * 1000
            print(
                f"{'export all (' + fmt + ')':<30} {elapsed:>10.1f} {'':>8} {statements:>4} "
                f"{len(response.data) // 1024:>5}K"
            )
            # the export uploaded back: the preview compares every row and finds no change
            statements = 0
            started = time.perf_counter()
            preview = client.post(
                "/pool/import",
                data={"file": (io.BytesIO(response.data), f"export.{fmt}")},
                content_type="multipart/form-data",
            )
            elapsed = (time.perf_counter() - started) * 1000
            unchanged = preview.text.split("変更なし: ", 1)[1].split("件", 1)[0]
            print(
                f"{'re-import preview (' + fmt + ')':<30} {elapsed:>10.1f} {'':>8} "
                f"{statements:>4} {unchanged:>6}"
            )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
