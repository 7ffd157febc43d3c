"""Double submits: two commits of one pool import, two acceptances of one invitation, at the
same moment on PostgreSQL (threads, real connections). Each used to answer one 500
(IntegrityError) though nothing was duplicated; the loser now gets a redirect with a message.
And any unique-constraint race that reaches no handler of its own is a 409, never a 500."""

from __future__ import annotations

import io
import sqlite3
import threading
import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from talentpool.extensions import db
from talentpool.models import Municipality, Role, Talent, User
from talentpool.pool import files as imports
from talentpool.services.accounts import users as accounts
from tests.factories import PASSWORD


def test_a_unique_constraint_race_anywhere_is_a_409(make_app):
    other = make_app()

    @other.route("/race")
    def race():
        raise IntegrityError(
            "INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed: talent.external_id")
        )

    @other.route("/broken")
    def broken():
        raise IntegrityError("INSERT", {}, sqlite3.IntegrityError("NOT NULL constraint failed"))

    client = other.test_client()
    response = client.get("/race")
    assert response.status_code == 409 and "ほかの操作と重なりました" in response.text
    assert client.get("/broken").status_code == 500  # a bug stays a bug


def _together(app, requests: list) -> list:
    """Run the requests at once, each from its own test client and thread."""
    responses: list = [None] * len(requests)

    def run(index: int, send) -> None:
        responses[index] = send()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def _wait_for_each_other(monkeypatch, module, name: str, parties: int = 2) -> None:
    """Both requests have done their checks before either writes (as on a busy server)."""
    barrier = threading.Barrier(parties, timeout=20)
    original = getattr(module, name)

    def meet_then_go(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, meet_then_go)


@pytest.fixture
def coordinator(pg_app):
    with pg_app.app_context():
        place = db.session.scalar(select(Municipality))
        user = accounts.create_user(
            email=f"race-{uuid.uuid4().hex[:8]}@example.jp",
            name="担当",
            role=Role.coordinator,
            password=PASSWORD,
            prefecture_id=place.prefecture_id,
        )
        db.session.commit()
        return user.email


def _logged_in(pg_app, email: str):
    client = pg_app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.postgres
def test_two_commits_of_one_pool_import(pg_app, coordinator, monkeypatch, tmp_path):
    monkeypatch.setitem(pg_app.config, "UPLOAD_DIR", str(tmp_path))
    first, second = _logged_in(pg_app, coordinator), _logged_in(pg_app, coordinator)
    data = (
        "管理番号,氏名,種別\r\nRACE-1,二重 太郎,外部人材\r\nRACE-2,二重 花子,外部人材\r\n"
    ).encode()
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), "pool.csv")})
    preview = first.post(
        "/pool/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert preview.status_code == 200
    token = preview.text.split('name="token" type="hidden" value="')[1].split('"')[0]
    _wait_for_each_other(monkeypatch, imports, "apply_import")

    responses = _together(
        pg_app,
        [
            lambda client=client: client.post("/pool/import/commit", data={"token": token})
            for client in (first, second)
        ],
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 303], statuses  # done, and the other told so: no 500
    loser = next(r for r in responses if r.status_code == 303)
    assert loser.location.endswith("/pool/import")
    page = (first if responses[0] is loser else second).get("/pool/import").text
    assert "他の操作と同時に更新されたため取り込めませんでした" in page
    with pg_app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Talent).where(Talent.external_id.like("RACE-%"))
        )
        assert count == 2


@pytest.mark.postgres
def test_two_acceptances_of_one_invitation(pg_app, coordinator, monkeypatch):
    with pg_app.app_context():
        inviter = db.session.scalar(select(User).where(User.email == coordinator))
        issued = accounts.invite(
            inviter=inviter,
            email=f"twice-{uuid.uuid4().hex[:8]}@example.jp",
            name="二重 承諾",
            role=Role.municipal_officer,
            municipality_id=db.session.scalar(select(Municipality.id)),
        )
        db.session.commit()
        email = issued.invitation.email
    link = f"/invitations/{issued.token}"
    _wait_for_each_other(monkeypatch, accounts, "create_user")
    password = "盛岡の朝は冷える-2026"
    clients = [pg_app.test_client(), pg_app.test_client()]
    responses = _together(
        pg_app,
        [
            lambda client=client: client.post(
                link, data={"password": password, "confirm": password}
            )
            for client in clients
        ],
    )
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 303], statuses
    loser = next(r for r in responses if r.status_code == 303)
    assert loser.location.endswith("/login")
    with pg_app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
            == 1
        )
