"""Import (preview, commit, row errors, scope, CLI) and export of support requests."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from talentpool import create_app
from talentpool.config import overrides_for_tests
from talentpool.extensions import db
from talentpool.models import Prefecture, Role, StagedUpload, SupportRequest
from talentpool.services.accounts.users import create_user
from talentpool.services.reference import seed_reference
from talentpool.tabular import read_table
from tests.previews import changed_fields, problem_cells, problems

CANONICAL = (
    "external_id,municipality_code,title,description,skills,hours_per_month,"
    "headcount,onsite_required,wants_cio,start_date,end_date"
)
JAPANESE = (
    "管理番号,団体コード,件名,依頼内容,重点取組,月間時間,人数,現地対応必須,CIO補佐官希望,"
    "開始日,終了日"
)


def _staged(app) -> int:
    """How many uploads wait between preview and commit."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StagedUpload))


def _csv(*lines: str, header: str = CANONICAL, encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def _upload(client, data: bytes, name: str = "requests.csv", **extra):
    return client.post(
        "/requests/import",
        data={"file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def _token(html: str) -> str:
    return html.split('name="token" type="hidden" value="')[1].split('"')[0]


def _requests(app, **where):
    with app.app_context():
        query = (
            select(SupportRequest)
            .order_by(SupportRequest.external_id)
            .options(selectinload(SupportRequest.municipality), selectinload(SupportRequest.skills))
        )
        for key, value in where.items():
            query = query.where(getattr(SupportRequest, key) == value)
        return db.session.scalars(query).all()


def test_preview_then_commit_a_cp932_file_with_japanese_headers(app, client, factory, login):
    login(factory.coordinator("03"))
    data = _csv(
        'IW-1,32018,窓口改革,"住民の手続を\n見直したい",自治体フロントヤード改革（書かない窓口・オンライン申請）;frontyard;業務改革(BPR),'
        "２０,1,はい,×,令和8年4月1日,2027/3/31",
        "IW-2,032051,ＲＰＡ導入,,ai_rpa,10,,,,,",
        header=JAPANESE,
        encoding="cp932",
    )
    preview = _upload(client, data)
    assert preview.status_code == 200, preview.text
    assert "新規: 2件" in preview.text and "エラーのある行: 0行" in preview.text
    assert _requests(app, prefecture_id=factory.prefecture("03").id) == []  # nothing yet
    assert _staged(app) == 1  # the bytes wait on the server

    done = client.post(
        "/requests/import/commit", data={"token": _token(preview.text), "commit_all": "1"}
    )
    assert done.status_code == 302
    assert "新規 2件" in client.get("/requests/").text
    assert _staged(app) == 0
    first, second = _requests(app)
    assert (first.external_id, first.title) == ("IW-1", "窓口改革")
    assert first.municipality.lg_code == "032018"
    assert first.description == "住民の手続を\n見直したい"
    assert [t.code for t in first.skills] == ["frontyard", "bpr"]
    assert (first.hours_per_month, first.onsite_required, first.wants_cio) == (20, True, False)
    assert (first.start_date, first.end_date) == (date(2026, 4, 1), date(2027, 3, 31))
    assert first.state == "draft" and first.search_text == "窓口改革 住民の手続を 見直したい"
    assert (second.title, second.headcount, second.municipality.lg_code) == ("RPA導入", 1, "032051")


def test_row_errors_all_or_nothing_or_only_the_good_rows(app, client, factory, login):
    login(factory.coordinator("03"))
    data = _csv(
        "G-1,032018,正しい行,,frontyard,10,1,,,,",
        "G-2,032019,検査数字違い,,frontyard,10,1,,,,",
        "G-3,202011,長野の市,,frontyard,10,1,,,,",
        "G-4,032018,日付逆転,,frontyard,10,1,,,2026-05-01,2026-04-01",
        "G-5,032018,時間ゼロ,,frontyard,0,1,,,,",
        "G-1,032018,重複,,frontyard,10,1,,,,",
        "G-7,032018,不明なスキル,,cobol,10,1,,,,",
    )
    preview = _upload(client, data)
    text = preview.text
    assert preview.status_code == 200
    found = problems(text)
    assert (
        "3",
        "団体コード",
        "全国地方公共団体コード『032019』の検査数字が正しくありません。",
    ) in found
    assert (
        "4",
        "団体コード",
        "団体コード『202011』の市町村の依頼は取り込めません(担当範囲外)。",
    ) in found
    assert ("5", "終了日", "終了日は開始日以降の日付にしてください。") in found
    assert {("6", "月間時間"), ("7", "管理番号"), ("8", "スキル")} <= problem_cells(text)
    unknown = next(message for rows, _, message in found if rows == "8")
    assert unknown.startswith("登録されていない項目があります: cobol。使えるコード")
    assert "frontyard, standardization" in unknown  # the valid codes are listed
    assert "すべて取り込む" not in text and "エラーのない行だけ取り込む" in text
    token = _token(text)

    refused = client.post("/requests/import/commit", data={"token": token, "commit_all": "1"})
    assert refused.status_code == 400 and "何も取り込みませんでした" in refused.text
    assert _requests(app) == []
    kept = client.post("/requests/import/commit", data={"token": token, "commit_valid": "1"})
    assert kept.status_code == 302
    assert [r.external_id for r in _requests(app)] == ["G-1"]


def test_upsert_on_external_id_respects_the_state_rules(app, client, factory, login):
    factory.request(
        "032018",
        external_id="U-1",
        title="募集中の依頼",
        state="open",
        skills=("bpr",),
        hours_per_month=20,
        description="",
    )
    factory.request(
        "032018",
        external_id="U-2",
        title="充足した依頼",
        state="filled",
        skills=("bpr",),
        hours_per_month=20,
        description="",
    )
    login(factory.coordinator("03"))
    same_filled = "U-2,032018,充足した依頼,,bpr,20,1,FALSE,FALSE,,"
    preview = _upload(client, _csv("U-1,032018,募集中の依頼,補足説明,bpr,30,1,,,,", same_filled))
    assert "更新: 1件" in preview.text and "変更なし: 1件" in preview.text
    assert changed_fields(preview.text) == ["依頼内容: — → 補足説明", "月間時間: 20 → 30"]
    client.post("/requests/import/commit", data={"token": _token(preview.text), "commit_all": "1"})
    updated = _requests(app, external_id="U-1")[0]
    assert (updated.description, updated.hours_per_month) == ("補足説明", 30)
    assert "補足説明" in updated.search_text

    locked = _upload(
        client, _csv("U-1,032018,件名を変更,,bpr,30,1,,,,", "U-2,032018,充足した依頼,,bpr,40,1,,,,")
    )
    assert problems(locked.text) == [
        ("2", "件名", "『募集中』の依頼では件名を変更できません。"),
        ("3", "月間時間", "『充足』の依頼では月間時間を変更できません。"),
    ]


def test_officer_imports_only_for_own_municipality(app, client, factory, login):
    factory.request("032051", external_id="H-1", title="花巻の依頼")
    login(factory.officer("032018"))
    preview = _upload(
        client,
        _csv(
            "M-1,032018,盛岡の依頼,,bpr,10,1,,,,",
            "M-2,032051,花巻への依頼,,bpr,10,1,,,,",
            "H-1,032018,乗っ取り,,bpr,10,1,,,,",
        ),
    )
    assert "新規: 1件" in preview.text
    assert problems(preview.text) == [
        ("3", "団体コード", "団体コード『032051』の市町村の依頼は取り込めません(担当範囲外)。"),
        ("4", "管理番号", "管理番号『H-1』は担当範囲外の市町村の依頼で使われています。"),
    ]
    assert _requests(app, external_id="H-1")[0].title == "花巻の依頼"


def test_publish_option_opens_new_requests_and_needs_a_focus_area_and_a_contact(
    app, client, factory, login
):
    login(factory.coordinator("03"))
    preview = _upload(
        client,
        _csv(
            "P-1,032018,公開する依頼,,frontyard,10,1,,,,,窓口課 田中,tanaka@example.lg.jp",
            "P-2,032018,重点取組なし,,cloud,10,1,,,,,窓口課 田中,tanaka@example.lg.jp",
            "P-3,032018,連絡先なし,,frontyard,10,1,,,,,,",
            header=CANONICAL + ",contact_name,contact_email",
        ),
        publish="y",
    )
    found = problems(preview.text)
    assert ("3", "スキル", "公開するには重点取組を1つ以上選んでください。") in found
    contact = "公開するには担当者の連絡先が必要です"
    assert any(row == "4" and contact in text for row, _c, text in found)
    client.post(
        "/requests/import/commit",
        data={"token": _token(preview.text), "commit_valid": "1", "publish": ""},
    )
    assert [(r.external_id, r.state) for r in _requests(app)] == [("P-1", "open")]


def test_the_upload_is_kept_server_side_and_bound_to_its_uploader(app, client, factory, login):
    login(factory.coordinator("03"))
    preview = _upload(client, _csv("T-1,032018,依頼,,bpr,10,1,,,,"))
    token = _token(preview.text)
    for bad in ("x" * 32, "../../../../etc/passwd", ""):
        response = client.post(
            "/requests/import/commit", data={"token": bad, "commit_all": "1"}, follow_redirects=True
        )
        assert response.history[0].status_code == 303 and "見つかりません" in response.text
    client.post("/logout")
    login(factory.coordinator("03"))  # a colleague of the same prefecture
    response = client.post("/requests/import/commit", data={"token": token, "commit_all": "1"})
    assert response.status_code == 303  # to the upload page: the file is not this user's
    assert _requests(app) == []


@pytest.mark.parametrize(
    "data, name, message",
    [
        (
            b"PK\x03\x04 not really a zip",
            "requests.xlsx",
            "Excel ファイル(.xlsx)として読み込めませんでした",
        ),
        (
            "件名,月間時間\r\n依頼,10\r\n".encode(),
            "requests.csv",
            "必須の列がありません: 管理番号、団体コード",
        ),
        (b"", "requests.csv", "ファイルが空"),
    ],
)
def test_unreadable_files_get_a_message(client, factory, login, data, name, message):
    login(factory.coordinator("03"))
    response = _upload(client, data, name)
    assert response.status_code in (200, 400) and message in response.text
    assert "すべて取り込む" not in response.text


def test_wrong_file_type_is_refused_by_the_form(client, factory, login):
    login(factory.coordinator("03"))
    response = _upload(client, b"%PDF-1.4", "requests.pdf")
    assert response.status_code == 400 and ".xlsx または .csv" in response.text


EXPORT_JA = (
    "管理番号,団体コード,件名,依頼内容,スキル,月間時間,人数,現地対応必須,CIO補佐官希望,"
    "開始日,終了日"
)


def test_export_is_japanese_bom_csv_formula_safe_with_a_codes_variant(client, factory, login):
    factory.request(
        "032018",
        external_id="F-1",
        title='=HYPERLINK("http://x")',
        description="-箇条書き\n+追記",
        skills=("frontyard", "cloud"),
        start_date=date(2026, 4, 1),
    )
    login(factory.coordinator("03"))
    response = client.get("/requests/export.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf" + EXPORT_JA.encode() + b"\r\n")
    body = response.data.decode("utf-8-sig")
    assert (
        'F-1,032018,"\'=HYPERLINK(""http://x"")","\'-箇条書き\n+追記",'
        "自治体フロントヤード改革(書かない窓口・オンライン申請);クラウド,20,1,いいえ,いいえ,"
        "2026-04-01,\r\n"
    ) in body
    coded = client.get("/requests/export.csv?codes=1").data
    assert coded.startswith(b"\xef\xbb\xbf" + CANONICAL.encode() + b"\r\n")
    assert b"frontyard;cloud,20,1,FALSE,FALSE,2026-04-01" in coded
    xlsx = client.get("/requests/export.xlsx")
    table = read_table(xlsx.data, "requests.xlsx")
    assert tuple(table.header) == tuple(EXPORT_JA.split(","))
    # in .xlsx the formula-like title is a text cell: it reads back exactly as written
    assert table.rows[0][:3] == ["F-1", "032018", '=HYPERLINK("http://x")']
    template = read_table(client.get("/requests/import/template.xlsx").data, "t.xlsx")
    assert tuple(template.header) == tuple(EXPORT_JA.split(",")) and template.rows == []


def test_cli_import_dry_run_errors_and_exit_codes(app, runner, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv("C-1,032018,CLIの依頼,,bpr,10,1,,,,"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("C-2,032018,正しい行,,bpr,10,1,,,,", "C-3,012345,誤り,,bpr,10,1,,,,"))

    dry = runner.invoke(args=["import-requests", str(good), "--prefecture", "03", "--dry-run"])
    assert dry.exit_code == 0 and "would import: 1 new" in dry.output
    assert _requests(app) == []
    failed = runner.invoke(args=["import-requests", str(bad), "--prefecture", "03"])
    assert failed.exit_code == 1
    assert "3行目『団体コード』" in failed.output and "imported nothing" in failed.output
    assert _requests(app) == []
    ok = runner.invoke(args=["import-requests", str(good), "--prefecture", "3"])
    assert ok.exit_code == 0 and "imported: 1 new" in ok.output
    assert [r.state for r in _requests(app)] == ["draft"]
    again = runner.invoke(args=["import-requests", str(good), "--prefecture", "03"])
    assert "0 new, 0 updated, 1 unchanged" in again.output
    other = runner.invoke(args=["import-requests", str(good), "--prefecture", "20"])
    assert other.exit_code == 1 and "担当範囲外" in other.output
    unknown = runner.invoke(args=["import-requests", str(good), "--prefecture", "99"])
    assert unknown.exit_code != 0 and "99" in unknown.output


@pytest.fixture
def empty_app(tmp_path):
    """A second app on an empty database (reference data only) with one coordinator."""
    fresh = create_app(overrides_for_tests(f"sqlite:///{tmp_path / 'empty.db'}"))
    with fresh.app_context():
        db.create_all()
        seed_reference()
        iwate = db.session.scalar(select(Prefecture.id).where(Prefecture.code == "03"))
        create_user(
            email="coord@example.jp",
            name="岩手 担当",
            role=Role.coordinator,
            password="correct-horse-battery",
            prefecture_id=iwate,
        )
        db.session.commit()
    yield fresh
    with fresh.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_export_import_into_an_empty_database_export(
    app, client, runner, factory, login, empty_app, tmp_path, fmt
):
    assert runner.invoke(args=["seed-demo", "--password", "demo-pass-12345"]).exit_code == 0
    factory.request(
        "032018",
        external_id="RT-1",
        title="=危険な件名",
        description="-一行目\n\n  二行目  の空白\n+三行目",
        skills=("frontyard", "cloud"),
        hours_per_month=12,
        headcount=3,
        onsite_required=True,
        wants_cio=True,
        start_date=date(2026, 4, 1),
        end_date=None,
    )
    login(factory.coordinator("03"))
    exported = client.get(f"/requests/export.{fmt}?sort=title")
    assert exported.status_code == 200
    source = tmp_path / f"export.{fmt}"
    source.write_bytes(exported.data)
    rows = read_table(exported.data, source.name).rows
    assert len(rows) >= 15  # the demo's Iwate requests and ours

    imported = empty_app.test_cli_runner().invoke(
        args=["import-requests", str(source), "--prefecture", "03"]
    )
    assert imported.exit_code == 0, imported.output
    assert f"imported: {len(rows)} new" in imported.output

    fresh_client = empty_app.test_client()
    fresh_client.post(
        "/login", data={"email": "coord@example.jp", "password": "correct-horse-battery"}
    )
    again = fresh_client.get(f"/requests/export.{fmt}?sort=title")
    assert again.status_code == 200
    assert read_table(again.data, source.name).rows == rows
    if fmt == "csv":
        assert again.data == exported.data  # byte for byte


def test_stale_uploads_expire(app, factory):
    from talentpool import uploads

    owner = factory.coordinator("03").id
    with app.test_request_context():
        token = uploads.stage(b"data", "a.csv", owner_id=owner, scope="requests").token
        assert uploads.load(token, owner_id=owner, scope="requests").data == b"data"
        assert uploads.load(token, owner_id=owner, scope="talent") is None
        assert uploads.load(token, owner_id=owner + 1, scope="requests") is None
        staged = db.session.get(StagedUpload, token)
        staged.created_at -= uploads.MAX_AGE + timedelta(seconds=1)
        db.session.commit()
        assert uploads.load(token, owner_id=owner, scope="requests") is None
        uploads.stage(b"other", "b.csv", owner_id=owner, scope="requests")  # sweeps
        assert db.session.get(StagedUpload, token) is None


def test_empty_optional_cells_do_not_count_as_changes(app, client, factory, login):
    factory.request(
        "032018",
        external_id="E-1",
        title="充足",
        state="filled",
        description="",
        skills=("bpr",),
        hours_per_month=20,
        contact_name="",
        contact_phone=None,
        contact_email=None,
        funding=None,
    )
    login(factory.coordinator("03"))
    header = CANONICAL + ",財源,担当者名,担当者メールアドレス,担当者電話番号"
    preview = _upload(client, _csv("E-1,032018,充足,,bpr,20,1,,,,,,,,", header=header))
    assert "変更なし: 1件" in preview.text and "エラーのある行: 0行" in preview.text
