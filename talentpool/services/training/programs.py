"""Training programs, DX promotion leaders and their enrolments, talent's admin-practice training.

An enrolment is a history record: it moves enrolled → completed or enrolled → withdrawn and is
never deleted, so a person's training record shows every attempt.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, exists, or_, select

from talentpool import fiscal
from talentpool.extensions import db
from talentpool.models import (
    Audience,
    DxLeader,
    Enrollment,
    EnrollmentStatus,
    Municipality,
    Prefecture,
    Talent,
    TrainingProgram,
)
from talentpool.services.errors import DomainError
from talentpool.text import normalize, search_key

STATUS_LABELS = EnrollmentStatus.labels()
AUDIENCE_LABELS = Audience.labels()


def program_label(program: TrainingProgram, locale: str = "ja") -> str:
    """A program's one name wherever it is chosen or listed: its name, then its level and
    fiscal year when it has them (「…研修(応用・令和7年度 (2025))」)."""
    details = [
        program.level or "",
        fiscal.label(program.fiscal_year, locale) if program.fiscal_year else "",
    ]
    details = [d for d in details if d]
    if not details:
        return program.name
    if locale == "ja":
        return f"{program.name}({'・'.join(details)})"
    return f"{program.name} ({', '.join(details)})"


def _text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str:
    text = normalize(value or "")
    if required and not text:
        raise DomainError(_l("入力してください。"), field)
    if len(text) > max_length:
        raise DomainError(_l("%(n)d文字以内で入力してください。", n=max_length), field)
    return text


def _not_negative(value: int | None, field: str) -> int | None:
    if value is not None and value < 0:
        raise DomainError(_l("0以上の数を入力してください。"), field)
    return value


# --- programs ---------------------------------------------------------------------------


def programs_visible_in(prefecture_id: int) -> ColumnElement[bool]:
    """The programs a prefecture uses: the nationally named ones and its own."""
    return or_(
        TrainingProgram.prefecture_id.is_(None), TrainingProgram.prefecture_id == prefecture_id
    )


def add_program(
    *,
    prefecture_id: int,
    name: str,
    provider: str = "",
    level: str = "",
    hours: int | None = None,
    fiscal_year: int | None = None,
    cost_per_person: int | None = None,
    audience: str,
) -> TrainingProgram:
    """A prefecture's own program; a name may repeat only in another fiscal year."""
    name = _text(name, "name", 200, required=True)
    if audience not in set(Audience):
        raise DomainError(_l("対象を選んでください。"), "audience")
    duplicate = db.session.scalar(
        select(TrainingProgram.id).where(
            programs_visible_in(prefecture_id),
            TrainingProgram.name == name,
            TrainingProgram.fiscal_year.is_(None)
            if fiscal_year is None
            else TrainingProgram.fiscal_year == fiscal_year,
        )
    )
    if duplicate is not None:
        raise DomainError(_l("同じ名前・年度の研修が既に登録されています。"), "name")
    program = TrainingProgram(
        prefecture_id=prefecture_id,
        name=name,
        provider=_text(provider, "provider", 200),
        level=_text(level, "level", 20),
        hours=_not_negative(hours, "hours"),
        fiscal_year=fiscal_year,
        cost_per_person=_not_negative(cost_per_person, "cost_per_person"),
        audience=audience,
    )
    db.session.add(program)
    db.session.flush()
    return program


def set_require_admin_training(prefecture: Prefecture, required: bool) -> None:
    """Whether staff talent must complete admin-practice training before receiving offers."""
    prefecture.require_admin_training = bool(required)
    db.session.flush()


# --- DX promotion leaders ---------------------------------------------------------------


def find_leader(municipality_id: int, name: str) -> DxLeader | None:
    """The municipality's leader of that name (全角/半角 and spacing ignored)."""
    key = search_key(name)
    leaders = db.session.scalars(
        select(DxLeader).where(DxLeader.municipality_id == municipality_id)
    )
    return next((leader for leader in leaders if search_key(leader.name) == key), None)


def _leader_values(
    name: str, department: str | None, position: str | None, email: str | None
) -> dict:
    email = (normalize(email or "").lower()) or None
    if email is not None and ("@" not in email or len(email) > 254 or " " in email):
        raise DomainError(_l("メールアドレスの形式が正しくありません。"), "email")
    return {
        "name": _text(name, "name", 100, required=True),
        "department": _text(department, "department", 100),
        "position": _text(position, "position", 100),
        "email": email,
    }


def add_leader(
    *,
    municipality_id: int,
    name: str,
    department: str | None = "",
    position: str | None = "",
    email: str | None = None,
    active: bool = True,
) -> DxLeader:
    """Register a DX promotion leader; names are unique within a municipality."""
    values = _leader_values(name, department, position, email)
    if db.session.get(Municipality, municipality_id) is None:
        raise DomainError(_l("市町村が見つかりません。"), "municipality")
    if find_leader(municipality_id, values["name"]) is not None:
        raise DomainError(_l("同じ氏名のDX推進リーダーが既に登録されています。"), "name")
    leader = DxLeader(municipality_id=municipality_id, active=active, **values)
    db.session.add(leader)
    db.session.flush()
    return leader


def update_leader(
    leader: DxLeader,
    *,
    name: str,
    department: str | None,
    position: str | None,
    email: str | None,
    active: bool,
) -> DxLeader:
    values = _leader_values(name, department, position, email)
    same_name = find_leader(leader.municipality_id, values["name"])
    if same_name is not None and same_name.id != leader.id:
        raise DomainError(_l("同じ氏名のDX推進リーダーが既に登録されています。"), "name")
    for key, value in values.items():
        setattr(leader, key, value)
    leader.active = active
    db.session.flush()
    return leader


# --- enrolments -------------------------------------------------------------------------


def enroll(
    *,
    program: TrainingProgram,
    enrolled_on: date | None,
    dx_leader: DxLeader | None = None,
    talent: Talent | None = None,
    past_record: bool = False,
) -> Enrollment:
    """Enrol one person (a leader or a talent) in a program meant for them.

    `past_record` is for a record about to be finished (an imported completion): it may
    concern someone no longer active, or a program no longer open.
    """
    if (dx_leader is None) == (talent is None):
        raise ValueError("enrol exactly one person")
    audience = Audience.dx_leader if dx_leader is not None else Audience.talent
    prefecture_id = (
        dx_leader.municipality.prefecture_id if dx_leader is not None else talent.prefecture_id
    )
    if program.prefecture_id not in (None, prefecture_id):
        raise DomainError(_l("研修が見つかりません。"), "program")
    if program.audience != audience:
        raise DomainError(
            _l("この研修は%(who)s向けではありません。", who=AUDIENCE_LABELS[audience]), "program"
        )
    if not program.active and not past_record:
        raise DomainError(_l("この研修は受付を終了しています。"), "program")
    person = dx_leader if dx_leader is not None else talent
    if not person.active and not past_record:
        raise DomainError(_l("無効になっている人は受講登録できません。"), "program")
    open_record = db.session.scalar(
        select(Enrollment.id).where(
            Enrollment.program_id == program.id,
            Enrollment.status == EnrollmentStatus.enrolled,
            Enrollment.dx_leader_id == dx_leader.id
            if dx_leader is not None
            else Enrollment.talent_id == talent.id,
        )
    )
    if open_record is not None:
        raise DomainError(_l("この研修に受講中の記録が既にあります。"), "program")
    enrollment = Enrollment(
        program=program,
        dx_leader=dx_leader,
        talent=talent,
        status=EnrollmentStatus.enrolled,
        enrolled_on=enrolled_on,
    )
    db.session.add(enrollment)
    db.session.flush()
    return enrollment


def _check_day(day: date | None, enrollment: Enrollment, field: str, today: date | None) -> date:
    if day is None:
        raise DomainError(_l("日付を入力してください。"), field)
    if enrollment.enrolled_on is not None and day < enrollment.enrolled_on:
        raise DomainError(
            _l(
                "受講開始日(%(day)s)より前の日付は指定できません。",
                day=enrollment.enrolled_on.isoformat(),
            ),
            field,
        )
    if day > (today or fiscal.today()):
        raise DomainError(_l("未来の日付は指定できません。"), field)
    return day


def _check_open(enrollment: Enrollment) -> None:
    if enrollment.status != EnrollmentStatus.enrolled:
        raise DomainError(
            _l(
                "この受講記録は既に%(status)sとして記録されています。",
                status=STATUS_LABELS[EnrollmentStatus(enrollment.status)],
            )
        )


def complete(
    enrollment: Enrollment,
    *,
    completed_on: date | None,
    certificate_number: str | None = None,
    today: date | None = None,
) -> Enrollment:
    """Record completion (修了) of an open enrolment."""
    _check_open(enrollment)
    enrollment.completed_on = _check_day(completed_on, enrollment, "completed_on", today)
    enrollment.certificate_number = _text(certificate_number, "certificate_number", 64) or None
    enrollment.status = EnrollmentStatus.completed
    db.session.flush()
    return enrollment


def withdraw(
    enrollment: Enrollment, *, withdrawn_on: date | None, today: date | None = None
) -> Enrollment:
    """Record withdrawal (辞退) from an open enrolment."""
    _check_open(enrollment)
    enrollment.withdrawn_on = _check_day(withdrawn_on, enrollment, "withdrawn_on", today)
    enrollment.status = EnrollmentStatus.withdrawn
    db.session.flush()
    return enrollment


def records_of(person: DxLeader | Talent) -> list[Enrollment]:
    """One person's training history, newest first."""
    column = Enrollment.dx_leader_id if isinstance(person, DxLeader) else Enrollment.talent_id
    return list(
        db.session.scalars(
            select(Enrollment)
            .where(column == person.id)
            .order_by(Enrollment.enrolled_on.desc().nulls_last(), Enrollment.id.desc())
        )
    )


# --- talent's admin-practice training (read by the pool list and the matcher) ------------


def admin_training_completed() -> ColumnElement[bool]:
    """SQL condition on Talent: has completed a talent-audience (admin-practice) program."""
    return exists().where(
        Enrollment.talent_id == Talent.id,
        Enrollment.status == EnrollmentStatus.completed,
        Enrollment.program_id == TrainingProgram.id,
        TrainingProgram.audience == Audience.talent,
    )
