"""The national list: the admin keeps it (form, import, export); coordinators copy from it."""

import io
import re

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.models import NationalListEntry, Talent


def entries(app) -> dict[str, NationalListEntry]:
    with app.app_context():
        return {e.external_id: e for e in db.session.scalars(select(NationalListEntry))}


def upload(client, data: bytes, filename: str):
    return client.post(
        "/national/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def test_admin_creates_edits_and_deactivates_an_entry(app, client, factory, login):
    login(factory.admin())
    response = client.post(
        "/national/new",
        data={
            "name": "株式会社ナショナル",
            "kind": "company",
            "available_hours_per_month": "160",
            "work_style": "remote",
            "skills": ["cloud"],
            "experience": "ガバメントクラウド移行",
        },
    )
    assert response.status_code == 302
    entry = next(iter(entries(app).values()))
    assert entry.external_id.startswith("NL") and "ガバメントクラウド" in entry.search_text
    assert (
        client.post(
            f"/national/{entry.id}/edit",
            data={
                "name": "株式会社ナショナル改",
                "kind": "company",
                "available_hours_per_month": "100",
                "work_style": "hybrid",
                "external_id": entry.external_id,
            },
        ).status_code
        == 302
    )
    assert entries(app)[entry.external_id].name == "株式会社ナショナル改"
    assert client.post(f"/national/{entry.id}/active", data={"active": "0"}).status_code == 302
    client.post("/logout")
    login(factory.coordinator("03"))
    assert client.get(f"/national/{entry.id}").status_code == 404  # inactive: hidden
    assert "株式会社ナショナル改" not in client.get("/national/").text


def test_coordinator_browses_and_copies_once(app, client, factory, login):
    entry = factory.national_entry(
        name="国 リスト太郎",
        skills=("security",),
        cio_candidate=True,
        experience="ＳＯＣの運用",
        phone="03-0000-0000",
    )
    factory.national_entry(name="別の 人")
    login(factory.coordinator("03"))
    listing = client.get("/national/?q=soc&skills=security&cio=yes")
    assert listing.status_code == 200 and "国 リスト太郎" in listing.text
    assert "別の 人" not in listing.text
    assert client.get(f"/national/{entry.id}/edit").status_code == 403
    assert client.get("/national/import").status_code == 403

    copied = client.post(f"/national/{entry.id}/copy")
    assert copied.status_code == 302
    with app.app_context():
        talent = db.session.scalar(select(Talent).where(Talent.source_entry_id == entry.id))
        assert talent.prefecture.code == "03" and talent.name == "国 リスト太郎"
        assert [s.code for s in talent.skills] == ["security"] and talent.cio_candidate
        assert talent.external_id == entry.external_id and "socの運用" in talent.search_text
    assert copied.headers["Location"].endswith(f"/pool/{talent.id}")
    assert "追加済み" in client.get("/national/").text

    twice = client.post(f"/national/{entry.id}/copy", follow_redirects=True)
    assert "既に人材プールに登録されています" in twice.text
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Talent).where(Talent.source_entry_id == entry.id)
            )
            == 1
        )
    client.post("/logout")

    login(factory.coordinator("20"))  # another prefecture may copy the same entry
    assert client.post(f"/national/{entry.id}/copy").status_code == 302


def test_national_import_and_export_round_trip(app, client, factory, login):
    csv = (
        "管理番号,氏名,種別,スキル,稼働可能時間(月),勤務形態,都道府県コード\r\n"
        "N-1,国 一郎,外部人材,クラウド,40,リモート,13\r\n"
        "N-2,国 二郎,企業,no_such_skill,10,併用,\r\n"
    ).encode("cp932")
    login(factory.admin())
    page = upload(client, csv, "national.csv")
    assert "列『都道府県コード』は取り込み対象外のため無視しました" in page.text
    assert "登録されていない項目があります: no_such_skill" in page.text
    assert entries(app) == {}
    client.post(
        "/national/import/commit", data={"token": token_of(page.text), "good_rows_only": "y"}
    )
    assert set(entries(app)) == {"N-1"}

    export = client.get("/national/export.csv")
    assert export.status_code == 200
    text = export.data.decode("utf-8-sig")
    # Japanese headers and labels by default; English headers and codes on request
    assert text.splitlines()[0].startswith("管理番号,氏名,ふりがな,種別,CIO補佐官候補,スキル")
    assert text.splitlines()[1].startswith("N-1,国 一郎,,外部人材,いいえ,クラウド,")
    coded = client.get("/national/export.csv?codes=1").data.decode("utf-8-sig")
    assert coded.splitlines()[0].startswith("external_id,name,name_kana,kind,cio_candidate,skills")
    assert coded.splitlines()[1].startswith("N-1,国 一郎,,external,false,cloud,")
    for data, name in ((export.data, "export.csv"), (coded.encode(), "coded.csv")):
        again = upload(client, data, name)
        assert "<li>新規: 0件</li>" in again.text and "<li>更新: 0件</li>" in again.text
        assert "<li>変更なし: 1件</li>" in again.text and "取り込む必要はありません" in again.text
    xlsx = client.get("/national/export.xlsx")
    assert xlsx.status_code == 200
    assert "<li>変更なし: 1件</li>" in upload(client, xlsx.data, "export.xlsx").text
    client.post("/logout")
    login(factory.coordinator("03"))
    assert client.get("/national/export.csv").status_code == 403
