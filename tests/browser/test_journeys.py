"""The three journeys end to end in a real browser, with JavaScript switched off (every page
works without scripts): the municipality asks, the coordinator imports talent, ranks and
offers, the talent accepts, the municipality sees who is coming and records DX-leader
training, and the coordinator downloads the fiscal-measure workbook."""

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from tests.browser.conftest import login, logout, screenshot

pytestmark = pytest.mark.browser

OFFICER = "morioka.officer@demo.example.jp"
COORDINATOR = "iwate.coordinator@demo.example.jp"
NEW_TALENT_EMAIL = "journey.talent@example.jp"
NEW_TALENT_PASSWORD = "iwate-journey-2025!"


def _talent_workbook(path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "管理番号",
            "氏名",
            "ふりがな",
            "種別",
            "CIO補佐官候補",
            "都道府県コード",
            "スキル",
            "職務経歴",
            "稼働可能時間(月)",
            "勤務形態",
            "メールアドレス",
        ]
    )
    sheet.append(
        [
            "JOURNEY-1",
            "旅路 窓口子",
            "たびじ まどこ",
            "外部人材",
            "いいえ",
            "03",
            "frontyard;bpr",
            "市役所で書かない窓口と申請書作成支援システムを導入。窓口の待ち時間を半減し、"
            "オンライン申請の対象手続を拡大した。",
            "40",
            "併用",
            NEW_TALENT_EMAIL,
        ]
    )
    sheet.append(["JOURNEY-2", "", "", "外部人材", "いいえ", "03", "", "", "abc", "併用", ""])
    book.save(path)


def test_request_offer_accept_assignment_training_and_workbook(no_js_page, tmp_path):
    page = no_js_page
    # (c) The municipal officer posts a request from a focus-area template and publishes it.
    login(page, OFFICER)
    page.goto("/requests/new")
    page.get_by_label("重点取組").select_option("frontyard")
    page.get_by_role("button", name="このテンプレートを使う").click()
    assert "書かない窓口" in page.get_by_label("件名").input_value()
    page.get_by_label("件名").fill("旅路テスト: 書かない窓口の導入支援")
    page.get_by_role("button", name="保存して公開").click()
    assert "募集中" in page.inner_text("main")
    request_url = page.url
    screenshot(page, "request-detail-officer")
    logout(page)

    # (a) The coordinator imports a talent workbook: the preview explains the bad row.
    login(page, COORDINATOR)
    workbook = tmp_path / "talent.xlsx"
    _talent_workbook(workbook)
    page.goto("/pool/import")
    page.get_by_label(re.compile("ファイル")).set_input_files(str(workbook))
    page.get_by_role("button", name=re.compile("確認")).click()
    preview = page.inner_text("main")
    assert "3行目" in preview or re.search(r"\b3\b", preview)
    screenshot(page, "pool-import-preview")
    page.get_by_label(re.compile("正常な行だけ")).check()
    page.get_by_role("button", name=re.compile("取り込")).click()
    assert "取り込みました" in page.inner_text("main")

    # …invites the new person, who sets a password through the link shown on the profile.
    page.goto("/pool/?q=旅路")
    page.get_by_role("link", name="旅路 窓口子").click()
    page.get_by_role("button", name="ログインに招待する").click()
    assert "招待中" in page.inner_text("main")
    field = page.get_by_label("招待リンク").input_value()
    link = re.search(r"(/invitations/[\w-]+)", field).group(1)
    logout(page)
    page.goto(link)
    page.get_by_label("パスワード(10文字以上)").fill(NEW_TALENT_PASSWORD)
    page.get_by_label("パスワード(確認)").fill(NEW_TALENT_PASSWORD)
    page.get_by_role("button", name="パスワードを設定してはじめる").click()
    page.wait_for_url("**/")
    logout(page)

    # …runs the matcher for the officer's request and sends an offer to the top candidate.
    login(page, COORDINATOR)
    page.goto(request_url)
    page.get_by_role("link", name="候補者ランキングを見る").click()
    ranking = page.inner_text("main")
    assert "旅路 窓口子" in ranking and "書かない窓口" in ranking
    screenshot(page, "matching-ranking")
    row = page.get_by_role("row").filter(has_text="旅路 窓口子")
    row.get_by_role("link", name="打診する").click()
    page.get_by_label("メッセージ").fill("窓口改革のご支援をお願いできますか。")
    page.get_by_label("回答期限").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="打診を送る").click()
    assert "打診を送りました" in page.inner_text("main")
    logout(page)

    # (b) The talent logs in, sees the offer and accepts.
    login(page, NEW_TALENT_EMAIL, NEW_TALENT_PASSWORD)
    assert "回答が必要な打診" in page.inner_text("main")
    page.goto("/offers/")
    page.get_by_role("link", name=re.compile("旅路テスト")).first.click()
    screenshot(page, "offer-talent")
    page.get_by_role("button", name="受諾する").click()
    assert "派遣" in page.inner_text("main")
    logout(page)

    # (c) The officer now sees who is coming, with contact details.
    login(page, OFFICER)
    page.goto(request_url)
    main = page.inner_text("main")
    assert "旅路 窓口子" in main and NEW_TALENT_EMAIL in main
    screenshot(page, "request-assigned-officer")
    # …registers a DX promotion leader, enrols them and records the completion.
    page.goto("/training/")
    page.get_by_role("link", name="DX推進リーダーを登録する").click()
    page.get_by_label("氏名").fill("旅路 育成")
    page.get_by_label("所属").fill("デジタル推進課")
    page.get_by_role("button", name="保存する").click()
    program = page.get_by_label("研修")
    value = program.locator("option", has_text="DX推進リーダー育成研修").first.get_attribute(
        "value"
    )
    program.select_option(value)
    page.get_by_label("受講開始日").fill("2025-06-01")
    page.get_by_role("button", name="受講登録する").click()
    page.get_by_label("修了日").fill("2025-09-30")
    page.get_by_label("修了証番号").fill("J-0001")
    page.get_by_role("button", name="修了を記録する").click()
    assert "修了" in page.inner_text("main") and "J-0001" in page.inner_text("main")
    logout(page)

    # (d) The coordinator downloads the fiscal-measure workbook.
    login(page, COORDINATOR)
    page.goto("/reports/?year=2025")
    screenshot(page, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("ワークブック|\\.xlsx|Excel")).first.click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == [
        "概要",
        "常勤デジタル人材",
        "CIO補佐官等",
        "DX推進リーダー研修",
        "募集経費",
        "要確認",
    ]
    assert "令和7年度" in str(book.worksheets[0]["A1"].value)
