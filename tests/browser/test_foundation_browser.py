"""In a real browser: logging in for each role, the menu, the language switch."""

import pytest

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("iwate.coordinator@demo.example.jp", "岩手県の都道府県担当者"),
        ("morioka.officer@demo.example.jp", "岩手県盛岡市の担当者"),
        ("admin@demo.example.jp", "国の管理者として"),
    ],
)
def test_each_role_logs_in_and_out(page, email, expected):
    login(page, email)
    assert expected in page.inner_text("main")
    assert page.get_by_role("navigation", name="メインメニュー").is_visible()
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url("**/login")
    assert "ログアウトしました" in page.inner_text("main")


def test_login_page_and_language_switch(page):
    page.goto("/login")
    screenshot(page, "login")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="日本語").click()
    assert page.locator("html").get_attribute("lang") == "ja"
