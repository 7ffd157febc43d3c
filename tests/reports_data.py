"""A small data set for the report tests whose every figure is worked out by hand below.

Prefecture 03 (Iwate, 33 municipalities), fiscal year 2025 (2025-04-01 … 2026-03-31).
Timestamps are naive UTC like the app stores them.

Talent: S1 staff (employed 2024-04-01, 150 h/month: 12 months → 1,800 h), S2 staff (from
2025-10-01, 100 h: 6 months → 600 h), S3 staff who left 2025-03-31 (inactive, 0 months),
E1 external CIO candidate (40 h → 480 h), E2 external inactive, C1 company (80 h → 960 h).

Requests (hours/month × headcount × months in FY2025):
  R1 盛岡 standardization 60×1, 2025-06..2026-03 (10) filled          → 600
  R2 盛岡 frontyard+bpr  20×2, 2025-04..2025-09 (6) partially filled  → 240 (in each area)
  R3 花巻 strategy (CIO) 16×1, 2025-07..2026-06 (9 in FY) filled       → 144
  R4 花巻 security       10×1, 2025-10..2026-03 (6) open              →  60
  R9 花巻 mynumber       10×1, 2025-10..2026-03 (6) filled            →  60
  R5 宮古 draft, R6 宮古 cancelled (states only), R7 盛岡 FY2024 closed (not in FY2025).
  Total requested (each request once) 1,104.

Assignments (hours in FY2025):
  A1 R1 S1 60 active 2025-06..2026-03 → 600; created 2025-05-21 (published 05-01: 20 days)
  A2 R2 C1 20 completed on 2025-07-31 (JST) → Apr–Jul 4 months → 80, fee ¥100,000;
     created 2025-04-15 (published 04-10: 5 days)
  A5 R2 S1 20 ended early on 2025-05-20 → Apr–May → 40; created 2025-04-20
  A3 R3 E1 16 active CIO, 2025-07..2026-06 → 9 months → 144, fee ¥150,000 → ¥1,350,000;
     created 2025-06-11 (published 06-01: 10 days)
  A6 R9 S2 10 active 2025-10..2026-03 → 60; created 2025-10-31 (published 09-01: 60 days)
  A7 R7 E1 FY2024 only (not in FY2025).
  Total assigned 924: standardization 600, frontyard 120, bpr 120, strategy 144, mynumber 60.
  Pool: staff 700 / 2,400, external 144 / 480, company 80 / 960.
Offers sent in FY2025: 5 accepted (A1, A2, A3, A5, A6), 1 declined, 1 lapsed + 1 unanswered
past its reply-by date (both count as lapsed); one offer sent in FY2024 is left out.
Time to fill: 5, 10, 20, 60 days → median 15.0.

DX leaders: 盛岡 L1 (enrolled 2025-05-12, completed 2025-09-30), L2 (enrolled 2025-05-12,
completed 2026-03-31), L3 (enrolled 2026-05-11); 花巻 L4 (enrolled 2025-06-01, withdrawn);
program cost ¥50,000 per person. Targets FY2025: 盛岡 3, 花巻 1, 宮古 2.
Activity logs of A1: 2025-06 10 h, 2025-07 12 h, 2026-04 5 h (FY2026).
Recruitment costs: 2025-06-30 ¥330,000; 2026-04-20 ¥55,000 charged to FY2025; one voided;
one in FY2026; one of prefecture 20.
Prefecture 20 has its own request, assignment and offer, none of which may show for 03.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import (
    ActivityLog,
    Assignment,
    Offer,
    Rating,
    RecruitmentExpense,
    SupportRequest,
    Talent,
    TrainingTarget,
)

IWATE, NAGANO = "03", "20"
MORIOKA, MIYAKO, HANAMAKI = "032018", "032026", "032051"
NAMES = ("岩手 一郎", "岩手 二郎", "岩手 三郎", "外部 花子", "外部 休止", "株式会社いわてIT")


@dataclass
class Dataset:
    talent: dict[str, Talent]
    requests: dict[str, SupportRequest]
    emails: list[str]


def _assign(
    req: SupportRequest,
    talent: Talent,
    hours: int,
    start,
    end,
    *,
    created,
    sent,
    state="active",
    ended=None,
    fee=None,
) -> Assignment:
    offer = Offer(
        prefecture_id=req.prefecture_id,
        request_id=req.id,
        talent_id=talent.id,
        hours_per_month=hours,
        start_date=start,
        end_date=end,
        reply_by=date(2025, 12, 31),
        state="accepted",
        sent_at=sent,
        decided_at=created,
    )
    assignment = Assignment(
        offer=offer,
        prefecture_id=req.prefecture_id,
        municipality_id=req.municipality_id,
        request_id=req.id,
        talent_id=talent.id,
        hours_per_month=hours,
        start_date=start,
        end_date=end,
        state=state,
        created_at=created,
        ended_at=ended,
        monthly_fee=fee,
        cio_assistant=req.wants_cio,
    )
    db.session.add(assignment)
    return assignment


def _offer(req: SupportRequest, talent: Talent, state: str, sent: datetime, reply_by: date):
    db.session.add(
        Offer(
            prefecture_id=req.prefecture_id,
            request_id=req.id,
            talent_id=talent.id,
            hours_per_month=10,
            reply_by=reply_by,
            state=state,
            sent_at=sent,
        )
    )


def build(app, factory) -> Dataset:
    t = {
        "S1": factory.talent(
            IWATE,
            name=NAMES[0],
            name_kana="いわて いちろう",
            kind="staff",
            available_hours_per_month=150,
            employment_start=date(2024, 4, 1),
        ),
        "S2": factory.talent(
            IWATE,
            name=NAMES[1],
            name_kana="いわて じろう",
            kind="staff",
            available_hours_per_month=100,
            employment_start=date(2025, 10, 1),
        ),
        "S3": factory.talent(
            IWATE,
            name=NAMES[2],
            name_kana="いわて さぶろう",
            kind="staff",
            available_hours_per_month=100,
            employment_start=date(2023, 4, 1),
            employment_end=date(2025, 3, 31),
            active=False,
        ),
        "E1": factory.talent(
            IWATE,
            name=NAMES[3],
            name_kana="がいぶ はなこ",
            kind="external",
            cio_candidate=True,
            available_hours_per_month=40,
        ),
        "E2": factory.talent(
            IWATE,
            name=NAMES[4],
            name_kana="がいぶ きゅうし",
            kind="external",
            available_hours_per_month=50,
            active=False,
        ),
        "C1": factory.talent(
            IWATE,
            name=NAMES[5],
            name_kana="かぶしきがいしゃ",
            kind="company",
            available_hours_per_month=80,
        ),
        "N1": factory.talent(
            NAGANO,
            name="長野 人材",
            kind="staff",
            available_hours_per_month=99,
            employment_start=date(2024, 4, 1),
        ),
    }

    def req(code, skills, hours, headcount, start, end, state, published=None, **values):
        return factory.request(
            code,
            skills=skills,
            hours_per_month=hours,
            headcount=headcount,
            start_date=start,
            end_date=end,
            state=state,
            published_at=published,
            **values,
        )

    r = {
        "R1": req(
            MORIOKA,
            ("standardization", "project_management"),
            60,
            1,
            date(2025, 6, 1),
            date(2026, 3, 31),
            "filled",
            datetime(2025, 5, 1),
        ),
        "R2": req(
            MORIOKA,
            ("frontyard", "bpr"),
            20,
            2,
            date(2025, 4, 1),
            date(2025, 9, 30),
            "partially_filled",
            datetime(2025, 4, 10),
        ),
        "R3": req(
            HANAMAKI,
            ("strategy",),
            16,
            1,
            date(2025, 7, 1),
            date(2026, 6, 30),
            "filled",
            datetime(2025, 6, 1),
            wants_cio=True,
        ),
        "R4": req(
            HANAMAKI,
            ("security",),
            10,
            1,
            date(2025, 10, 1),
            date(2026, 3, 31),
            "open",
            datetime(2025, 9, 20),
        ),
        "R9": req(
            HANAMAKI,
            ("mynumber",),
            10,
            1,
            date(2025, 10, 1),
            date(2026, 3, 31),
            "filled",
            datetime(2025, 9, 1),
        ),
        "R5": req(MIYAKO, ("security",), 10, 1, date(2025, 8, 1), None, "draft"),
        "R6": req(
            MIYAKO,
            ("ai_rpa",),
            10,
            1,
            date(2025, 8, 1),
            date(2025, 12, 31),
            "cancelled",
            datetime(2025, 7, 1),
        ),
        "R7": req(
            MORIOKA,
            ("data",),
            30,
            1,
            date(2024, 4, 1),
            date(2025, 3, 31),
            "closed",
            datetime(2024, 3, 1),
            wants_cio=True,
        ),
        "N": req(
            "202011",
            ("frontyard",),
            99,
            1,
            date(2025, 4, 1),
            date(2026, 3, 31),
            "filled",
            datetime(2025, 4, 1),
        ),
    }
    with app.app_context():
        t = {k: db.session.merge(v) for k, v in t.items()}
        r = {k: db.session.merge(v) for k, v in r.items()}
        a1 = _assign(
            r["R1"],
            t["S1"],
            60,
            date(2025, 6, 1),
            date(2026, 3, 31),
            created=datetime(2025, 5, 21),
            sent=datetime(2025, 5, 10),
        )
        a2 = _assign(
            r["R2"],
            t["C1"],
            20,
            date(2025, 4, 1),
            date(2025, 9, 30),
            created=datetime(2025, 4, 15),
            sent=datetime(2025, 4, 12),
            state="completed",
            ended=datetime(2025, 7, 31, 3),
            fee=100_000,
        )
        _assign(
            r["R2"],
            t["S1"],
            20,
            date(2025, 4, 1),
            date(2025, 9, 30),
            created=datetime(2025, 4, 20),
            sent=datetime(2025, 4, 18),
            state="ended_early",
            ended=datetime(2025, 5, 20, 1),
        )
        _assign(
            r["R3"],
            t["E1"],
            16,
            date(2025, 7, 1),
            date(2026, 6, 30),
            created=datetime(2025, 6, 11),
            sent=datetime(2025, 6, 5),
            fee=150_000,
        )
        _assign(
            r["R9"],
            t["S2"],
            10,
            date(2025, 10, 1),
            date(2026, 3, 31),
            created=datetime(2025, 10, 31),
            sent=datetime(2025, 10, 20),
        )
        _assign(
            r["R7"],
            t["E1"],
            30,
            date(2024, 4, 1),
            date(2025, 3, 31),
            created=datetime(2024, 3, 20),
            sent=datetime(2024, 3, 10),
            state="completed",
            ended=datetime(2025, 3, 30, 15),
            fee=200_000,
        )
        _assign(
            r["N"],
            t["N1"],
            99,
            date(2025, 4, 1),
            date(2026, 3, 31),
            created=datetime(2025, 4, 2),
            sent=datetime(2025, 4, 1),
        )
        _offer(r["R4"], t["E1"], "declined", datetime(2025, 10, 5), date(2025, 10, 12))
        _offer(r["R4"], t["C1"], "lapsed", datetime(2025, 10, 6), date(2025, 10, 13))
        _offer(r["R4"], t["S2"], "sent", datetime(2025, 10, 7), date(2025, 10, 14))
        _offer(r["R4"], t["S1"], "declined", datetime(2025, 3, 1), date(2025, 3, 8))
        _offer(r["N"], t["N1"], "declined", datetime(2025, 5, 1), date(2025, 5, 8))
        db.session.flush()
        db.session.add(Rating(assignment_id=a2.id, score=5, comment="丁寧な支援"))
        for month, hours in ((date(2025, 6, 1), 10), (date(2025, 7, 1), 12), (date(2026, 4, 1), 5)):
            db.session.add(ActivityLog(assignment_id=a1.id, month=month, hours=hours))
        db.session.commit()

    program = factory.program("岩手県DX推進リーダー研修", prefecture=IWATE, cost_per_person=50_000)
    leaders = {
        "L1": factory.dx_leader(MORIOKA),
        "L2": factory.dx_leader(MORIOKA),
        "L3": factory.dx_leader(MORIOKA),
        "L4": factory.dx_leader(HANAMAKI),
        "LN": factory.dx_leader("202011"),
    }
    factory.enrollment(
        program, leader=leaders["L1"], enrolled_on=date(2025, 5, 12), completed_on=date(2025, 9, 30)
    )
    factory.enrollment(
        program, leader=leaders["L2"], enrolled_on=date(2025, 5, 12), completed_on=date(2026, 3, 31)
    )
    factory.enrollment(program, leader=leaders["L3"], enrolled_on=date(2026, 5, 11))
    factory.enrollment(
        program,
        leader=leaders["L4"],
        enrolled_on=date(2025, 6, 1),
        status="withdrawn",
        withdrawn_on=date(2025, 8, 1),
    )
    nagano_program = factory.program("長野県研修", prefecture=NAGANO, cost_per_person=1)
    factory.enrollment(
        nagano_program,
        leader=leaders["LN"],
        enrolled_on=date(2025, 5, 1),
        completed_on=date(2025, 6, 1),
    )
    with app.app_context():
        for code, count in ((MORIOKA, 3), (HANAMAKI, 1), (MIYAKO, 2)):
            db.session.add(
                TrainingTarget(
                    municipality_id=factory.municipality(code).id,
                    fiscal_year=2025,
                    target_count=count,
                )
            )
        iwate, nagano = factory.prefecture(IWATE).id, factory.prefecture(NAGANO).id
        for pref, year, day, what, amount, void in (
            (iwate, 2025, date(2025, 6, 30), "求人広告の掲載", 330_000, False),
            (iwate, 2025, date(2026, 4, 20), "採用説明会の会場費", 55_000, False),
            (iwate, 2025, date(2025, 7, 1), "誤って登録した経費", 99_999, True),
            (iwate, 2026, date(2026, 6, 1), "翌年度の広告", 10_000, False),
            (nagano, 2025, date(2025, 6, 1), "長野県の広告", 777_000, False),
        ):
            db.session.add(
                RecruitmentExpense(
                    prefecture_id=pref,
                    fiscal_year=year,
                    spent_on=day,
                    description=what,
                    amount=amount,
                    vendor="株式会社求人",
                    void=void,
                    void_reason="重複" if void else "",
                )
            )
        db.session.commit()
        emails = list(db.session.scalars(select(Talent.email).where(Talent.email.is_not(None))))
    return Dataset(t, r, emails)
