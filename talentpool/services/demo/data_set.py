"""The demo data set (`talentpool seed-demo`): two prefectures' pools, requests and one
account per role. Idempotent: existing rows (by e-mail / external id) are left alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from talentpool.config import SEED_DIR
from talentpool.extensions import db
from talentpool.models import (
    DxLeader,
    Enrollment,
    Municipality,
    Prefecture,
    Role,
    SupportRequest,
    Talent,
    TaxonomyTerm,
    TrainingProgram,
    TrainingTarget,
)
from talentpool.services.accounts.users import create_user, find_user_by_email
from talentpool.services.demo.common import shift, shift_year, talent_login
from talentpool.services.demo.history import seed_support
from talentpool.services.imports import ImportReport
from talentpool.services.pool.talent_import import (
    apply_import,
    plan_national_import,
    plan_pool_import,
)
from talentpool.services.reference import read_csv
from talentpool.services.training import programs as training
from talentpool.text import search_key

DEMO_DIR = SEED_DIR / "demo"

#: (role, e-mail, name, prefecture code, municipality code)
DEMO_ACCOUNTS = [
    (Role.national_admin, "admin@demo.example.jp", "国 管理者", None, None),
    (Role.coordinator, "iwate.coordinator@demo.example.jp", "岩手 県太郎", "03", None),
    (Role.coordinator, "nagano.coordinator@demo.example.jp", "長野 県子", "20", None),
    (Role.municipal_officer, "morioka.officer@demo.example.jp", "盛岡 市職員", None, "032018"),
    (Role.municipal_officer, "hanamaki.officer@demo.example.jp", "花巻 市職員", None, "032051"),
]

TRUE_WORDS = {"true", "1", "yes", "はい", "○"}


def _flag(value: str) -> bool:
    return value.strip().lower() in TRUE_WORDS


def _date(value: str) -> date | None:
    return shift(date.fromisoformat(value)) if value.strip() else None


def _terms(codes: str, terms: dict[str, TaxonomyTerm]) -> list[TaxonomyTerm]:
    return [terms[c.strip()] for c in codes.split(";") if c.strip() in terms]


def _import_new_rows(plan: ImportReport, path: Path) -> None:
    """Apply an import plan's new rows only, so re-seeding keeps edits made in the demo."""
    if plan.errors:
        raise RuntimeError(f"{path.name} has errors: " + "; ".join(map(str, plan.errors)))
    plan.rows = [row for row in plan.rows if row.is_new]
    if plan.rows:
        apply_import(plan)


def _load_requests(
    path: Path, municipalities: dict[str, Municipality], terms: dict[str, TaxonomyTerm]
) -> None:
    existing = set(db.session.scalars(select(SupportRequest.external_id)))
    for row in read_csv(path):
        if row["external_id"] in existing:
            continue
        municipality = municipalities[row["municipality_code"]]
        item = SupportRequest(
            prefecture_id=municipality.prefecture_id,
            municipality_id=municipality.id,
            external_id=row["external_id"],
            title=row["title"],
            description=row["description"],
            hours_per_month=int(row["hours_per_month"]),
            headcount=int(row["headcount"]),
            onsite_required=_flag(row["onsite_required"]),
            wants_cio=_flag(row["wants_cio"]),
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
            funding=row.get("funding") or None,
            contact_name=row.get("contact_name", ""),
            contact_email=row.get("contact_email") or None,
            contact_phone=row.get("contact_phone") or None,
            state=row.get("state") or "open",
            skills=_terms(row["skills"], terms),
        )
        item.search_text = search_key(" ".join([item.title, item.description]))
        db.session.add(item)


def _load_leaders(path: Path, municipalities: dict[str, Municipality]) -> None:
    existing = {
        (m, n) for m, n in db.session.execute(select(DxLeader.municipality_id, DxLeader.name))
    }
    for row in read_csv(path):
        municipality = municipalities[row["municipality_code"]]
        if (municipality.id, row["name"]) in existing:
            continue
        db.session.add(
            DxLeader(
                municipality_id=municipality.id,
                name=row["name"],
                department=row.get("department", ""),
                position=row.get("position", ""),
                email=row.get("email") or None,
            )
        )


def _load_training(
    demo_dir: Path, municipalities: dict[str, Municipality], talent: Talent | None
) -> None:
    """Demo enrolments, completions and yearly targets (existing ones are left alone)."""
    programs = {
        p.name: p
        for p in db.session.scalars(
            select(TrainingProgram).where(TrainingProgram.prefecture_id.is_(None))
        )
    }
    for row in read_csv(demo_dir / "dx_training.csv"):
        leader = training.find_leader(
            municipalities[row["municipality_code"]].id, row["leader_name"]
        )
        if leader is None or training.records_of(leader):
            continue
        record = training.enroll(
            program=programs[row["program"]],
            dx_leader=leader,
            enrolled_on=_date(row["enrolled_on"]),
        )
        if row["completed_on"]:
            training.complete(
                record,
                completed_on=_date(row["completed_on"]),
                certificate_number=row["certificate_number"],
            )
        elif row["withdrawn_on"]:
            training.withdraw(record, withdrawn_on=_date(row["withdrawn_on"]))
    existing = set(
        db.session.execute(select(TrainingTarget.municipality_id, TrainingTarget.fiscal_year)).all()
    )
    for row in read_csv(demo_dir / "training_targets.csv"):
        key = (municipalities[row["municipality_code"]].id, shift_year(int(row["fiscal_year"])))
        if key not in existing:
            db.session.add(
                TrainingTarget(
                    municipality_id=key[0],
                    fiscal_year=key[1],
                    target_count=int(row["target_count"]),
                )
            )
    if talent is not None and not db.session.scalar(
        select(Enrollment.id).where(Enrollment.talent_id == talent.id)
    ):
        record = training.enroll(
            program=programs["行政実務研修"], talent=talent, enrolled_on=shift(date(2026, 4, 7))
        )
        training.complete(
            record, completed_on=shift(date(2026, 6, 30)), certificate_number="GJ-R8-001"
        )
    db.session.flush()


def seed_demo(password: str, demo_dir: Path = DEMO_DIR) -> list[tuple[str, str]]:
    """Load the demo set and return (role, e-mail) of one login per role."""
    prefectures = {p.code: p for p in db.session.scalars(select(Prefecture))}
    if not prefectures:
        raise RuntimeError("reference data missing: run `talentpool seed-reference` first")
    municipalities = {m.lg_code: m for m in db.session.scalars(select(Municipality))}
    terms = {t.code: t for t in db.session.scalars(select(TaxonomyTerm))}

    logins: list[tuple[str, str]] = []
    for role, email, name, pref_code, muni_code in DEMO_ACCOUNTS:
        if find_user_by_email(email) is None:
            create_user(
                email=email,
                name=name,
                role=role,
                password=password,
                prefecture_id=prefectures[pref_code].id if pref_code else None,
                municipality_id=municipalities[muni_code].id if muni_code else None,
            )
        logins.append((role.value, email))

    if (demo_dir / "talent.csv").exists():
        path = demo_dir / "talent.csv"
        _import_new_rows(plan_pool_import(path.read_bytes(), path.name, prefecture_code=None), path)
    if (demo_dir / "national_list.csv").exists():
        path = demo_dir / "national_list.csv"
        _import_new_rows(plan_national_import(path.read_bytes(), path.name), path)
    if (demo_dir / "requests.csv").exists():
        _load_requests(demo_dir / "requests.csv", municipalities, terms)
    if (demo_dir / "dx_leaders.csv").exists():
        _load_leaders(demo_dir / "dx_leaders.csv", municipalities)
    db.session.flush()

    # The first Iwate talent with an e-mail gets a login, so the talent role can be tried.
    talent = db.session.scalar(
        select(Talent)
        .join(Prefecture)
        .where(Prefecture.code == "03", Talent.email.is_not(None))
        .order_by(Talent.external_id)
        .limit(1)
    )
    if talent is not None:
        user = talent_login(talent, password)
        logins.append((Role.talent.value, user.email))
    db.session.flush()
    if (demo_dir / "dx_training.csv").exists():
        _load_training(demo_dir, municipalities, talent)
    if (demo_dir / "requests.csv").exists():
        logins += [login for login in seed_support(password) if login not in logins]
    return logins
