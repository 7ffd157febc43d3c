"""Absurd numbers and dates in every main form: a 400 with a message beside the field, nothing
written (every row of every domain table compared), never a 500. Each form's valid payload is
checked to succeed first, so a refusal is the bad value's doing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from talentpool.services.clock import today
from tests.badinput import ABSURD_DATES, ABSURD_NUMBERS, error_text, fingerprint


@dataclass(frozen=True)
class FormCase:
    """One form: who posts it where, a valid payload, and its number and date fields."""

    role: str
    url: Callable[[dict], str]
    base: Callable[[dict], dict[str, str]]
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    #: fields whose names depend on the world (prefixed forms): name → world key
    extra: dict = field(default_factory=dict)


def _profile(w) -> dict[str, str]:
    return {
        "external_id": "SEC-1",
        "name": "安全 太郎",
        "name_kana": "あんぜん たろう",
        "kind": "external",
        "available_hours_per_month": "20",
        "work_style": "hybrid",
        "email": "taro@example.jp",
        "phone": "019-000-0000",
        "experience": "窓口DX",
        "qualifications": "情報処理安全確保支援士",
    }


def _request(w) -> dict[str, str]:
    return {
        "municipality_id": str(w["morioka"].id),
        "title": "窓口の改善",
        "description": "説明",
        "hours_per_month": "20",
        "headcount": "1",
        "start_date": "2026-04-01",
        "end_date": "2027-03-31",
        "contact_name": "担当",
        "contact_email": "a@example.jp",
        "contact_phone": "019-000-0000",
    }


FORMS: dict[str, FormCase] = {
    "pool profile (new)": FormCase(
        "coord",
        lambda w: "/pool/new",
        _profile,
        ("available_hours_per_month",),
        ("employment_start", "employment_end"),
    ),
    "pool profile (edit)": FormCase(
        "coord",
        lambda w: f"/pool/{w['talent'].id}/edit",
        _profile,
        ("available_hours_per_month",),
        ("employment_start", "employment_end"),
    ),
    "own profile": FormCase(
        "talent",
        lambda w: "/pool/me",
        lambda w: {
            "available_hours_per_month": "30",
            "work_style": "remote",
            "experience": "経歴",
            "qualifications": "",
            "email": "me@example.jp",
            "phone": "019-000-0000",
        },
        ("available_hours_per_month",),
    ),
    "national-list entry": FormCase(
        "admin", lambda w: "/national/new", _profile, ("available_hours_per_month",)
    ),
    "request (new)": FormCase(
        "coord",
        lambda w: "/requests/new",
        _request,
        ("hours_per_month", "headcount", "municipality_id"),
        ("start_date", "end_date"),
    ),
    "request (edit draft)": FormCase(
        "coord",
        lambda w: f"/requests/{w['draft'].id}/edit",
        _request,
        ("hours_per_month", "headcount"),
        ("start_date", "end_date"),
    ),
    "offer": FormCase(
        "coord",
        lambda w: f"/offers/new/{w['request'].id}",
        lambda w: {
            "talent_id": str(w["talent"].id),
            "hours_per_month": "10",
            "reply_by": (today() + timedelta(days=7)).isoformat(),
            "start_date": "2026-04-01",
            "end_date": "2027-03-31",
            "message": "ぜひ",
        },
        ("hours_per_month", "talent_id"),
        ("reply_by", "start_date", "end_date"),
    ),
    "activity log": FormCase(
        "talent",
        lambda w: f"/offers/assignments/{w['assignment'].id}/activity",
        lambda w: {"month": today().replace(day=1).isoformat(), "hours": "12", "note": "実施"},
        ("hours",),
        ("month",),
    ),
    "monthly fee": FormCase(
        "coord",
        lambda w: f"/offers/assignments/{w['assignment'].id}/fee",
        lambda w: {"monthly_fee": "300000"},
        ("monthly_fee",),
    ),
    "rating": FormCase(
        "officer",
        lambda w: f"/offers/assignments/{w['finished'].id}/rating",
        lambda w: {"score": "4", "comment": "丁寧"},
        ("score",),
    ),
    "training program": FormCase(
        "coord",
        lambda w: "/training/programs",
        lambda w: {
            "name": "新しい研修",
            "provider": "県",
            "level": "基礎",
            "hours": "10",
            "fiscal_year": "0",
            "cost_per_person": "1000",
            "audience": "dx_leader",
        },
        ("hours", "cost_per_person", "fiscal_year"),
    ),
    "training targets": FormCase(
        "coord",
        lambda w: "/training/targets",
        lambda w: {f"target-{w['morioka'].id}": "3"},
        ("target",),
    ),
    "enrol a DX leader": FormCase(
        "coord",
        lambda w: f"/training/leaders/{w['new_leader'].id}/enroll",
        lambda w: {"program_id": str(w["program"].id), "enrolled_on": "2025-05-01"},
        ("program_id",),
        ("enrolled_on",),
    ),
    "complete a training": FormCase(
        "coord",
        lambda w: f"/training/enrollments/{w['enrollment'].id}/complete",
        lambda w: {
            f"c{w['enrollment'].id}-completed_on": "2025-06-01",
            f"c{w['enrollment'].id}-certificate_number": "C-1",
        },
        (),
        ("completed_on",),
    ),
}


@pytest.fixture
def world(factory):
    coord = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03", available_hours_per_month=100)
    officer = factory.officer("032018")
    leader = factory.dx_leader("032018")
    program = factory.program()
    return {
        "coord": coord,
        "officer": officer,
        "talent_user": talent_user,
        "talent": talent,
        "admin": factory.admin(),
        "morioka": factory.municipality("032018"),
        "request": factory.request("032018"),
        "draft": factory.request("032018", state="draft"),
        "assignment": factory.assignment(coord, factory.request("032018"), talent, 10),
        "finished": factory.assignment(
            coord, factory.request("032018"), talent, 10, end="complete"
        ),
        "leader": leader,
        "program": program,
        "new_leader": factory.dx_leader("032018"),
        "enrollment": factory.enrollment(program, leader=leader, enrolled_on=date(2025, 5, 1)),
    }


def _actual_name(case: FormCase, w: dict, name: str) -> str:
    """Form field names that carry a prefix or an id (targets, completion forms)."""
    if name == "target":
        return f"target-{w['morioka'].id}"
    if name == "completed_on":
        return f"c{w['enrollment'].id}-completed_on"
    return name


def _client_for(app, w: dict, role: str):
    client = app.test_client()
    user = w["talent_user"] if role == "talent" else w[role]
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
    return client


def _attempts(case: FormCase, w: dict):
    for name in case.numbers:
        for value in ABSURD_NUMBERS:
            yield _actual_name(case, w, name), value
    for name in case.dates:
        for value in ABSURD_DATES:
            yield _actual_name(case, w, name), value


@pytest.mark.parametrize("form", FORMS)
def test_valid_payload_is_accepted(app, db, world, form):
    case = FORMS[form]
    response = _client_for(app, world, case.role).post(case.url(world), data=case.base(world))
    assert response.status_code in (302, 303), error_text(response.text) or response.text[:800]


@pytest.mark.parametrize("form", FORMS)
def test_absurd_numbers_and_dates_are_refused(app, db, world, form):
    case = FORMS[form]
    client = _client_for(app, world, case.role)
    url, base = case.url(world), case.base(world)
    with app.app_context():
        before = fingerprint()
    wrong = []
    for name, value in _attempts(case, world):
        response = client.post(url, data={**base, name: value})
        message = error_text(response.text)
        if response.status_code != 400 or not message:
            wrong.append(f"{name}={value!r}: {response.status_code} {message!r}")
    with app.app_context():
        after = fingerprint()
    changed = sorted(table for table in before if after[table] != before[table])
    assert not wrong and not changed, "\n".join([*wrong, f"tables changed: {changed}"])


@pytest.mark.parametrize(
    "form, field_name", [("offer", "reply_by"), ("enrol a DX leader", "enrolled_on")]
)
def test_a_blank_required_date_is_refused_not_a_500(app, db, world, form, field_name):
    """Found by the property tests: a date of spaces passed the "required" check as empty."""
    case = FORMS[form]
    response = _client_for(app, world, case.role).post(
        case.url(world), data={**case.base(world), field_name: "   "}
    )
    assert response.status_code == 400 and error_text(response.text)


LISTS = {
    "coord": [
        "/pool/",
        "/requests/",
        "/offers/",
        "/offers/?view=assignments",
        "/audit/",
        "/notifications/",
        "/national/",
        "/training/talent",
    ],
    "officer": ["/requests/", "/offers/"],
    "talent": ["/offers/"],
}


@pytest.mark.parametrize("page", ["99999999999999999999", "1000001"])
def test_an_absurd_page_number_answers_400_not_500(app, db, world, page):
    """Found by this suite: the OFFSET of such a page overflowed the database's integer."""
    for role, urls in LISTS.items():
        client = _client_for(app, world, role)
        for url in urls:
            sep = "&" if "?" in url else "?"
            response = client.get(f"{url}{sep}page={page}")
            assert response.status_code == 400, f"{role} {url}: {response.status_code}"
            assert "入力内容に誤りがあります" in response.text


@pytest.mark.parametrize("value", ["99999999999999999999", "-5", "x"])
def test_an_absurd_municipality_filter_shows_everything_not_a_500(app, db, world, value):
    response = _client_for(app, world, "coord").get(f"/offers/?municipality_id={value}")
    assert response.status_code == 200
