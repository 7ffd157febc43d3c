"""The fiscal-measure workbook: every cell matches the hand-computed data set (reports_data)."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests import reports_data as data

MEASURES = ["常勤デジタル人材", "CIO補佐官等", "DX推進リーダー研修", "募集経費"]
SHEETS = ["概要", *MEASURES, "要確認"]


@pytest.fixture
def dataset(app, factory):
    return data.build(app, factory)


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def check_workbook(book) -> None:
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet["A1"].value.startswith("令和7年度 (2025) 岩手県 ")
        # A4 landscape, fitted to the width, title and header rows repeated on every page
        setup = sheet.page_setup
        assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == "$1:$2"
    for name in MEASURES:
        assert book[name].cell(book[name].max_row, 1).value == "合計"
    assert rows(book["概要"])[2:6] == [
        ("市町村支援に従事する常勤のデジタル人材(普通交付税)", "人数", 2, None),
        (None, "年度内の在職月数(延べ)", 18, None),
        (None, "要確認(雇用開始日が未入力)", 0, None),
        ("CIO補佐官等の任用(特別交付税)", "任用件数", 1, None),
    ]
    assert rows(book["要確認"])[2:] == [("—", None, None, "確認が必要な行はありません。")]

    staff = rows(book["常勤デジタル人材"])
    assert staff[1] == (
        "氏名",
        "雇用開始日",
        "雇用終了日",
        "人数",
        "年度内の在職月数",
        "支援先市町村数",
        "派遣件数",
        "年度内の派遣時間(計画)",
        "活動記録の時間",
    )
    assert staff[2:] == [
        ("岩手 一郎", datetime(2024, 4, 1), None, 1, 12, 1, 2, 640, 22),
        ("岩手 二郎", datetime(2025, 10, 1), None, 1, 6, 1, 1, 60, 0),
        ("合計", None, None, 2, 18, 2, 3, 700, 22),
    ]

    cio = rows(book["CIO補佐官等"])
    assert cio[1] == (
        "団体コード",
        "市町村",
        "人材",
        "開始日",
        "終了日",
        "月あたり時間",
        "年度内の月数",
        "年度内の時間",
        "月額報酬(円)",
        "年度内の経費(円)",
    )
    assert cio[2:] == [
        (
            "032051",
            "花巻市",
            "外部 花子",
            datetime(2025, 7, 1),
            datetime(2026, 6, 30),
            16,
            9,
            144,
            150_000,
            1_350_000,
        ),
        # rates per person (hours per month, months, monthly fee) have no total
        ("合計", None, None, None, None, None, None, 144, None, 1_350_000),
    ]

    training = rows(book["DX推進リーダー研修"])
    assert training[1] == (
        "団体コード",
        "市町村",
        "目標人数",
        "受講者数(年度内に受講開始)",
        "修了者数",
        "研修経費(円)",
    )
    assert training[2:] == [
        ("032018", "盛岡市", 3, 2, 2, 100_000),
        ("032026", "宮古市", 2, 0, 0, 0),
        ("032051", "花巻市", 1, 1, 0, 50_000),
        ("合計", None, 6, 3, 2, 150_000),
    ]

    costs = rows(book["募集経費"])
    assert costs[1] == ("支出日", "内容", "支出先", "金額(円)", "備考")
    assert [row[:4] for row in costs[2:]] == [
        (datetime(2025, 6, 30), "求人広告の掲載", "株式会社求人", 330_000),
        (datetime(2026, 4, 20), "採用説明会の会場費", "株式会社求人", 55_000),
        ("合計", None, None, 385_000),
    ]


def test_workbook_download_matches_every_cell(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    response = client.get("/reports/fiscal.xlsx?year=2025")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "fiscal_measures_2025.xlsx" in response.headers["Content-Disposition"]
    check_workbook(load_workbook(io.BytesIO(response.data)))


def test_cli_writes_the_same_workbook(dataset, runner, tmp_path):
    out = tmp_path / "fiscal.xlsx"
    result = runner.invoke(
        args=["report", "fiscal", "--prefecture", "03", "--year", "2025", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "2 staff, 1 CIO assistants" in result.output
    check_workbook(load_workbook(out))
    bad = runner.invoke(
        args=["report", "fiscal", "--prefecture", "99", "--year", "2025", "--out", str(out)]
    )
    assert bad.exit_code != 0 and "unknown prefecture" in bad.output


def test_previous_year_counts_the_appointment_of_that_year(dataset, factory, login):
    client = login(factory.coordinator(data.IWATE))
    book = load_workbook(io.BytesIO(client.get("/reports/fiscal.xlsx?year=2024").data))
    assert book["CIO補佐官等"]["A1"].value.startswith("令和6年度 (2024)")
    # ended 2025-03-30 15:00 UTC = 2025-03-31 in Japan: the whole year
    assert rows(book["CIO補佐官等"])[2] == (
        "032018",
        "盛岡市",
        "外部 花子",
        datetime(2024, 4, 1),
        datetime(2025, 3, 31),
        30,
        12,
        360,
        200_000,
        2_400_000,
    )


def test_another_prefecture_gets_its_own_workbook(dataset, factory, login):
    client = login(factory.coordinator(data.NAGANO))
    book = load_workbook(io.BytesIO(client.get("/reports/fiscal.xlsx?year=2025").data))
    assert book["常勤デジタル人材"]["A1"].value.startswith("令和7年度 (2025) 長野県")
    assert rows(book["常勤デジタル人材"])[2][0] == "長野 人材"
    assert rows(book["募集経費"])[-1][3] == 777_000
    text = repr([rows(sheet) for sheet in book.worksheets])
    assert "岩手" not in text and "花巻" not in text


def test_text_that_looks_like_a_formula_stays_text(app, factory, login):
    factory.talent(
        data.IWATE, name='=HYPERLINK("x")', kind="staff", employment_start=date(2025, 4, 1)
    )
    client = login(factory.coordinator(data.IWATE))
    book = load_workbook(io.BytesIO(client.get("/reports/fiscal.xlsx?year=2025").data))
    cell = book["常勤デジタル人材"]["A3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("x")', "s", True)


def test_staff_without_an_employment_start_are_listed_to_check_not_counted(dataset, factory, login):
    factory.talent(data.IWATE, name="開始日 なし", kind="staff", external_id="NS-1")
    factory.talent(data.IWATE, name="昔に 退職", kind="staff", employment_end=date(2024, 3, 31))
    client = login(factory.coordinator(data.IWATE))
    book = load_workbook(io.BytesIO(client.get("/reports/fiscal.xlsx?year=2025").data))
    staff = rows(book["常勤デジタル人材"])
    assert [row[0] for row in staff[2:]] == ["岩手 一郎", "岩手 二郎", "合計"]
    assert staff[-1][3:5] == (2, 18)  # heads and months as before: not 12 months more
    assert rows(book["要確認"])[2:] == [
        (
            "常勤デジタル人材",
            "NS-1",
            "開始日 なし",
            "雇用開始日が未入力のため、在職月数に含めていません。",
        )
    ]
    summary = rows(book["概要"])
    assert summary[4][1:3] == ("要確認(雇用開始日が未入力)", 1)
    assert "「要確認」シート" in summary[4][3]


def test_bad_year_is_refused(factory, login):
    client = login(factory.coordinator(data.IWATE))
    assert client.get("/reports/fiscal.xlsx?year=1800").status_code == 400
