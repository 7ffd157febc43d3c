"""Excel in and out as a coordinator does it, in a real browser with JavaScript off: download
the pool, upload it back (nothing changes), fix one cell in the file, see that one change in
the preview, commit it, and read it on the talent's history tab."""

import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.browser

COORDINATOR = "iwate.coordinator@demo.example.jp"
NEW_PHONE = "019-600-1234"


def _upload(page, path) -> str:
    page.goto("/pool/import")
    page.get_by_label(re.compile("ファイル")).set_input_files(str(path))
    page.get_by_role("button", name=re.compile("確認")).click()
    return page.inner_text("main")


def test_export_reimport_change_one_cell_and_read_it_in_the_history(no_js_page, tmp_path):
    page = no_js_page
    login(page, COORDINATOR)
    page.goto("/pool/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    exported = tmp_path / "pool.xlsx"
    exported.write_bytes(download.value.path().read_bytes())
    book = load_workbook(io.BytesIO(exported.read_bytes()))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["管理番号", "氏名", "ふりがな", "種別"]  # Japanese by default
    assert sheet.auto_filter.ref and sheet.freeze_panes == "A2"
    rows = sheet.max_row - 1

    # The file as downloaded changes nothing.
    preview = _upload(page, exported)
    assert f"変更なし: {rows}件" in preview and "新規: 0件" in preview and "更新: 0件" in preview
    assert "取り込む必要はありません" in preview

    # One cell changed in Excel: the preview names that field, old → new.
    phone = header.index("電話番号") + 1
    name = sheet.cell(2, header.index("氏名") + 1).value
    old_phone = sheet.cell(2, phone).value or "—"
    sheet.cell(2, phone).value = NEW_PHONE
    changed = tmp_path / "pool-changed.xlsx"
    book.save(changed)
    preview = _upload(page, changed)
    assert "更新: 1件" in preview and f"変更なし: {rows - 1}件" in preview
    assert f"電話番号: {old_phone} → {NEW_PHONE}" in preview
    screenshot(page, "import-preview-changes")
    page.get_by_role("button", name="取り込みを確定する").click()
    assert "更新 1件" in page.inner_text("main")

    # The talent's own history tab shows who changed what, in plain words.
    page.goto(f"/pool/?q={name}")
    page.get_by_role("link", name=name).first.click()
    tabs = page.get_by_role("navigation", name="表示の切り替え")
    tabs.get_by_role("link", name="変更履歴").click()
    history = page.inner_text("main")
    assert f"電話番号: {old_phone} → {NEW_PHONE}" in history
    assert "岩手 県太郎" in history  # who did it
    screenshot(page, "history-tab")
