"""Day one in a real prefecture, in the browser with JavaScript off: the demo's ended request
is flagged and out of the plan, the overdue assignment is completed from one list after a
confirmation page, a cancelled draft reopens as a draft, lists sort by their headers, and a
talent sees their own history."""

import re

import pytest

from tests.browser.conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

COORDINATOR = "iwate.coordinator@demo.example.jp"
HANAMAKI = "hanamaki.officer@demo.example.jp"
SCHEDULED_TALENT = "r.oikawa@example.com"


def test_coordinator_sees_the_calendar_and_completes_overdue_support(no_js_page):
    page = no_js_page
    login(page, COORDINATOR)
    page.get_by_role("link", name=re.compile("期間切れの依頼")).click()
    assert "高齢者向けスマホ相談会" in page.inner_text("main")
    page.get_by_role("link", name="高齢者向けスマホ相談会の企画・運営").click()
    text = page.inner_text("main")
    assert "期間切れ(要対応)" in text
    assert "を過ぎたため、この依頼の募集と打診の受付を止めています" in text
    screenshot(page, "request-expired")

    page.goto("/matching/plan")
    page.get_by_role("button", name=re.compile("計画を計算")).first.click()
    assert "高齢者向けスマホ相談会" not in page.inner_text("main")

    page.goto("/")
    page.get_by_role("link", name=re.compile("期間が終了した派遣")).click()
    listing = page.inner_text("main")
    assert "テレワーク環境の整備" in listing and "全 1 件" in listing
    page.get_by_role("button", name="選んだ派遣を完了にする").click()
    confirm = page.inner_text("main")
    assert "確認してください" in confirm and "岩渕 大地" in confirm
    screenshot(page, "assignments-complete-confirm")
    page.get_by_role("button", name="完了にする").click()
    assert "1件の派遣を完了にしました。" in page.inner_text("main")
    assert "全 0 件" in page.inner_text("main")

    page.goto("/requests/")
    page.get_by_role("link", name=re.compile("^月間時間")).click()
    assert "sort=hours" in page.url
    first = page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name=re.compile("^月間時間")).click()
    assert "dir=asc" in page.url and page.locator("tbody tr").first.inner_text() != first
    assert re.search(r"全 \d+ 件", page.inner_text("main"))


def test_a_cancelled_draft_reopens_as_a_draft(no_js_page):
    page = no_js_page
    login(page, HANAMAKI)
    page.goto("/requests/?state=draft")
    page.get_by_role("link", name="生成AIの庁内利用ルールづくりと試行").click()
    url = page.url
    page.get_by_role("button", name="取り消す").click()
    assert "確認してください" in page.inner_text("main")
    page.get_by_role("link", name="やめて戻る").click()
    assert "下書き" in page.inner_text("h1")
    page.get_by_role("button", name="取り消す").click()
    page.get_by_role("button", name="取り消す").click()
    assert "取消" in page.inner_text("h1")
    logout(page)
    login(page, COORDINATOR)
    page.goto(url)
    page.get_by_role("button", name="再開する").click()
    assert "下書き" in page.inner_text("h1") and "募集中" not in page.inner_text("h1")


def test_talent_sees_a_scheduled_assignment_and_their_history(no_js_page):
    page = no_js_page
    login(page, SCHEDULED_TALENT)
    page.goto("/pool/me")
    text = page.inner_text("main")
    assert "防災情報のデータ連携とダッシュボード構築" in text and "派遣予定" in text
    page.get_by_role("link", name=re.compile("防災情報のデータ連携")).first.click()
    detail = page.inner_text("main")
    assert "派遣予定" in detail and "に始まります" in detail and "活動を記録する" not in detail
    screenshot(page, "assignment-scheduled-talent")
