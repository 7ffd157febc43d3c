"""Time the prefecture dashboard, its CSV, the fiscal workbook and the national overview on the
national-scale data set (bench/national_data.py: 10,000 talent, 5,000 requests, 2,000 DX
leaders) and count their SQL statements.

    .venv/bin/python bench/dashboard.py [--runs 5] [--database-url URL]

national_data has no offers or assignments, so this adds synthetic ones (about 60 % of the
published requests get offers; accepted ones become active, completed or ended-early
assignments with fees, some CIO assistants), DX-leader enrolments, targets and recruitment
costs. Pages are fetched through the test client as the coordinator of the prefecture with the
largest pool, and as a national admin. Default database: a fresh temporary SQLite file; pass
an empty PostgreSQL database URL to measure PostgreSQL (the bench runs ANALYZE after loading,
as autovacuum would soon after a bulk load).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, event, func, insert, select, update  # noqa: E402

from bench import national_data  # noqa: E402
from talentpool import create_app  # noqa: E402
from talentpool.config import overrides_for_tests  # noqa: E402
from talentpool.extensions import db  # noqa: E402
from talentpool.migrating import upgrade  # noqa: E402
from talentpool.models import (  # noqa: E402
    Assignment,
    DxLeader,
    Enrollment,
    Offer,
    Prefecture,
    RecruitmentExpense,
    Role,
    SupportRequest,
    Talent,
    TrainingProgram,
    TrainingTarget,
)
from talentpool.services.accounts.users import create_user  # noqa: E402
from talentpool.services.reference import seed_reference  # noqa: E402

YEAR = 2025
ADMIN = ("national@example.jp", "overview-password-1")


def add_activity(seed: int = 11) -> dict[str, int]:
    """Synthetic offers, assignments, training records, targets and recruitment costs."""
    rng = random.Random(seed)
    pool: dict[int, list[int]] = {}
    for talent_id, prefecture_id in db.session.execute(select(Talent.id, Talent.prefecture_id)):
        pool.setdefault(prefecture_id, []).append(talent_id)
    requests = db.session.execute(
        select(
            SupportRequest.id,
            SupportRequest.prefecture_id,
            SupportRequest.municipality_id,
            SupportRequest.hours_per_month,
            SupportRequest.headcount,
            SupportRequest.start_date,
            SupportRequest.end_date,
            SupportRequest.wants_cio,
        )
        .where(SupportRequest.state != "draft")
        .order_by(SupportRequest.id)
    ).all()
    offers, assignments, published = [], [], []
    for req_id, pref, muni, hours, headcount, start, end, cio in requests:
        opened = datetime.combine(start, datetime.min.time()) - timedelta(days=rng.randint(20, 60))
        published.append({"id": req_id, "published_at": opened})
        if rng.random() > 0.6 or not pool.get(pref):
            continue
        for talent_id in rng.sample(pool[pref], min(len(pool[pref]), headcount + 1)):
            sent = opened + timedelta(days=rng.randint(1, 30))
            state = rng.choices(["accepted", "declined", "lapsed"], [6, 2, 1])[0]
            offers.append(
                {
                    "id": len(offers) + 1,
                    "prefecture_id": pref,
                    "request_id": req_id,
                    "talent_id": talent_id,
                    "hours_per_month": hours,
                    "start_date": start,
                    "end_date": end,
                    "message": "",
                    "reply_by": (sent + timedelta(days=7)).date(),
                    "state": state,
                    "sent_at": sent,
                    "decided_at": sent + timedelta(days=3),
                }
            )
            if state != "accepted":
                continue
            ending = rng.choices(["active", "completed", "ended_early"], [6, 3, 1])[0]
            ended = (
                datetime(2025, 12, 1) + timedelta(days=rng.randint(0, 200))
                if ending != "active"
                else None
            )
            assignments.append(
                {
                    "id": len(assignments) + 1,
                    "offer_id": len(offers),
                    "prefecture_id": pref,
                    "municipality_id": muni,
                    "request_id": req_id,
                    "talent_id": talent_id,
                    "hours_per_month": hours,
                    "start_date": start,
                    "end_date": end,
                    "state": ending,
                    "end_reason": "",
                    "monthly_fee": rng.choice([None, 80_000, 150_000, 300_000]),
                    "cio_assistant": cio,
                    "created_at": sent + timedelta(days=3),
                    "ended_at": ended,
                }
            )
    db.session.execute(insert(Offer), offers)
    db.session.execute(insert(Assignment), assignments)
    table = SupportRequest.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("rid")).values(published_at=bindparam("at")),
        [{"rid": p["id"], "at": p["published_at"]} for p in published],
    )

    program = db.session.scalar(
        select(TrainingProgram).where(TrainingProgram.audience == "dx_leader")
    )
    program.cost_per_person = 30_000
    leaders = db.session.execute(select(DxLeader.id, DxLeader.municipality_id)).all()
    enrollments = []
    for leader_id, _ in leaders:
        if rng.random() < 0.6:
            enrolled = date(2025, rng.randint(4, 12), 1)
            done = rng.random() < 0.7
            enrollments.append(
                {
                    "program_id": program.id,
                    "dx_leader_id": leader_id,
                    "status": "completed" if done else "enrolled",
                    "enrolled_on": enrolled,
                    "completed_on": enrolled + timedelta(days=90) if done else None,
                }
            )
    db.session.execute(insert(Enrollment), enrollments)
    municipalities = sorted({m for _, m in leaders})
    db.session.execute(
        insert(TrainingTarget),
        [
            {"municipality_id": m, "fiscal_year": YEAR, "target_count": rng.randint(1, 4)}
            for m in municipalities
        ],
    )
    prefectures = db.session.scalars(select(Prefecture.id)).all()
    db.session.execute(
        insert(RecruitmentExpense),
        [
            {
                "prefecture_id": p,
                "fiscal_year": YEAR,
                "spent_on": date(2025, rng.randint(4, 12), 10),
                "description": f"求人広告 {n}",
                "amount": rng.randint(50, 500) * 1000,
                "vendor": "広告社",
                "note": "",
                "void": False,
                "void_reason": "",
            }
            for p in prefectures
            for n in range(3)
        ],
    )
    create_user(email=ADMIN[0], name="bench admin", role=Role.national_admin, password=ADMIN[1])
    db.session.commit()
    return {"offers": len(offers), "assignments": len(assignments), "enrollments": len(enrollments)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
            counts = national_data.load(uri)
            counts |= add_activity()
            if db.engine.dialect.name == "postgresql":
                # fresh bulk loads have no planner statistics yet; autovacuum would add them
                with db.engine.connect().execution_options(
                    isolation_level="AUTOCOMMIT"
                ) as connection:
                    connection.exec_driver_sql("ANALYZE")
            code, pool = db.session.execute(
                select(Prefecture.code, func.count(Talent.id))
                .join(Talent)
                .group_by(Prefecture.code)
                .order_by(func.count(Talent.id).desc())
            ).first()
            requests = db.session.scalar(
                select(func.count())
                .select_from(SupportRequest)
                .join(Prefecture)
                .where(Prefecture.code == code)
            )
            print(
                f"loaded {counts} in {time.perf_counter() - started:.1f}s "
                f"({db.engine.dialect.name}); largest pool: prefecture {code} with "
                f"{pool:,} talent, {requests:,} requests"
            )
            engine = db.engine
        statements = 0

        def count(*_args) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine, "before_cursor_execute", count)
        pages = [
            (
                f"coordinator{code}@load.example.jp",
                national_data.PASSWORD,
                [
                    ("dashboard", f"/reports/?year={YEAR}"),
                    (
                        "dashboard, focus standardization",
                        f"/reports/?year={YEAR}&focus=standardization",
                    ),
                    ("dashboard CSV (hours)", f"/reports/dashboard/hours.csv?year={YEAR}"),
                    ("fiscal workbook (.xlsx)", f"/reports/fiscal.xlsx?year={YEAR}"),
                ],
            ),
            (
                ADMIN[0],
                ADMIN[1],
                [
                    ("national overview", f"/reports/national?year={YEAR}"),
                    (
                        "national overview, sort fill rate",
                        f"/reports/national?year={YEAR}&sort=fill_rate&dir=desc",
                    ),
                    ("national CSV", f"/reports/national.csv?year={YEAR}"),
                ],
            ),
        ]
        print(f"{'page':<36} {'median ms':>10} {'max ms':>8} {'SQL':>5} {'bytes':>8}")
        for email, password, urls in pages:
            client = app.test_client()
            response = client.post("/login", data={"email": email, "password": password})
            assert response.status_code == 302, (email, response.status_code)
            for label, url in urls:
                times, per_request = [], set()
                for _ in range(args.runs):
                    statements = 0
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                    per_request.add(statements)
                    assert response.status_code == 200, (url, response.status_code)
                print(
                    f"{label:<36} {statistics.median(times):>10.1f} {max(times):>8.1f} "
                    f"{'/'.join(map(str, sorted(per_request))):>5} {len(response.data):>8,}"
                )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
