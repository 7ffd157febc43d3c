"""Hostile text: markup in every free-text field is shown escaped on every page, exports write
it inert (no formula a spreadsheet would run, no calendar property injected), and SQL-like
strings in search boxes are searched for as text."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from talentpool.extensions import db as _db
from talentpool.models import (
    MatchPlan,
    MatchPlanItem,
    Notification,
    Offer,
    OutboxMessage,
    RecruitmentExpense,
    Talent,
    User,
)
from talentpool.services.accounts import users as accounts
from talentpool.services.clock import today
from tests.access_rules import RULES
from tests.badinput import FORMULA, SQL_LIKE, error_text, row_counts
from tests.test_access_matrix import _url

SCRIPT = "<script>x</script>"
#: Where the field is long enough: a formula and markup at once.
HOSTILE = FORMULA + SCRIPT
#: A calendar line break that would start a property of its own if written raw.
ICS_INJECTION = "題名\r\nATTENDEE:mailto:evil@example.invalid"


@pytest.fixture
def hostile_world(factory):
    """Every free-text field of every kind of record holds hostile text."""
    from talentpool.services.offers.lifecycle import decline_offer

    coord = factory.user("coordinator", prefecture="03", name=HOSTILE)
    officer = factory.officer("032018")
    talent_user, talent = factory.talent_user(
        "03",
        name=HOSTILE,
        name_kana=HOSTILE,
        experience=HOSTILE,
        qualifications=HOSTILE,
        phone=SCRIPT,
        external_id=HOSTILE,
        available_hours_per_month=200,
    )
    texts = {
        "description": HOSTILE,
        "contact_name": HOSTILE,
        "contact_phone": SCRIPT,
        "external_id": FORMULA,
    }
    request = factory.request("032018", title=HOSTILE, **texts)
    offer = factory.offer(coord, request, talent, 10, message=HOSTILE)
    declined = factory.offer(
        coord, factory.request("032018", title=HOSTILE), talent, 10, message=HOSTILE
    )
    with factory.app.app_context():
        decline_offer(
            _db.session.get(User, talent_user.id), _db.session.get(Offer, declined.id), HOSTILE
        )
        _db.session.commit()
    assignment = factory.assignment(
        coord,
        factory.request("032018", title=ICS_INJECTION, description=HOSTILE),
        talent,
        10,
        note=HOSTILE,
        message=HOSTILE,
    )
    factory.assignment(
        coord,
        factory.request("032018", title=HOSTILE),
        talent,
        10,
        note=HOSTILE,
        end="early",
        end_reason=HOSTILE,
        score=2,
        comment=HOSTILE,
        officer=officer,
    )
    leader = factory.dx_leader("032018", name=HOSTILE, department=HOSTILE, position=HOSTILE)
    program = factory.program(HOSTILE, prefecture="03", provider=HOSTILE, level=SCRIPT)
    enrollment = factory.enrollment(
        program, leader=leader, enrolled_on=today(), certificate_number=HOSTILE
    )
    factory.enrollment(factory.program("行政実務研修"), talent=talent, enrolled_on=today())
    newcomer = factory.talent("03", name=HOSTILE, name_kana=HOSTILE, experience=HOSTILE)
    with factory.app.app_context():
        invitation = accounts.invite(
            inviter=_db.session.get(User, coord.id),
            email=newcomer.email,
            name=HOSTILE,
            role="talent",
            talent_id=newcomer.id,
        ).invitation
        notification = _db.session.scalar(
            select(Notification).where(Notification.user_id == talent_user.id).limit(1)
        )
        mail = _db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.recipient == talent_user.email).limit(1)
        )
        plan = MatchPlan(prefecture_id=request.prefecture_id, created_by_id=coord.id)
        plan_item = MatchPlanItem(
            plan=plan,
            request_id=request.id,
            talent_id=talent.id,
            score=0.5,
            hours=10,
            reasons=[HOSTILE],
        )
        uninvited_item = MatchPlanItem(
            plan=plan,
            request_id=request.id,
            talent_id=newcomer.id,
            score=0.4,
            hours=10,
            reasons=[HOSTILE],
        )
        expense = RecruitmentExpense(
            prefecture_id=request.prefecture_id,
            fiscal_year=2025,
            spent_on=date(2025, 6, 1),
            description=HOSTILE,
            vendor=HOSTILE,
            note=HOSTILE,
            amount=100_000,
        )
        _db.session.add_all([plan, plan_item, uninvited_item, expense])
        _db.session.commit()
    users = {
        "coord_a": coord,
        "officer_a": officer,
        "talent_x": talent_user,
        "admin": factory.admin(),
    }
    objects = {
        "talent_x": talent,
        "request": request,
        "offer": offer,
        "assignment": assignment,
        "entry": factory.national_entry(
            name=HOSTILE, name_kana=HOSTILE, experience=HOSTILE, qualifications=HOSTILE
        ),
        "leader": leader,
        "enrollment": enrollment,
        "morioka": factory.municipality("032018"),
        "officer_a": officer,
        "notification": notification,
        "plan": plan,
        "plan_item": plan_item,
        "expense": expense,
        "mail": mail,
        "invitation": invitation,
        "uninvited_item": uninvited_item,
    }
    return users, objects


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version}"
    return client


EXPORTS = (
    "pool.export",
    "national.export",
    "requests.export",
    "training.export",
    "pool.my_data",
    "offers.calendar",
)


def test_markup_is_escaped_on_every_page_for_every_role(app, db, hostile_world):
    users, objects = hostile_world
    pages = sorted(
        e for e, r in RULES.items() if e not in EXPORTS and "GET" in _url(app, e, r, objects)[1]
    )
    seen, leaks = 0, []
    for role, user in users.items():
        client = _as(app, user)
        for endpoint in pages:
            url, _methods = _url(app, endpoint, RULES[endpoint], objects)
            response = client.get(url, follow_redirects=True)
            assert response.status_code < 500, f"{role} {url}: {response.status_code}"
            if response.mimetype != "text/html":
                continue  # a download (the import template)
            body = response.get_data(as_text=True)
            seen += "&lt;script&gt;x&lt;/script&gt;" in body
            if SCRIPT in body or "<img" in body.lower() and "onerror" in body.lower():
                leaks.append(f"{role} {url}")
    assert not leaks, leaks
    assert seen >= 40, "the hostile text was shown escaped on too few pages to prove anything"


def test_markup_is_escaped_in_mails(app, db, hostile_world):
    with app.app_context():
        from talentpool.models import OutboxMessage

        mails = _db.session.scalars(select(OutboxMessage)).all()
        assert mails
        for mail in mails:
            assert SCRIPT not in (mail.body_html or "")
        assert any("&lt;script&gt;" in (m.body_html or "") for m in mails)


def _cells_xlsx(data: bytes) -> list[tuple[str, str, bool]]:
    """(text, cell type, quote prefix) of every filled cell."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (str(cell.value), cell.data_type, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _cells_csv(data: bytes) -> list[tuple[str, str, bool]]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return [(cell, "s", False) for row in rows for cell in row]


FORMULA_START = ("=", "+", "@", "-")


@pytest.mark.parametrize(
    "url, reader, role",
    [
        ("/pool/export.xlsx", _cells_xlsx, "coord_a"),
        ("/pool/export.csv", _cells_csv, "coord_a"),
        ("/requests/export.xlsx", _cells_xlsx, "coord_a"),
        ("/requests/export.csv", _cells_csv, "coord_a"),
        ("/national/export.xlsx", _cells_xlsx, "admin"),
        ("/national/export.csv", _cells_csv, "admin"),
        ("/training/export", _cells_xlsx, "coord_a"),
        ("/training/export?format=csv", _cells_csv, "coord_a"),
        ("/pool/me/data.xlsx", _cells_xlsx, "talent_x"),
    ],
)
def test_exports_write_formulas_as_inert_text(app, db, hostile_world, url, reader, role):
    users, _objects = hostile_world
    response = _as(app, users[role]).get(url)
    assert response.status_code == 200
    cells = reader(response.data)
    assert not [c for c in cells if c[1] == "f"]  # no formula cell at all
    if reader is _cells_csv:  # CSV has no types: the apostrophe Excel shows as text
        assert not [c for c in cells if c[0].lstrip().startswith(FORMULA_START)]
        assert (f"'{HOSTILE}", "s", False) in cells
    else:  # .xlsx: the text as it is, in a quote-prefixed text cell
        texts = [c for c in cells if c[1] != "n" and c[0].lstrip().startswith(FORMULA_START)]
        assert texts and all(kind == "s" and quoted for _, kind, quoted in texts)
        assert (HOSTILE, "s", True) in cells


def test_json_export_carries_the_text_verbatim_as_data(app, db, hostile_world):
    users, _objects = hostile_world
    response = _as(app, users["talent_x"]).get("/pool/me/data.json")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert json.loads(response.data)["profile"][0]["name"] == HOSTILE


def test_calendar_cannot_be_given_extra_properties(app, db, hostile_world):
    users, _objects = hostile_world
    text = _as(app, users["talent_x"]).get("/offers/calendar.ics").get_data(as_text=True)
    assert "ATTENDEE" in text  # the title is there …
    assert not [line for line in text.split("\r\n") if line.startswith("ATTENDEE")]  # … inert


# --- SQL-like strings in search boxes ---------------------------------------------------

SEARCHES = {  # search box → (who searches, the listing URL)
    "pool": ("coord", "/pool/?q="),
    "national list": ("admin", "/national/?q="),
    "requests": ("coord", "/requests/?q="),
    "offers": ("coord", "/offers/?q="),
    "assignments": ("coord", "/offers/?view=assignments&q="),
    "audit trail": ("coord", "/audit/?actor="),
}


RESULT_NAMES = ("普通の人材", "普通の国リスト", "普通の依頼", "普通の担当者")


def _results(response) -> str:
    """The page below its filter form (the header shows the user's own name)."""
    body = response.get_data(as_text=True)
    return body.split("<main", 1)[-1].split("</form>", 1)[-1]


@pytest.mark.parametrize("box", SEARCHES)
def test_sql_like_strings_are_searched_as_text(app, factory, box):
    role, url = SEARCHES[box]
    coord = factory.user("coordinator", prefecture="03", name="普通の担当者")
    _user, talent = factory.talent_user("03", name="普通の人材")
    factory.national_entry(name="普通の国リスト")
    req = factory.request("032018", title="普通の依頼")
    factory.assignment(coord, req, talent, 10)
    user = factory.admin() if role == "admin" else coord
    client = _as(app, user)
    if box == "audit trail":  # audit events with the coordinator as actor
        client.post(f"/pool/{talent.id}/active", data={"active": "0"})
        client.post(f"/pool/{talent.id}/active", data={"active": "1"})
    with app.app_context():
        before = row_counts()
    for value in SQL_LIKE:
        response = client.get(url + value)
        assert response.status_code in (200, 400), f"{value!r}: {response.status_code}"
        if response.status_code == 400:
            assert error_text(response.text) or "入力内容に誤りがあります" in response.text
        for name in RESULT_NAMES:
            assert name not in _results(response), f"{value!r} matched {name}"
    found = _results(client.get(url + "普通"))
    assert any(name in found for name in RESULT_NAMES)  # the search itself works
    with app.app_context():
        assert row_counts() == before
        assert _db.session.scalar(select(func.count()).select_from(Talent)) >= 1


def test_a_nul_character_in_a_form_is_refused(app, factory):
    client = _as(app, factory.coordinator("03"))
    with app.app_context():
        before = row_counts()
    response = client.post(
        "/pool/new",
        data={
            "name": "山田\x00太郎",
            "kind": "external",
            "available_hours_per_month": "10",
            "work_style": "hybrid",
        },
    )
    assert response.status_code == 400 and "入力内容に誤りがあります" in response.text
    with app.app_context():
        assert row_counts() == before
