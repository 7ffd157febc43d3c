"""Hostile files on every import page: each gets a clear Japanese message and a 4xx, nothing
is written, and no page answers 500."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.badinput import (
    broken_cp932,
    euc_jp_csv,
    json_named_csv,
    many_rows,
    mixed_utf8_cp932_csv,
    not_excel,
    row_counts,
    sparse_csv,
    sparse_xlsx,
    zip_bomb,
)

#: Every upload form of the app: (URL, who may use it).
IMPORT_PAGES = {
    "pool": ("/pool/import", "coordinator"),
    "national": ("/national/import", "admin"),
    "requests": ("/requests/import", "coordinator"),
    "training": ("/training/import", "coordinator"),
    "training targets": ("/training/targets/import", "coordinator"),
}

#: case → (file name, bytes, status, what the page says)
CASES = {
    "not an Excel file named .xlsx": (
        "talent.xlsx",
        not_excel,
        400,
        "Excel ファイル(.xlsx)として読み込めませんでした",
    ),
    "zip bomb .xlsx": ("bomb.xlsx", zip_bomb, 400, "展開後のサイズが大きすぎます(上限 100 MB)"),
    "broken CP932 bytes": (
        "sjis.csv",
        lambda: broken_cp932("管理番号,氏名"),
        400,
        "文字コードを判別できませんでした",
    ),
    "empty file": ("empty.csv", lambda: b"", 400, ""),
    "header only": ("header.csv", lambda: b"\r\n\r\n", 400, "見出し行がありません"),
    "an .exe": (
        "tool.exe",
        lambda: b"MZ\x90\x00",
        400,
        ".xlsx または .csv のファイルを選んでください",
    ),
    "EUC-JP CSV": ("euc.csv", lambda: euc_jp_csv("管理番号,氏名,団体コード"), 400, "EUC-JP"),
    "UTF-8 and CP932 lines mixed": (
        "mixed.csv",
        lambda: mixed_utf8_cp932_csv("管理番号,氏名,団体コード"),
        400,
        "文字コードが混在しています",
    ),
    "JSON named .csv": ("data.csv", json_named_csv, 400, "必須の列がありません"),
    "a million empty CSV lines": (
        "sparse.csv",
        lambda: sparse_csv("管理番号,氏名"),
        400,
        "空の行を含めて行が多すぎます(上限 100,000 行)",
    ),
}


def _login_for(factory, login, role: str):
    return login(factory.admin() if role == "admin" else factory.coordinator("03"))


def _kept_files(app) -> set[str]:
    """The files waiting between an import's preview and its commit."""
    folder = Path(app.config.get("UPLOAD_DIR") or Path(app.instance_path) / "uploads")
    return {path.name for path in folder.glob("*")} if folder.is_dir() else set()


def _upload(client, url: str, filename: str, data: bytes):
    """POST the file as multipart/form-data, encoded in memory (the test client would spool a
    large body to a temporary file it never closes)."""
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("page", IMPORT_PAGES)
@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_refused_with_a_message(app, factory, login, page, case):
    url, role = IMPORT_PAGES[page]
    client = _login_for(factory, login, role)
    filename, make, status, message = CASES[case]
    with app.app_context():
        before = row_counts()
    kept = _kept_files(app)
    response = _upload(client, url, filename, make())
    assert response.status_code == status, response.text[:2000]
    assert message in response.text
    assert 'name="token"' not in response.text  # nothing to commit: the file is not kept
    assert _kept_files(app) == kept
    with app.app_context():
        assert row_counts() == before


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_oversized_upload_gets_413_with_the_japanese_page(app, factory, login, monkeypatch, page):
    url, role = IMPORT_PAGES[page]
    client = _login_for(factory, login, role)
    assert app.config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024  # the production default
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
    with app.app_context():
        before = row_counts()
    response = _upload(client, url, "big.csv", b"a,b\r\n" + b"1,2\r\n" * 60_000)
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.text
    assert "上限(0.25 MB)" in response.text
    with app.app_context():
        assert row_counts() == before


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_a_hundred_thousand_rows_are_refused_quickly_naming_the_limit(app, factory, login, page):
    url, role = IMPORT_PAGES[page]
    client = _login_for(factory, login, role)
    data = many_rows("管理番号,氏名,団体コード", "T1,山田,032018")
    with app.app_context():
        before = row_counts()
    started = time.perf_counter()
    response = _upload(client, url, "many.csv", data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "データ行が多すぎます(上限 50,000 行)" in response.text
    assert elapsed < 5, f"took {elapsed:.1f} s"
    with app.app_context():
        assert row_counts() == before


@pytest.mark.parametrize("page", IMPORT_PAGES)
def test_a_sparse_sheet_is_read_by_its_rows_present(app, factory, login, page):
    """4.9 KB whose only far cell is at row 1,048,576: read as the two rows it has (it kept a
    worker busy past gunicorn's 30 s before), and refused as a file with no importable row."""
    url, role = IMPORT_PAGES[page]
    client = _login_for(factory, login, role)
    data = sparse_xlsx(["管理番号", "氏名", "団体コード"])
    assert len(data) < 6000
    with app.app_context():
        before = row_counts()
    kept = _kept_files(app)
    started = time.perf_counter()
    response = _upload(client, url, "sparse.xlsx", data)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400, response.text[:2000]
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert _kept_files(app) == kept
    with app.app_context():
        assert row_counts() == before
