"""Property tests (hypothesis) over the imports and the main forms, through the web:
whatever is sent, never a 500; a preview writes nothing; a commit writes every row or none;
a refused form writes nothing.

The examples of one test share its rolled-back transaction (hence the suppressed
function-scoped-fixture health check): each example compares the database before and after
itself, so what an earlier example wrote does not matter.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from talentpool.extensions import db as _db
from talentpool.models import Enrollment, SupportRequest, Talent
from talentpool.services.clock import today
from tests.badinput import ABSURD_DATES, ABSURD_NUMBERS, HOSTILE_TEXTS, fingerprint

WEB = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TEXT = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_TEXTS))
NUMBER = st.one_of(st.integers(-5, 800).map(str), st.sampled_from(ABSURD_NUMBERS), TEXT)
DATE = st.one_of(
    st.dates().map(str), st.sampled_from(["2026-04-01", "令和8年4月1日", *ABSURD_DATES]), TEXT
)


def _cell(*likely: str):
    return st.one_of(st.sampled_from(likely), TEXT)


#: Per import: (upload URL, commit URL, the commit form's extra fields, the model it writes,
#: a good row, columns → cells of a fuzzed row)
IMPORTS = {
    "pool": (
        "/pool/import",
        "/pool/import/commit",
        {},
        Talent,
        {
            "external_id": "P-1",
            "name": "山田 太郎",
            "kind": "external",
            "prefecture_code": "03",
            "skills": "cloud",
            "available_hours_per_month": "10",
            "work_style": "remote",
            "email": "a@example.jp",
            "areas": "032018",
            "employment_start": "",
        },
        {
            "external_id": _cell("P-1", "P-2", "P-3"),
            "name": _cell("山田 太郎", "企業A"),
            "kind": _cell("external", "企業", "staff"),
            "prefecture_code": _cell("03", "20", ""),
            "skills": _cell("cloud", "cloud;security", "unknown"),
            "available_hours_per_month": st.one_of(st.sampled_from(["10", "40"]), NUMBER),
            "work_style": _cell("remote", "現地"),
            "email": _cell("a@example.jp", "not-mail"),
            "areas": _cell("032018", "032051;032018", "202011"),
            "employment_start": st.one_of(st.just(""), DATE),
        },
    ),
    "requests": (
        "/requests/import",
        "/requests/import/commit",
        {"commit_all": "1"},
        SupportRequest,
        {
            "external_id": "R-1",
            "municipality_code": "032018",
            "title": "窓口の改善",
            "hours_per_month": "20",
            "headcount": "1",
            "start_date": "",
            "skills": "cloud",
        },
        {
            "external_id": _cell("R-1", "R-2"),
            "municipality_code": _cell("032018", "202011"),
            "title": _cell("窓口の改善"),
            "hours_per_month": st.one_of(st.just("20"), NUMBER),
            "headcount": st.one_of(st.just("1"), NUMBER),
            "start_date": st.one_of(st.just(""), DATE),
            "skills": _cell("cloud", ""),
        },
    ),
    "training": (
        "/training/import",
        "/training/import/commit",
        {"mode": "all"},
        Enrollment,
        {
            "municipality_code": "032018",
            "leader_name": "佐藤 花子",
            "program": "DX推進リーダー育成研修",
            "status": "受講中",
            "enrolled_on": "2025-05-01",
        },
        {
            "municipality_code": _cell("032018", "202011", ""),
            "leader_name": TEXT,
            "department": TEXT,
            "email": _cell("a@example.jp", "x"),
            "program": _cell("DX推進リーダー育成研修", "ない研修"),
            "status": _cell("修了", "受講中", "?"),
            "enrolled_on": DATE,
            "completed_on": st.one_of(st.just(""), DATE),
            "certificate_number": TEXT,
        },
    ),
}


def _rows(good: dict, fuzzed: dict):
    """Files mixing good rows (numbered ids) with fuzzed ones."""
    key = "external_id" if "external_id" in good else "leader_name"
    good_row = st.integers(1, 4).map(lambda n: {**good, key: f"{good[key][:2]}{n}"})
    return st.lists(st.one_of(good_row, st.fixed_dictionaries(fuzzed)), min_size=1, max_size=5)


def _csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _upload(client, url: str, data: bytes):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), "upload.csv")})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
    return client


def _count(app, model) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", IMPORTS)
def test_import_never_fails_and_commits_all_rows_or_none(app, db, factory, kind):
    upload_url, commit_url, commit_data, model, good, fuzzed = IMPORTS[kind]
    client = _as(app, factory.coordinator("03"))

    @WEB
    @given(rows=_rows(good, fuzzed))
    def check(rows):
        with app.app_context():
            before = fingerprint()
        preview = _upload(client, upload_url, _csv(rows))
        assert preview.status_code in (200, 400)
        with app.app_context():
            assert fingerprint() == before  # a preview writes nothing
        token = re.search(r'name="token"[^>]*value="([^"]+)"', preview.text) or re.search(
            r'value="([^"]+)"[^>]*name="token"', preview.text
        )
        if token is None:
            return
        rows_before = _count(app, model)
        committed = client.post(commit_url, data={"token": token[1], **commit_data})
        assert committed.status_code in (302, 303, 400)
        if committed.status_code == 400:
            with app.app_context():
                assert fingerprint() == before  # refused: not one row written
        else:
            assert _count(app, model) >= rows_before

    check()


# --- the main forms -------------------------------------------------------------------------


def _world(factory) -> dict:
    coord = factory.coordinator("03")
    talent_user, talent = factory.talent_user("03", available_hours_per_month=744)
    leader = factory.dx_leader("032018")
    return {
        "coord": coord,
        "talent_user": talent_user,
        "talent": talent,
        "leader": leader,
        "request": factory.request("032018", headcount=50),
        "program": factory.program(),
        "morioka": factory.municipality("032018"),
    }


#: form → (who, URL, a valid payload, field → fuzzed values)
FORMS = {
    "pool profile": (
        "coord",
        lambda w: "/pool/new",
        lambda w: {
            "name": "山田 太郎",
            "kind": "external",
            "available_hours_per_month": "10",
            "work_style": "remote",
        },
        lambda w: {
            "external_id": TEXT,
            "name": _cell("山田 太郎"),
            "name_kana": TEXT,
            "kind": _cell("external", "staff", "company"),
            "available_hours_per_month": NUMBER,
            "work_style": _cell("remote", "hybrid"),
            "email": _cell("a@example.jp"),
            "phone": TEXT,
            "experience": TEXT,
            "qualifications": TEXT,
            "skills": _cell("cloud", "nonexistent"),
            "areas": _cell("032018", "202011"),
            "employment_start": DATE,
            "employment_end": DATE,
        },
    ),
    "own profile": (
        "talent_user",
        lambda w: "/pool/me",
        lambda w: {"available_hours_per_month": "20", "work_style": "remote"},
        lambda w: {
            "available_hours_per_month": NUMBER,
            "work_style": _cell("remote", "x"),
            "experience": TEXT,
            "qualifications": TEXT,
            "email": TEXT,
            "phone": TEXT,
            "skills": _cell("cloud", "x"),
            "areas": _cell("032018", "202011"),
        },
    ),
    "request": (
        "coord",
        lambda w: "/requests/new",
        lambda w: {
            "municipality_id": str(w["morioka"].id),
            "title": "窓口の改善",
            "hours_per_month": "20",
            "headcount": "1",
        },
        lambda w: {
            "municipality_id": _cell(str(w["morioka"].id), "1", "-1"),
            "title": TEXT,
            "description": TEXT,
            "hours_per_month": NUMBER,
            "headcount": NUMBER,
            "start_date": DATE,
            "end_date": DATE,
            "funding": _cell("bond", "x", ""),
            "contact_name": TEXT,
            "contact_email": TEXT,
            "contact_phone": TEXT,
            "focus_areas": _cell("standardization", "x"),
        },
    ),
    "offer": (
        "coord",
        lambda w: f"/offers/new/{w['request'].id}",
        lambda w: {
            "talent_id": str(w["talent"].id),
            "hours_per_month": "1",
            "reply_by": (today() + timedelta(days=3)).isoformat(),
        },
        lambda w: {
            "talent_id": _cell(str(w["talent"].id), "0", "abc"),
            "hours_per_month": NUMBER,
            "reply_by": DATE,
            "start_date": DATE,
            "end_date": DATE,
            "message": TEXT,
        },
    ),
    "training program": (
        "coord",
        lambda w: "/training/programs",
        lambda w: {"name": "研修", "fiscal_year": "0", "audience": "dx_leader"},
        lambda w: {
            "name": TEXT,
            "provider": TEXT,
            "level": TEXT,
            "hours": NUMBER,
            "fiscal_year": _cell("0", "2025", "1900"),
            "cost_per_person": NUMBER,
            "audience": _cell("dx_leader", "talent", "x"),
        },
    ),
    "DX leader": (
        "coord",
        lambda w: f"/training/municipalities/{w['morioka'].id}/leaders/new",
        lambda w: {"name": "鈴木 一郎"},
        lambda w: {
            "name": TEXT,
            "department": TEXT,
            "position": TEXT,
            "email": TEXT,
            "active": _cell("y", ""),
        },
    ),
    "enrolment": (
        "coord",
        lambda w: f"/training/leaders/{w['leader'].id}/enroll",
        lambda w: {"program_id": str(w["program"].id), "enrolled_on": "2025-05-01"},
        lambda w: {"program_id": _cell(str(w["program"].id), "0", "x"), "enrolled_on": DATE},
    ),
}


def _payloads(base: dict, fuzzed: dict):
    """A valid payload with some fields fuzzed (most examples), or every field fuzzed."""
    some = st.fixed_dictionaries({}, optional=fuzzed).map(lambda changed: {**base, **changed})
    return st.one_of(some, some, st.fixed_dictionaries(fuzzed))


@pytest.mark.parametrize("form", FORMS)
def test_form_never_fails_and_a_refusal_writes_nothing(app, db, factory, form):
    role, url, base, fields = FORMS[form]
    world = _world(factory)
    client, target = _as(app, world[role]), url(world)

    @WEB
    @given(values=_payloads(base(world), fields(world)))
    def check(values):
        with app.app_context():
            before = fingerprint()
        response = client.post(target, data=values)
        assert response.status_code in (302, 400, 409), response.status_code
        if response.status_code != 302:
            with app.app_context():
                assert fingerprint() == before

    check()
