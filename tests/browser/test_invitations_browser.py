"""Invitations as a coordinator uses them, in a real browser: the pending and expired demo
invitations, inviting a pool selection after a confirmation page (JavaScript off), the link
copied again and resent, 「招待して打診」 from the plan with the invitee answering after setting
a password, and the small screen (390 px)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

COORDINATOR = "iwate.coordinator@demo.example.jp"
PASSWORD = "invited-in-browser-2025"


def _row(page, name: str):
    return page.get_by_role("row").filter(has_text=name)


def test_demo_invitations_bulk_invite_resend_and_revoke_without_javascript(no_js_page):
    page = no_js_page
    login(page, COORDINATOR)
    # Home tiles lead to the pool list filtered by login status.
    page.get_by_role("link", name=re.compile("招待の期限が切れた人材")).click()
    assert "login=expired" in page.url and "佐々木 亮" in page.inner_text("main")

    # The demo's invitations: one pending, one expired, listed with their expiry.
    page.goto("/accounts/invitations")
    listing = page.inner_text("main")
    assert "小野寺 まどか" in listing and "佐々木 亮" in listing
    assert "招待中" in _row(page, "小野寺 まどか").inner_text()
    assert "期限切れ" in _row(page, "佐々木 亮").inner_text()
    screenshot(page, "invitations-list")

    # Bulk: tick two people never invited, one already invited and one with an account.
    page.goto("/pool/?sort=kana")
    names = ["工藤 千尋", "昆 正樹"]
    for name in [*names, "小野寺 まどか", "阿部 浩之"]:
        page.get_by_role("checkbox", name=f"{name}を選択").check()
    page.get_by_role("button", name="選んだ人材をログインに招待する").click()
    confirm = page.inner_text("main")
    assert "招待する人(2人)" in confirm and "招待しない人(2人)" in confirm
    assert "既にログインできる人" in confirm and "招待中の人" in confirm
    screenshot(page, "pool-bulk-invite-confirm")
    page.get_by_role("button", name="2人を招待する").click()
    assert "2人を招待しました" in page.inner_text("main")
    assert "login=pending" in page.url
    for name in names:
        assert "招待中" in _row(page, name).inner_text()

    # The profile says 招待中 with the expiry and gives the inviter the link again.
    page.get_by_role("link", name="工藤 千尋").click()
    panel = page.get_by_role("region", name="ログインアカウント")
    assert "招待中" in panel.inner_text() and "有効期限は" in panel.inner_text()
    field = page.get_by_label("招待リンク")
    first_link = field.input_value()
    assert "/invitations/" in first_link and field.get_attribute("readonly") is not None
    assert not page.get_by_role("button", name="コピー").is_visible()  # no script, no button
    screenshot(page, "talent-invitation-pending")
    page.get_by_role("button", name="新しいリンクで再送する").click()
    assert "新しい招待リンクを発行しました" in page.inner_text("main")
    second_link = page.get_by_label("招待リンク").input_value()
    assert second_link != first_link

    # Revoke asks first.
    page.get_by_role("link", name="招待を取り消す").click()
    assert "招待リンクは使えなくなります" in page.inner_text("main")
    page.get_by_role("button", name="取り消す").click()
    assert "招待を取り消しました" in page.inner_text("main")
    assert page.get_by_role("button", name="ログインに招待する").is_visible()
    logout(page)
    page.goto(second_link)
    assert "取り消されました" in page.inner_text("main")
    page.goto(first_link)
    assert "新しいリンクが送られたため" in page.inner_text("main")


def test_copy_button_and_select_all_with_javascript(page, browser):
    from playwright.sync_api import expect

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, COORDINATOR)
    page.goto("/pool/?login=pending")
    page.get_by_role("link", name="小野寺 まどか").click()
    page.get_by_role("button", name="コピー").click()
    expect(page.get_by_role("status").filter(has_text="コピーしました")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.get_by_label("招待リンク").input_value()

    page.goto("/pool/")
    page.get_by_label("このページの全員を選択").check()
    boxes = page.locator('input[name="talent_id"]')
    assert boxes.count() > 1 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))


def test_invite_and_offer_from_the_plan_then_the_invitee_answers(no_js_page):
    page = no_js_page
    login(page, COORDINATOR)
    page.goto("/matching/plan")
    page.get_by_label(re.compile("ログインできる人材")).uncheck()
    page.get_by_role("button", name="計画を計算する").click()
    action = page.get_by_role("link", name="招待して打診").first
    row = page.get_by_role("row").filter(has=action)
    title = row.get_by_role("link").nth(0).inner_text()  # the request, then the talent
    person = row.get_by_role("link").nth(1).inner_text()
    action.click()
    assert "招待して打診" in page.inner_text("h1") and person in page.inner_text("main")
    screenshot(page, "plan-invite-offer")
    page.get_by_label("メッセージ").fill("ご支援をお願いできますか。")
    page.get_by_role("button", name="招待して打診する").click()
    text = page.inner_text("main")
    assert "招待し、打診を送りました" in text
    link = re.search(r"(/invitations/[\w-]{20,})", text).group(1)
    logout(page)

    page.goto(link)
    page.get_by_label("パスワード(10文字以上)").fill(PASSWORD)
    page.get_by_label("パスワード(確認)").fill(PASSWORD)
    page.get_by_role("button", name="パスワードを設定してはじめる").click()
    page.wait_for_url("**/")
    assert re.search(r"[1-9]\d*\s*回答が必要な打診", page.inner_text("main"))
    page.goto("/offers/")
    assert title in page.inner_text("main")


def test_small_screen_favicon_and_a_calm_first_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, locale="ja-JP", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto("/")
        assert page.url.endswith("/login")
        assert "ログインしてください" not in page.inner_text("main")
        assert page.request.get(f"{live_server}/favicon.ico").status == 200
        login(page, COORDINATOR)
        logout = page.get_by_role("button", name="ログアウト").bounding_box()
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.site-tools')).lineHeight)"
        )
        assert logout["height"] < 1.5 * line  # one line, not a letter per line
        page.goto("/pool/?login=pending")
        page.get_by_role("link", name="小野寺 まどか").click()
        terms = page.locator("dl.details dt")
        values = page.locator("dl.details dd")
        first_dt, first_dd = terms.first.bounding_box(), values.first.bounding_box()
        assert first_dd["y"] > first_dt["y"] and abs(first_dd["x"] - first_dt["x"]) < 2
    finally:
        context.close()
