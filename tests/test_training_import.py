"""Import of enrolments/completions (preview, row errors, all-or-nothing) and export per year."""

import io
import re
from datetime import date

import openpyxl
from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import DxLeader, Enrollment, StagedUpload
from talentpool.tabular import write_xlsx
from tests.previews import problem_cells

MORIOKA, HANAMAKI, NAGANO = "032018", "032051", "202011"

CLEAN = (
    "団体コード,氏名,所属,研修名,状態,受講開始日,修了日,修了証番号\n"
    "032018,盛岡 一郎,デジタル推進課,DX推進リーダー育成研修,修了,2025/5/1,令和8年3月31日,R7-0001\n"
    "032018,盛岡 二郎,市民課,DX推進リーダー育成研修,受講中,2025/6/1,,\n"
    "32051,花巻 三郎,総務課,ＤＸ推進リーダー育成研修,,2025-06-01,2026-04-01,R8-0002\n"
)
WITH_ERRORS = CLEAN + (
    "202011,長野 四郎,企画課,DX推進リーダー育成研修,修了,2025/5/1,2025/9/1,\n"  # other pref
    "032018,盛岡 五郎,,存在しない研修,受講中,2025/5/1,,\n"
    "032018,盛岡 六郎,,DX推進リーダー育成研修,修了,2025/5/1,,\n"  # completion without date
    "032018,盛岡 七郎,,DX推進リーダー育成研修,受講中,2025/13/1,,\n"  # impossible date
)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _upload(client, content: bytes, name="研修修了者.csv"):
    return client.post(
        "/training/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_clean_cp932_file_previews_then_imports_and_reimport_changes_nothing(
    app, client, factory, login
):
    login(factory.coordinator("03"))
    leaders, records = _count(app, DxLeader), _count(app, Enrollment)
    preview = _upload(client, CLEAN.encode("cp932"))
    assert preview.status_code == 200
    assert "受講記録の追加<strong>3</strong>" in preview.text
    assert "リーダーの新規登録<strong>3</strong>" in preview.text
    assert (_count(app, DxLeader), _count(app, Enrollment)) == (leaders, records)  # preview only
    done = client.post(
        "/training/import/commit", data={"token": _token(preview.text), "mode": "all"}
    )
    assert done.status_code == 302
    with app.app_context():
        first = db.session.scalar(select(DxLeader).where(DxLeader.name == "盛岡 一郎"))
        record = db.session.scalar(select(Enrollment).where(Enrollment.dx_leader_id == first.id))
        assert (record.status, record.completed_on, record.certificate_number) == (
            "completed",
            date(2026, 3, 31),
            "R7-0001",
        )
        third = db.session.scalar(select(DxLeader).where(DxLeader.name == "花巻 三郎"))
        assert third.municipality.lg_code == HANAMAKI  # Excel-dropped leading zero restored
    assert _count(app, Enrollment) == records + 3
    with app.app_context():  # the stored upload is gone after commit
        assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0
    # the file counts for the right fiscal years: 3/31 → 令和7年度, 4/1 → 令和8年度
    assert "修了者数(合計)<strong>1</strong>" in client.get("/training/?year=2025").text
    assert "修了者数(合計)<strong>1</strong>" in client.get("/training/?year=2026").text
    assert "修了者数(合計)<strong>0</strong>" in client.get("/training/?year=2024").text
    again = _upload(client, CLEAN.encode("utf-8-sig"))
    assert "変更なし<strong>3</strong>" in again.text
    assert "受講記録の追加<strong>0</strong>" in again.text


def test_file_with_row_errors_is_all_or_nothing_unless_good_rows_only(app, client, factory, login):
    login(factory.coordinator("03"))
    records = _count(app, Enrollment)
    preview = _upload(client, WITH_ERRORS.encode("utf-8"))
    assert preview.status_code == 200
    text = preview.text
    assert {("5", "団体コード"), ("6", "研修名"), ("7", "修了日"), ("8", "受講開始日")} == (
        problem_cells(text)
    )
    assert "202011" in text and "存在しない研修" in text and "存在しない日付" in text
    assert "エラーのない行だけを取り込む" in text
    token = _token(text)
    refused = client.post("/training/import/commit", data={"token": token, "mode": "all"})
    assert refused.status_code == 400 and "何も取り込みませんでした" in refused.text
    assert _count(app, Enrollment) == records
    partial = client.post("/training/import/commit", data={"token": token, "mode": "good_rows"})
    assert partial.status_code == 302
    assert _count(app, Enrollment) == records + 3
    with app.app_context():
        assert db.session.scalar(select(DxLeader).where(DxLeader.name == "長野 四郎")) is None
        assert db.session.scalar(select(DxLeader).where(DxLeader.name == "盛岡 五郎")) is None


def test_officer_imports_own_municipality_only(app, client, factory, login):
    login(factory.officer(MORIOKA))
    content = ("氏名,研修名,修了日\n盛岡 八郎,DX推進リーダー育成研修,2025/10/1\n").encode()
    preview = _upload(client, content)
    assert preview.status_code == 200 and "受講記録の追加<strong>1</strong>" in preview.text
    other = _upload(client, CLEAN.encode())
    assert ("4", "団体コード") in problem_cells(other.text)  # 花巻市 is not the officer's
    assert (
        client.post(
            "/training/import/commit", data={"token": _token(preview.text), "mode": "all"}
        ).status_code
        == 302
    )
    with app.app_context():
        leader = db.session.scalar(select(DxLeader).where(DxLeader.name == "盛岡 八郎"))
        assert leader.municipality.lg_code == MORIOKA


def test_unreadable_files_and_foreign_tokens(app, client, factory, login):
    coordinator = factory.coordinator("03")
    login(coordinator)
    broken = _upload(client, b"PK\x03\x04 not really", name="list.xlsx")
    assert broken.status_code == 400 and "Excel ファイル" in broken.text
    missing = _upload(client, "氏名,所属\n盛岡 一郎,課\n".encode())
    assert missing.status_code == 400 and "必須の列がありません" in missing.text
    wrong_type = _upload(client, b"hello", name="list.pdf")
    assert wrong_type.status_code == 400
    token = _token(_upload(client, CLEAN.encode()).text)
    client.post("/logout")
    login(factory.coordinator("03"))  # another user of the same prefecture
    stolen = client.post(
        "/training/import/commit", data={"token": token, "mode": "all"}, follow_redirects=True
    )
    assert "ファイルが見つかりません" in stolen.text
    assert (
        client.post(
            "/training/import/commit", data={"token": "../../etc/passwd", "mode": "all"}
        ).status_code
        == 303
    )


def test_xlsx_import_and_export_round_trip(app, client, factory, login):
    login(factory.coordinator("03"))
    sheet = write_xlsx(
        ["団体コード", "氏名", "研修名", "受講開始日", "修了日", "修了証番号"],
        [
            [
                "032018",
                "盛岡 一郎",
                "DX推進リーダー育成研修",
                date(2025, 5, 1),
                date(2026, 3, 31),
                "=R7-1",
            ],
            ["032051", "花巻 二郎", "DX推進リーダー育成研修", date(2026, 4, 1), None, None],
        ],
    )
    preview = _upload(client, sheet, name="修了者.xlsx")
    assert preview.status_code == 200, preview.text
    client.post("/training/import/commit", data={"token": _token(preview.text), "mode": "all"})

    exported = client.get("/training/export?year=2025&format=xlsx")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].endswith('training_2025.xlsx"')
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.data)).active.values)
    assert rows[0][:4] == ("年度", "団体コード", "市町村名", "氏名")
    assert [(r[3], r[7]) for r in rows[1:]] == [("盛岡 一郎", "修了")]  # FY2026 row left out
    # a formula-like certificate number is a text cell that no spreadsheet evaluates
    book = openpyxl.load_workbook(io.BytesIO(exported.data))
    cell = book.active.cell(2, 11)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=R7-1", "s", True)
    csv = client.get("/training/export?year=2026&format=csv")
    assert csv.data.startswith(b"\xef\xbb\xbf") and "花巻 二郎" in csv.data.decode("utf-8-sig")
    assert client.get("/training/export?year=2025&format=pdf").status_code == 400
    # an exported file imports again without changing anything
    again = _upload(client, exported.data, name="export.xlsx")
    assert "変更なし<strong>1</strong>" in again.text
    assert "エラーのある行<strong>0</strong>" in again.text


def test_export_is_scoped(app, client, factory, login):
    factory.enrollment(
        factory.program(),
        leader=factory.dx_leader(HANAMAKI, name="花巻 秘密"),
        completed_on=date(2025, 7, 1),
    )
    factory.enrollment(
        factory.program(),
        leader=factory.dx_leader(NAGANO, name="長野 秘密"),
        completed_on=date(2025, 7, 1),
    )
    login(factory.officer(MORIOKA))
    body = client.get("/training/export?year=2025&format=csv").data.decode("utf-8-sig")
    assert "花巻 秘密" not in body and "長野 秘密" not in body
    client.post("/logout")
    login(factory.coordinator("03"))
    body = client.get("/training/export?year=2025&format=csv").data.decode("utf-8-sig")
    assert "花巻 秘密" in body and "長野 秘密" not in body


def test_cli_import_training(app, runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(WITH_ERRORS.encode("cp932"))
    result = runner.invoke(args=["import-training", str(bad), "--prefecture", "03"])
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert _count(app, Enrollment) == 0
    good = tmp_path / "good.csv"
    good.write_bytes(CLEAN.encode("utf-8"))
    dry = runner.invoke(args=["import-training", str(good), "--prefecture", "3", "--dry-run"])
    assert dry.exit_code == 0 and "3 created" in dry.output and "dry run" in dry.output
    assert _count(app, Enrollment) == 0
    real = runner.invoke(args=["import-training", str(good), "--prefecture", "03"])
    assert real.exit_code == 0 and "imported" in real.output
    assert _count(app, Enrollment) == 3
    partial = runner.invoke(
        args=["import-training", str(bad), "--prefecture", "03", "--good-rows-only"]
    )
    assert partial.exit_code == 0 and "3 unchanged" in partial.output


def test_inactive_leader_gets_past_completions_but_no_new_enrolment(app, factory):
    from talentpool.services.imports import ImportMode
    from talentpool.services.training.files import Scope, import_file

    factory.dx_leader(MORIOKA, name="退任 花子", active=False)
    content = (
        "団体コード,氏名,研修名,状態,受講開始日,修了日\n"
        "032018,退任 花子,DX推進リーダー育成研修,修了,2025/5/1,2025/9/1\n"
        "032018,退任 花子,DX推進リーダー育成研修,受講中,2026/5/1,\n"
    ).encode()
    with app.test_request_context():
        report = import_file(
            content,
            "list.csv",
            Scope(factory.prefecture("03").id),
            mode=ImportMode.valid_rows_only,
        )
        assert report.created == 1
        assert [(e.row, e.column_label) for e in report.errors] == [(3, "研修名")]
        leader = db.session.scalar(select(DxLeader).where(DxLeader.name == "退任 花子"))
        assert not leader.active
        db.session.rollback()
