"""The pool list (search, filters, export), profiles, privacy and the talent's own page."""

import io
import re

import openpyxl
from sqlalchemy import event, select

from talentpool.extensions import db
from talentpool.models import Enrollment, Talent, TrainingProgram
from talentpool.tabular import read_table
from tests.previews import counts
from tests.test_ui import EXTERNAL


def names(page: str) -> set[str]:
    return set(re.findall(r'<a href="/pool/\d+">([^<]+)</a>', page))


def complete_admin_training(app, talent: Talent) -> None:
    with app.app_context():
        program = db.session.scalar(
            select(TrainingProgram).where(TrainingProgram.audience == "talent")
        )
        db.session.add(Enrollment(program_id=program.id, talent_id=talent.id, status="completed"))
        db.session.commit()


def test_fullwidth_search_finds_ascii_and_kana(client, factory, login):
    factory.talent(name="クラウド 太郎", experience="AWS と Azure の移行を支援")
    factory.talent(name="窓口 花子", name_kana="まどぐち はなこ", experience="書かない窓口")
    factory.talent("20", name="長野 AWS", experience="AWS")  # another prefecture: never listed
    login(factory.coordinator("03"))
    assert names(client.get("/pool/?q=ＡＷＳ").text) == {"クラウド 太郎"}
    assert names(client.get("/pool/?q=aws").text) == {"クラウド 太郎"}
    assert names(client.get("/pool/?q=まどぐち").text) == {"窓口 花子"}
    assert names(client.get("/pool/?q=100%25").text) == set()  # LIKE wildcards are literal


def test_filters_combine(app, client, factory, login):
    match = factory.talent(
        name="全部一致",
        skills=("cloud", "security"),
        kind="staff",
        cio_candidate=True,
        work_style="onsite",
        available_hours_per_month=80,
    )
    factory.talent(
        name="スキル不足",
        skills=("cloud",),
        kind="staff",
        cio_candidate=True,
        work_style="onsite",
        available_hours_per_month=80,
    )
    factory.talent(
        name="時間不足",
        skills=("cloud", "security"),
        kind="staff",
        cio_candidate=True,
        work_style="onsite",
        available_hours_per_month=10,
    )
    factory.talent(
        name="種別違い",
        skills=("cloud", "security"),
        kind="external",
        cio_candidate=True,
        work_style="onsite",
        available_hours_per_month=80,
    )
    factory.talent(
        name="無効",
        skills=("cloud", "security"),
        kind="staff",
        cio_candidate=True,
        work_style="onsite",
        available_hours_per_month=80,
        active=False,
    )
    complete_admin_training(app, match)
    login(factory.coordinator("03"))
    query = "/pool/?skills=cloud&skills=security&kind=staff&cio=yes&work_style=onsite&min_hours=40"
    assert names(client.get(query).text) == {"全部一致"}
    assert names(client.get(query + "&active=all").text) == {"全部一致", "無効"}
    assert names(client.get(query + "&active=all&training=yes").text) == {"全部一致"}
    assert names(client.get(query + "&active=all&training=no").text) == {"無効"}
    assert names(client.get("/pool/?active=inactive").text) == {"無効"}
    assert names(client.get("/pool/?work_style=remote").text) == set()


def test_invalid_filter_is_a_400_with_a_message(client, factory, login):
    login(factory.coordinator("03"))
    response = client.get("/pool/?min_hours=abc&kind=boss")
    assert response.status_code == 400 and "検索条件を確認してください" in response.text
    assert client.get("/pool/export.csv?kind=boss").status_code == 400


def test_sort_and_pagination(app, client, factory, login):
    for i in range(30):
        factory.talent(
            name=f"人材{i:02d}", name_kana=f"じんざい{i:02d}", available_hours_per_month=i
        )
    login(factory.coordinator("03"))
    first = client.get("/pool/")
    assert "30件中 1–25件を表示" in first.text
    assert "じんざい00" in first.text and "じんざい29" not in first.text
    second = client.get("/pool/?page=2")
    assert "じんざい29" in second.text and "30件中 26–30件を表示" in second.text
    by_hours = client.get("/pool/?sort=hours").text
    assert by_hours.index("人材29") < by_hours.index("人材28")
    assert client.get("/pool/?page=99").status_code == 200


def _statements(app, client, url: str) -> int:
    with app.app_context():
        target = db.engine
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    event.listen(target, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(target, "before_cursor_execute", counter)
    return count


def test_list_queries_do_not_grow_with_the_rows(app, client, factory, login):
    login(factory.coordinator("03"))
    url = "/pool/?skills=cloud&min_hours=1&active=all"
    for _ in range(2):
        factory.talent(skills=("cloud", "data"))
    few = _statements(app, client, url)
    for _ in range(20):
        talent = factory.talent(skills=("cloud", "security"))
    complete_admin_training(app, talent)
    many = _statements(app, client, url)
    # user, the calendar's look for ended requests, list, count, skills, training,
    # invitations, …, and the header's unread-notification count
    assert many == few and many <= 11


def test_export_is_the_filtered_list_and_reimports_cleanly(app, client, factory, login):
    factory.talent(name='=HYPERLINK("x")', skills=("cloud",), kind="staff", email="a@example.jp")
    factory.talent(name="対象外", kind="company")
    login(factory.coordinator("03"))
    csv = client.get("/pool/export.csv?kind=staff")
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in csv.headers["Content-Disposition"]
    text = csv.data.decode("utf-8-sig")
    assert text.startswith(
        "管理番号,氏名,ふりがな,種別,CIO補佐官候補,都道府県コード,スキル,"
        "職務経歴,稼働可能時間(月),勤務形態,メールアドレス"
    )
    assert ",常勤職員(都道府県が雇用),いいえ,03,クラウド," in text
    assert "'=HYPERLINK" in text and "対象外" not in text
    xlsx = client.get("/pool/export.xlsx?kind=staff")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 2 and sheet["B2"].value == '=HYPERLINK("x")'
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix  # text, never evaluated
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}2"
    assert sheet.freeze_panes == "A2"

    for data, filename in ((csv.data, "export.csv"), (xlsx.data, "export.xlsx")):
        table = read_table(data, filename)
        assert len(table.rows) == 1
        page = client.post(
            "/pool/import",
            data={"file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data",
        )
        assert counts(page.text) == "新規 0 / 更新 0 / 変更なし 1 / エラーのある行 0"
        assert "取り込む必要はありません" in page.text


def test_profile_detail_and_contact_privacy(app, client, factory, login):
    talent = factory.talent("03", email="secret@example.jp", phone="090-1111-2222")
    _user, other_talent = factory.talent_user("03")
    login(factory.coordinator("03"))
    page = client.get(f"/pool/{talent.id}")
    assert page.status_code == 200
    assert "secret@example.jp" in page.text and "090-1111-2222" in page.text
    assert "ログインに招待する" in page.text and "研修の記録はありません" in page.text
    client.post("/logout")

    login(factory.coordinator("20"))
    assert client.get(f"/pool/{talent.id}").status_code == 404
    assert "secret@example.jp" not in client.get("/pool/?active=all").text
    client.post("/logout")
    login(factory.officer("032018"))
    assert client.get(f"/pool/{talent.id}").status_code == 403
    client.post("/logout")
    login(factory.admin())
    assert client.get(f"/pool/{talent.id}").status_code == 403
    client.post("/logout")
    login(_user)  # another talent
    response = client.get(f"/pool/{talent.id}")
    assert response.status_code == 404 and "secret@example.jp" not in response.text
    assert client.get("/pool/").status_code == 403
    assert client.get("/pool/export.csv").status_code == 403
    assert "secret@example.jp" not in client.get("/pool/me").text
    assert other_talent.email in client.get("/pool/me").text  # their own contact


def test_detail_shows_training_and_linked_account(app, client, factory, login):
    user, talent = factory.talent_user("03")
    complete_admin_training(app, talent)
    login(factory.coordinator("03"))
    page = client.get(f"/pool/{talent.id}").text
    assert "行政実務研修" in page and "修了" in page
    assert "ログインに招待する" not in page and user.email in page


def test_create_edit_deactivate_reactivate(app, client, factory, login):
    login(factory.coordinator("03"))
    morioka = factory.municipality("032018")
    response = client.post(
        "/pool/new",
        data={
            "name": "新規 登録",
            "name_kana": "しんき とうろく",
            "kind": "staff",
            "available_hours_per_month": "100",
            "work_style": "hybrid",
            "skills": ["bpr", "data"],
            "areas": [morioka.lg_code],
            "experience": "ＢＰＲの経験",
            "external_role": "",
            "employment_start": "2025-04-01",
        },
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        talent = db.session.scalar(select(Talent).where(Talent.name == "新規 登録"))
        assert talent.external_id and talent.search_text.endswith("bprの経験")
        assert [m.lg_code for m in talent.areas] == [morioka.lg_code]
        talent_id = talent.id
    assert "盛岡市" in client.get(f"/pool/{talent_id}").text

    sapporo = factory.municipality("011002")
    bad = client.post(
        f"/pool/{talent_id}/edit",
        data={
            "name": "新規 登録",
            "kind": "staff",
            "available_hours_per_month": "100",
            "work_style": "hybrid",
            "areas": [sapporo.lg_code],
        },
    )
    assert bad.status_code == 400
    other = factory.talent(external_id="TAKEN")
    taken = client.post(
        f"/pool/{talent_id}/edit",
        data={
            "name": "新規 登録",
            "kind": "staff",
            "available_hours_per_month": "100",
            "work_style": "hybrid",
            "external_id": "TAKEN",
        },
    )
    assert taken.status_code == 400 and "既に使われています" in taken.text
    ok = client.post(
        f"/pool/{talent_id}/edit",
        data={
            "name": "改名 済み",
            "kind": "external",
            "available_hours_per_month": "50",
            "work_style": "remote",
            "external_id": "NEW-1",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        talent = db.session.get(Talent, talent_id)
        assert (talent.name, talent.external_id, talent.work_style) == (
            "改名 済み",
            "NEW-1",
            "remote",
        )
        assert "改名" in talent.search_text and talent.areas == []

    assert client.post(f"/pool/{talent_id}/active", data={"active": "0"}).status_code == 302
    assert "改名 済み" not in names(client.get("/pool/").text)
    assert client.post(f"/pool/{talent_id}/active", data={"active": "1"}).status_code == 302
    assert "改名 済み" in names(client.get("/pool/").text)
    assert client.post(f"/pool/{talent_id}/active", data={"active": "x"}).status_code == 400
    assert client.post(f"/pool/{other.id}/edit", data={}).status_code == 400
    other_pref = factory.talent("20")
    assert client.post(f"/pool/{other_pref.id}/active", data={"active": "0"}).status_code == 404


def test_talent_edits_own_profile_but_not_kind_or_pool(app, client, factory, login):
    user, talent = factory.talent_user("03", kind="external", cio_candidate=False)
    login(user)
    page = client.get("/pool/me")
    assert page.status_code == 200 and talent.name in page.text
    hanamaki = factory.municipality("032051")
    nagano = factory.prefecture("20")
    response = client.post(
        "/pool/me",
        data={
            "available_hours_per_month": "24",
            "work_style": "remote",
            "skills": ["ai_rpa"],
            "experience": "ＲＰＡ導入",
            "qualifications": "ITパスポート",
            "email": "new@example.jp",
            "phone": "",
            "areas": [hanamaki.lg_code],
            "kind": "company",
            "prefecture_id": str(nagano.id),
            "cio_candidate": "y",
            "name": "X",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Talent, talent.id)
        assert (saved.available_hours_per_month, saved.work_style, saved.email) == (
            24,
            "remote",
            "new@example.jp",
        )
        assert [s.code for s in saved.skills] == ["ai_rpa"] and "rpa導入" in saved.search_text
        assert [m.lg_code for m in saved.areas] == [hanamaki.lg_code]
        assert (saved.kind, saved.prefecture_id, saved.cio_candidate, saved.name) == (
            "external",
            talent.prefecture_id,
            False,
            talent.name,
        )
    bad = client.post("/pool/me", data={"available_hours_per_month": "-1", "work_style": "remote"})
    assert bad.status_code == 400
    assert client.get(f"/pool/{talent.id}").status_code == 302  # own detail → own page
    assert client.get(f"/pool/{talent.id}/edit").status_code == 403


def test_talent_without_profile_and_other_roles_on_my_profile(client, factory, login):
    login(factory.user("talent", prefecture="03"))
    assert client.get("/pool/me").status_code == 404
    client.post("/logout")
    login(factory.coordinator("03"))
    assert client.get("/pool/me").status_code == 403


def test_menu_links_the_pool_and_pages_stay_local(client, factory, login):
    talent = factory.talent()
    login(factory.coordinator("03"))
    home = client.get("/").text
    assert 'href="/pool/"' in home and 'href="/national/"' in home
    for url in (
        "/pool/",
        f"/pool/{talent.id}",
        f"/pool/{talent.id}/edit",
        "/pool/new",
        "/pool/import",
        "/national/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert not EXTERNAL.search(page.text), url
        assert "<script>" not in page.text and "<script " not in page.text.replace(
            '<script src="/static/js/', ""
        ), url  # only the app's own script files, no inline script
        assert " style=" not in page.text, url
