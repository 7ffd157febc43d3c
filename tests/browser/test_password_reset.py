"""Forgot password → the e-mailed link → a new password → login, in a real browser with
JavaScript off. The mail is read where the demo keeps it (no MAIL_SERVER): the outbox page,
open in the user's other session on another device — which the new password then ends."""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, login, screenshot

pytestmark = pytest.mark.browser

USER = "hanamaki.officer@demo.example.jp"
NEW_PASSWORD = "花巻の朝は冷える-2026"


@pytest.fixture
def no_js_context(browser, live_server):
    def make():
        context = browser.new_context(
            base_url=live_server, locale="ja-JP", java_script_enabled=False
        )
        contexts.append(context)
        return context.new_page()

    contexts: list = []
    yield make
    for context in contexts:
        context.close()


def test_forgot_password_link_new_password_login(no_js_context, live_server):
    other_device = no_js_context()
    login(other_device, USER)

    page = no_js_context()
    page.goto("/login")
    page.get_by_role("link", name="パスワードを忘れた方").click()
    page.get_by_label("メールアドレス").fill(USER)
    page.get_by_role("button", name="再設定のリンクを送る").click()
    assert "パスワード再設定のリンクをお送りしました" in page.content()
    assert "/password/reset/" not in page.content()  # the link goes to the mailbox only
    screenshot(page, "password-forgot-sent")

    other_device.goto("/notifications/outbox")
    mails = "\n".join(other_device.locator("pre.mail-body").all_text_contents())
    link = re.search(r"https?://\S+/password/reset/\S+", mails).group(0)
    path = "/password/" + link.split("/password/", 1)[1]

    page.goto(path)
    page.get_by_label("新しいパスワード(10文字以上)").fill("パスワードパスワード")
    page.get_by_label("パスワード(確認)").fill("パスワードパスワード")
    page.get_by_role("button", name="パスワードを再設定する").click()
    assert "推測されやすいパスワードです" in page.content()
    page.get_by_label("新しいパスワード(10文字以上)").fill(NEW_PASSWORD)
    page.get_by_label("パスワード(確認)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="パスワードを再設定する").click()
    page.wait_for_url("**/login")
    assert "パスワードを再設定しました" in page.content()

    page.get_by_label("メールアドレス").fill(USER)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    assert "メールアドレスまたはパスワードが正しくありません" in page.content()
    login(page, USER, NEW_PASSWORD)
    assert "花巻市" in page.content()

    other_device.goto("/")
    assert other_device.url.endswith("/login?next=%2F") or "/login" in other_device.url
