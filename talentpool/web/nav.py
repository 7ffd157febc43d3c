"""The navigation each role sees. Every entry's endpoint must exist: the app refuses to
start otherwise (`check`), so a renamed view cannot silently drop out of the menu."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_babel import lazy_gettext as _l

from talentpool.models import Role


@dataclass(frozen=True)
class NavItem:
    label: object
    endpoint: str
    roles: tuple[str, ...]


NAV = (
    NavItem(_l("ホーム"), "main.home", tuple(Role)),
    NavItem(_l("人材プール"), "pool.index", (Role.coordinator,)),
    NavItem(_l("国のリスト"), "national.index", (Role.national_admin, Role.coordinator)),
    NavItem(_l("支援依頼"), "requests.index", (Role.coordinator, Role.municipal_officer)),
    NavItem(_l("マッチング"), "matching.plan", (Role.coordinator,)),
    NavItem(
        _l("打診・派遣"), "offers.index", (Role.coordinator, Role.municipal_officer, Role.talent)
    ),
    NavItem(_l("研修"), "training.index", (Role.coordinator, Role.municipal_officer, Role.talent)),
    NavItem(_l("ダッシュボード"), "reports.dashboard", (Role.coordinator,)),
    NavItem(_l("全国の状況"), "reports.national", (Role.national_admin,)),
    NavItem(_l("自分のプロフィール"), "pool.my_profile", (Role.talent,)),
    NavItem(_l("変更履歴"), "audit.index", (Role.coordinator, Role.national_admin)),
    NavItem(
        _l("招待・アカウント"), "accounts.invitations", (Role.national_admin, Role.coordinator)
    ),
)


def items_for(role: str) -> list[NavItem]:
    """The entries `role` sees, in menu order."""
    return [item for item in NAV if role in item.roles]


def check(app: Flask, items: tuple[NavItem, ...] = NAV) -> None:
    """Raise if an entry names an endpoint the app does not have."""
    unknown = [item.endpoint for item in items if item.endpoint not in app.view_functions]
    if unknown:
        raise RuntimeError(f"navigation entries name unknown endpoints: {', '.join(unknown)}")
