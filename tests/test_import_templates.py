"""Each import page's template: the headers, drop-down lists for coded columns, a sheet of the
valid codes — and a row filled from those lists imports without an error."""

import io

import pytest
from openpyxl import load_workbook

from tests.previews import counts


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def _book(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data))


def _lists(sheet) -> dict[str, str]:
    """Header → the range its drop-down offers."""
    header = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            for cell_range in validation.sqref.ranges:
                found[header[cell_range.coord.split(":")[0].rstrip("0123456789")]] = (
                    validation.formula1
                )
    return found


def _first_choice(book, formula: str) -> str:
    sheet_name, cells = formula.rsplit("!", 1)
    first = cells.split(":")[0].replace("$", "")
    return book[sheet_name.strip("'")][first].value


def test_pool_template_has_lists_and_codes_and_a_filled_row_imports(client, factory, login):
    login(factory.coordinator("03"))
    book = _book(client.get("/pool/import/template.xlsx"))
    assert book.sheetnames == ["人材プール", "コード一覧"]
    sheet = book["人材プール"]
    header = [cell.value for cell in sheet[1]]
    assert header[:6] == ["管理番号", "氏名", "ふりがな", "種別", "CIO補佐官候補", "都道府県コード"]
    lists = _lists(sheet)
    assert {"種別", "勤務形態", "スキル", "スキル標準の役割", "CIO補佐官候補", "有効"} <= set(lists)
    codes = [row for row in book["コード一覧"].iter_rows(values_only=True)]
    assert ("外部人材", "external") in [tuple(r[:2]) for r in codes]
    strict = {v.formula1: v.showErrorMessage for v in sheet.data_validations.dataValidation}
    assert strict[lists["種別"]] and not strict[lists["スキル"]]  # skills: several allowed

    row = {name: None for name in header}
    row.update(
        {
            "管理番号": "TPL-1",
            "氏名": "ひな形 一郎",
            "種別": _first_choice(book, lists["種別"]),
            "勤務形態": _first_choice(book, lists["勤務形態"]),
            "スキル": _first_choice(book, lists["スキル"]),
            "CIO補佐官候補": _first_choice(book, lists["CIO補佐官候補"]),
            "対応地域(市町村コード)": _first_choice(book, lists["対応地域(市町村コード)"]),
        }
    )
    sheet.append([row[name] for name in header])
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.post(
        "/pool/import",
        data={"file": (io.BytesIO(buffer.getvalue()), "filled.xlsx")},
        content_type="multipart/form-data",
    )
    assert counts(page.text) == "新規 1 / 更新 0 / 変更なし 0 / エラーのある行 0"


def test_requests_template_imports_a_row_chosen_from_its_lists(client, factory, login):
    login(factory.officer("032018"))
    book = _book(client.get("/requests/import/template.xlsx"))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    lists = _lists(sheet)
    assert _first_choice(book, lists["団体コード"]) == "032018"  # the officer's own only
    values = {"管理番号": "TPL-R", "件名": "ひな形の依頼", "月間時間": 10}
    values["団体コード"] = _first_choice(book, lists["団体コード"])
    values["スキル"] = _first_choice(book, lists["スキル"])
    values["現地対応必須"] = _first_choice(book, lists["現地対応必須"])
    sheet.append([values.get(name) for name in header])
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.post(
        "/requests/import",
        data={"file": (io.BytesIO(buffer.getvalue()), "filled.xlsx")},
        content_type="multipart/form-data",
    )
    assert counts(page.text) == "新規 1 / 更新 0 / 変更なし 0 / エラーのある行 0"


@pytest.mark.parametrize(
    "role, url, listed",
    [
        ("admin", "/national/import/template.xlsx", "種別"),
        ("coordinator", "/training/import/template.xlsx", "研修名"),
        ("coordinator", "/training/targets/template.xlsx", "団体コード"),
    ],
)
def test_other_templates_offer_their_lists(client, factory, login, role, url, listed):
    login(factory.admin() if role == "admin" else factory.coordinator("03"))
    book = _book(client.get(url))
    assert "コード一覧" in book.sheetnames
    assert listed in _lists(book.worksheets[0])
