"""Every list's search box follows one rule (services.search): all the words must be found,
each in any searched column, ignoring case and full/half width, `%` and `_` taken literally."""

from __future__ import annotations

import itertools

import pytest

from talentpool.extensions import db
from talentpool.models import AuditEvent, OutboxMessage, Role, User
from talentpool.services.accounts import users as accounts

_seq = itertools.count(1)


def _talent(factory, name):
    factory.talent("03", name=name)


def _national(factory, name):
    factory.national_entry(name=name)


def _request(factory, name):
    factory.request("032018", title=name)


def _offer(factory, name):
    _user, talent = factory.talent_user("03", name=name)
    factory.offer(factory.coordinator("03"), factory.request("032018"), talent, 10)


def _assignment(factory, name):
    _user, talent = factory.talent_user("03", name=name)
    factory.assignment(factory.coordinator("03"), factory.request("032018"), talent, 10)


def _invitation(factory, name):
    inviter = factory.user(Role.coordinator, prefecture="03")
    with factory.app.app_context():
        accounts.invite(
            inviter=db.session.get(User, inviter.id),
            email=f"invitee{next(_seq)}@example.jp",
            name=name,
            role=Role.municipal_officer,
            prefecture_id=inviter.prefecture_id,
            municipality_id=factory.municipality("032018").id,
        )
        db.session.commit()


def _audit(factory, name):
    actor = factory.user(Role.coordinator, prefecture="03", name=name)
    factory._save(
        AuditEvent(
            actor_id=actor.id,
            prefecture_id=actor.prefecture_id,
            action="update",
            entity="talent",
            entity_id="1",
            changes={},
        )
    )


def _mail(factory, name):
    factory._save(
        OutboxMessage(
            recipient=f"someone{next(_seq)}@example.jp",
            subject=name,
            body_text="本文",
            prefecture_id=factory.prefecture("03").id,
        )
    )


LISTS = {  # list → (who searches, the URL before the words, a row the words search)
    "pool": ("coordinator", "/pool/?q=", _talent),
    "national list": ("admin", "/national/?q=", _national),
    "requests": ("coordinator", "/requests/?q=", _request),
    "offers": ("coordinator", "/offers/?q=", _offer),
    "assignments": ("coordinator", "/offers/?view=assignments&q=", _assignment),
    "invitations": ("coordinator", "/accounts/invitations?q=", _invitation),
    "audit trail": ("coordinator", "/audit/?actor=", _audit),
    "mail status": ("coordinator", "/notifications/mail?q=", _mail),
}

NAMES = ("調査 青森", "調査 秋田", "割合100%", "割合1000", "記号a_b", "記号axb", "Half Width")


def _results(response) -> str:
    """The page below its filter form (the header shows the user's own name)."""
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    return body.split("<main", 1)[-1].split("</form>", 1)[-1]


@pytest.mark.parametrize("name", LISTS)
def test_a_list_search_ands_its_words_and_takes_wildcards_literally(app, factory, login, name):
    role, url, make = LISTS[name]
    for text in NAMES:
        make(factory, text)
    viewer = factory.admin() if role == "admin" else factory.coordinator("03")
    client = login(viewer)

    def found(q: str) -> set[str]:
        page = _results(client.get(url + q))
        return {text for text in NAMES if text in page}

    assert {"調査 青森", "調査 秋田"} <= found("調査")
    assert found("調査 青森") == {"調査 青森"}  # a second word narrows
    assert found("青森　調査") == {"調査 青森"}  # in any order, any space
    assert found("100%25") == {"割合100%"}  # % is a percent sign …
    assert found("a_b") == {"記号a_b"}  # … and _ an underscore, not wildcards
    assert found("ｗｉｄｔｈ　ＨＡＬＦ") == {"Half Width"}  # case and width ignored
