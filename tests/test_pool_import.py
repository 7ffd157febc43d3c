"""Importing the pool from CP932 CSV and .xlsx: preview, row errors, commit, re-import, CLI."""

import io
import re
from datetime import date

import openpyxl
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import Talent
from tests.previews import changed_fields, counts, problem_cells, problems

HEADER_JA = [
    "管理番号",
    "氏名",
    "フリガナ",
    "種別",
    "CIO補佐官候補",
    "都道府県コード",
    "スキル",
    "職務経歴",
    "稼働可能時間(月)",
    "勤務形態",
    "メールアドレス",
    "備考",
]
GOOD_ROWS = [
    [
        "IW-001",
        "岩手 一郎",
        "いわて いちろう",
        "外部人材",
        "はい",
        "03",
        "クラウド;standardization",
        "AWSでの基盤構築10年",
        "４０",
        "リモート",
        "ichiro@example.jp",
        "メモ",
    ],
    [
        "IW-002",
        "岩手 二郎",
        "いわて じろう",
        "常勤職員",
        "×",
        "030007",
        "bpr、data",
        "窓口改革",
        "120",
        "現地",
        "",
        "",
    ],
]
BAD_ROWS = [  # row numbers 4.. in the file
    ["IW-003", "", "", "外部人材", "", "03", "", "", "10", "併用", "", ""],
    ["IW-004", "岩手 四郎", "", "派遣", "", "03", "", "", "10", "併用", "", ""],
    [
        "IW-005",
        "岩手 五郎",
        "",
        "企業",
        "たぶん",
        "03",
        "unknown",
        "",
        "-5",
        "どこでも",
        "not-an-email",
        "",
    ],
    ["IW-006", "長野 六郎", "", "外部人材", "", "20", "", "", "10", "併用", "", ""],
    ["IW-001", "重複 太郎", "", "外部人材", "", "03", "", "", "10", "併用", "", ""],
]


def cp932_csv(rows) -> bytes:
    lines = [",".join(HEADER_JA)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, filename: str):
    return client.post(
        "/pool/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="token" value="([^"]+)"', page
    )
    assert match, page
    return match.group(1)


def pool_talent(app, prefecture_code="03") -> dict[str, Talent]:
    with app.app_context():
        rows = db.session.scalars(select(Talent).where(Talent.prefecture.has(code=prefecture_code)))
        return {t.external_id: t for t in rows}


def error_cells(page: str) -> set[tuple[str, str]]:
    return problem_cells(page)


def test_cp932_csv_preview_reports_each_bad_row_and_writes_nothing(app, client, factory, login):
    login(factory.coordinator("03"))
    page = upload(client, cp932_csv(GOOD_ROWS + BAD_ROWS), "人材.csv")
    assert page.status_code == 200
    cells = error_cells(page.text)
    assert ("4", "氏名") in cells
    assert ("5", "種別") in cells
    assert {
        ("6", "CIO補佐官候補"),
        ("6", "スキル"),
        ("6", "稼働可能時間(月)"),
        ("6", "勤務形態"),
        ("6", "メールアドレス"),
    } <= cells
    assert ("7", "都道府県コード") in cells
    assert ("8", "管理番号") in cells
    assert "他の都道府県の行です" in page.text and "が2行目と重複しています" in page.text
    assert "入力が必要です" in page.text and "選択肢にありません" in page.text
    assert "列『備考』は取り込み対象外のため無視しました" in page.text
    assert counts(page.text) == "新規 2 / 更新 0 / 変更なし 0 / エラーのある行 5"
    assert pool_talent(app) == {}  # nothing written by the preview


def test_commit_with_errors_needs_explicit_good_rows_only(app, client, factory, login):
    login(factory.coordinator("03"))
    token = token_of(upload(client, cp932_csv(GOOD_ROWS + BAD_ROWS), "pool.csv").text)
    refused = client.post("/pool/import/commit", data={"token": token})
    assert refused.status_code == 400 and "エラーのある行があるため取り込めません" in refused.text
    assert pool_talent(app) == {}

    done = client.post("/pool/import/commit", data={"token": token, "good_rows_only": "y"})
    assert done.status_code == 302
    talent = pool_talent(app)
    assert set(talent) == {"IW-001", "IW-002"}
    ichiro, jiro = talent["IW-001"], talent["IW-002"]
    assert (
        ichiro.kind,
        ichiro.cio_candidate,
        ichiro.available_hours_per_month,
        ichiro.work_style,
        ichiro.email,
    ) == ("external", True, 40, "remote", "ichiro@example.jp")
    assert "aws" in ichiro.search_text
    assert (jiro.kind, jiro.cio_candidate, jiro.work_style, jiro.email) == (
        "staff",
        False,
        "onsite",
        None,
    )
    with app.app_context():
        skills = {
            t.external_id: sorted(s.code for s in t.skills)
            for t in db.session.scalars(select(Talent))
        }
    assert skills == {"IW-001": ["cloud", "standardization"], "IW-002": ["bpr", "data"]}
    # The kept file is gone: the same token cannot be committed twice.
    again = client.post("/pool/import/commit", data={"token": token, "good_rows_only": "y"})
    assert again.status_code == 303
    assert len(pool_talent(app)) == 2


def test_clean_file_commits_all_and_reimport_updates_without_duplicates(
    app, client, factory, login
):
    login(factory.coordinator("03"))
    token = token_of(upload(client, cp932_csv(GOOD_ROWS), "pool.csv").text)
    assert client.post("/pool/import/commit", data={"token": token}).status_code == 302
    assert len(pool_talent(app)) == 2

    changed = [row[:] for row in GOOD_ROWS]
    changed[0][8] = "80"
    changed[1][1] = "岩手 次郎"
    page = upload(client, cp932_csv(changed), "pool.csv")
    assert counts(page.text) == "新規 0 / 更新 2 / 変更なし 0 / エラーのある行 0"
    # each row shows the fields it changes, old → new
    assert changed_fields(page.text) == ["稼働可能時間(月): 40 → 80", "氏名: 岩手 二郎 → 岩手 次郎"]
    assert (
        client.post("/pool/import/commit", data={"token": token_of(page.text)}).status_code == 302
    )
    talent = pool_talent(app)
    assert len(talent) == 2
    assert talent["IW-001"].available_hours_per_month == 80
    assert talent["IW-002"].name == "岩手 次郎" and "次郎" in talent["IW-002"].search_text


def test_xlsx_with_good_and_bad_rows(app, client, factory, login):
    header = [
        "external_id",
        "name",
        "name_kana",
        "kind",
        "cio_candidate",
        "prefecture_code",
        "skills",
        "experience",
        "available_hours_per_month",
        "work_style",
        "email",
        "employment_start",
    ]
    rows = [
        [
            "X-1",
            "県職員 花子",
            "けんしょくいん はなこ",
            "staff",
            1,
            3,
            "security",
            "SOC運用",
            160,
            "onsite",
            "hanako@example.jp",
            date(2025, 4, 1),
        ],
        [
            "X-2",
            "外部 次郎",
            "がいぶ じろう",
            "external",
            "false",
            "03",
            "ai_rpa;data",
            "",
            20,
            "hybrid",
            "",
            None,
        ],
        ["X-3", "不正 時間", "", "external", "", "03", "", "", "たくさん", "hybrid", "", None],
        ["X-4", "不正 日付", "", "staff", "", "03", "", "", 10, "hybrid", "", "2025-02-30"],
    ]
    login(factory.coordinator("03"))
    page = upload(client, xlsx(header, rows), "pool.xlsx")
    cells = error_cells(page.text)
    assert cells == {("4", "稼働可能時間(月)"), ("5", "雇用開始日")}
    assert pool_talent(app) == {}
    token = token_of(page.text)
    assert (
        client.post("/pool/import/commit", data={"token": token, "good_rows_only": "y"}).status_code
        == 302
    )
    talent = pool_talent(app)
    assert set(talent) == {"X-1", "X-2"}
    assert talent["X-1"].employment_start == date(2025, 4, 1) and talent["X-1"].cio_candidate

    # Re-import of the same rows (fixed) updates and adds.
    rows[2][8], rows[3][11] = 30, date(2025, 10, 1)
    page = upload(client, xlsx(header, rows), "pool.xlsx")
    assert counts(page.text) == "新規 2 / 更新 0 / 変更なし 2 / エラーのある行 0"
    client.post("/pool/import/commit", data={"token": token_of(page.text)})
    assert set(pool_talent(app)) == {"X-1", "X-2", "X-3", "X-4"}


def test_unreadable_file_and_wrong_extension(client, factory, login):
    login(factory.coordinator("03"))
    broken = upload(client, b"not a zip", "pool.xlsx")
    assert broken.status_code == 400  # the file itself is unreadable: a 4xx
    assert "Excel ファイル(.xlsx)として読み込めませんでした" in broken.text
    assert "取り込める行がありません" in broken.text
    wrong = upload(client, b"x", "pool.pdf")
    assert wrong.status_code == 400 and ".xlsx または .csv のファイルを選んでください" in wrong.text


def test_commit_needs_the_uploaders_own_token(app, client, factory, login):
    login(factory.coordinator("03"))
    token = token_of(upload(client, cp932_csv(GOOD_ROWS), "pool.csv").text)
    client.post("/logout")
    login(factory.coordinator("03"))  # a colleague cannot commit someone else's preview
    assert client.post("/pool/import/commit", data={"token": token}).status_code == 303
    assert client.post("/pool/import/commit", data={"token": "../../etc/passwd"}).status_code == 303
    assert pool_talent(app) == {}


def test_only_coordinators_import(client, factory, login):
    login(factory.officer())
    assert client.get("/pool/import").status_code == 403


def test_cli_import_reports_row_errors_and_exits_nonzero(app, runner, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_bytes(cp932_csv(GOOD_ROWS + BAD_ROWS))
    result = runner.invoke(args=["import-talent", str(path), "--prefecture", "03"])
    assert result.exit_code == 1
    assert "4行目『氏名』: 入力が必要です。" in result.output
    assert "7行目『都道府県コード』" in result.output and "nothing imported" in result.output
    assert pool_talent(app) == {}

    path.write_bytes(cp932_csv(GOOD_ROWS))
    dry = runner.invoke(args=["import-talent", str(path), "--prefecture", "3", "--dry-run"])
    assert dry.exit_code == 0 and "2 new" in dry.output and "nothing written" in dry.output
    assert pool_talent(app) == {}
    real = runner.invoke(args=["import-talent", str(path), "--prefecture", "030007"])
    assert real.exit_code == 0, real.output
    again = runner.invoke(args=["import-talent", str(path)])  # rows name their prefecture
    assert again.exit_code == 0 and "2 unchanged" in again.output
    assert set(pool_talent(app)) == {"IW-001", "IW-002"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Talent)) == 2


def test_cli_rejects_a_bad_prefecture_code(runner, tmp_path):
    path = tmp_path / "pool.csv"
    path.write_bytes(cp932_csv(GOOD_ROWS))
    result = runner.invoke(args=["import-talent", str(path), "--prefecture", "99"])
    assert result.exit_code == 2 and "都道府県コード" in result.output


def test_preview_and_its_error_table_in_english(app, client, factory, login):
    login(factory.coordinator("03"))
    client.post("/language", data={"lang": "en", "next": "/"})
    page = upload(client, cp932_csv(GOOD_ROWS + BAD_ROWS), "pool.csv")
    found = problems(page.text)
    columns = {column for _rows, column, _message in found}
    assert {"Name", "Type", "Prefecture code", "Reference number"} <= columns
    assert ("4", "Name", "This field is required.") in found
    japanese = re.compile("[぀-ヿ一-鿿]")
    assert not [c for c in columns if japanese.search(c)]
    assert "<li>New: 2</li>" in page.text and "Rows with errors: 5" in page.text
