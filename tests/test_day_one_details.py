"""Small things that erode trust on day one (issue 14, point 9): no preselected rating, people
of the same name told apart, which fiscal year a completion counts in, last year's targets,
one name per training program, the demo's links, the favicon, and a calm first page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Assignment, Enrollment
from talentpool.services.training import progress

ROOT = Path(__file__).resolve().parents[1]


def test_the_rating_is_chosen_on_purpose(app, client, factory, login):
    coordinator, officer = factory.coordinator("03"), factory.officer("032018")
    _u, talent = factory.talent_user("03")
    done = factory.assignment(coordinator, factory.request("032018"), talent, end="complete")
    login(officer)
    url = f"/offers/assignments/{done.id}"
    page = client.get(url).text
    select_html = page[
        page.index('name="score"') : page.index("</select>", page.index('name="score"'))
    ]
    assert re.search(r'<option selected value="">選んでください</option>', select_html)
    assert "selected" not in select_html.split("</option>", 1)[1]  # nothing else preselected
    blank = client.post(url + "/rating", data={"score": "", "comment": "未選択"})
    assert blank.status_code == 400 and "評価を選んでください。" in blank.text
    with app.app_context():
        assert db.session.get(Assignment, done.id).rating is None
    assert client.post(url + "/rating", data={"score": "3", "comment": ""}).status_code == 302


def test_two_people_of_the_same_name_differ_in_the_offer_list(client, factory, login):
    coordinator = factory.coordinator("03")
    req = factory.request("032018")
    factory.talent_user("03", name="佐藤 健", name_kana="さとう けん", external_id="IW-100")
    factory.talent_user("03", name="佐藤 健", name_kana="さとう たけし", external_id="IW-200")
    login(coordinator)
    options = re.findall(
        r"<option[^>]*>([^<]*佐藤 健[^<]*)</option>", client.get(f"/offers/new/{req.id}").text
    )
    assert len(options) == 2 and len(set(options)) == 2
    assert any("さとう けん" in o and "IW-100" in o for o in options)
    assert any("さとう たけし" in o and "IW-200" in o for o in options)


def test_completions_say_which_fiscal_year_they_count_in(client, factory, login):
    leader = factory.dx_leader("032018", name="去年 修了")
    factory.enrollment(factory.program(), leader=leader, completed_on=date(2024, 10, 1))
    login(factory.officer("032018"))
    page = client.get("/training/?year=2025").text
    assert "修了者数(令和7年度 (2025))<strong>0</strong>" in page
    row = page[page.index("去年 修了") :][:600]
    assert "修了" in row and "令和6年度 (2024)" in row  # the leader's completion is FY2024's
    home = client.get("/").text
    assert re.search(r"修了者数\(令和\d+年度 \(\d{4}\)\)", home)


def test_last_years_targets_are_copied_into_the_form_not_saved(app, client, factory, login):
    morioka, hanamaki = factory.municipality("032018"), factory.municipality("032051")
    miyako = factory.municipality("032026")
    iwate = factory.prefecture("03")
    with app.app_context():
        progress.set_targets(iwate.id, 2024, {morioka.id: 4, hanamaki.id: 2})
        progress.set_targets(iwate.id, 2025, {hanamaki.id: 5})  # this year's stays
        db.session.commit()
    login(factory.coordinator("03"))
    page = client.get("/training/targets?year=2025&copy=previous").text
    assert "目標のない1市町村の入力欄に写しました" in page
    assert re.search(rf'name="target-{morioka.id}"\s+value="4"', page)
    assert re.search(rf'name="target-{hanamaki.id}"\s+value="5"', page)
    assert re.search(rf'name="target-{miyako.id}"\s+value=""', page)
    with app.app_context():
        assert progress.targets([morioka.id], 2025) == {}  # nothing saved yet
    saved = client.post(
        "/training/targets?year=2025",
        data={f"target-{morioka.id}": "4", f"target-{hanamaki.id}": "5"},
    )
    assert saved.status_code == 302
    with app.app_context():
        assert progress.targets([morioka.id, hanamaki.id], 2025) == {morioka.id: 4, hanamaki.id: 5}
    nothing = client.get("/training/targets?year=2030&copy=previous").text
    assert "写せるもの" in nothing


def test_a_program_has_one_name_in_the_list_and_in_the_records(app, client, factory, login):
    program = factory.program(
        "岩手県DX推進リーダー育成研修(実践編)", prefecture="03", level="応用", fiscal_year=2025
    )
    leader = factory.dx_leader("032018")
    login(factory.officer("032018"))
    page = client.get(f"/training/leaders/{leader.id}").text
    option = re.search(rf'<option value="{program.id}">([^<]+)</option>', page).group(1)
    assert option == "岩手県DX推進リーダー育成研修(実践編)(応用・令和7年度 (2025))"
    client.post(
        f"/training/leaders/{leader.id}/enroll",
        data={"program_id": program.id, "enrolled_on": "2025-06-01"},
    )
    with app.app_context():
        assert db.session.scalar(select(Enrollment).where(Enrollment.dx_leader_id == leader.id))
    record_page = client.get(f"/training/leaders/{leader.id}").text
    assert f"<td>{option}</td>" in record_page
    municipality = client.get("/training/?year=2025").text
    assert f"<td>{option}</td>" in municipality


def test_favicon_and_the_first_page(client, factory):
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    first = client.get("/", follow_redirects=True)
    assert first.request.path == "/login" and "ログインしてください" not in first.text
    assert 'rel="icon"' in first.text
    elsewhere = client.get("/pool/", follow_redirects=True)  # a deep link still says why
    assert elsewhere.request.path == "/login" and "ログインしてください" in elsewhere.text


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_demo_links_point_at_the_demos_own_port(monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)

    def dry_run(*args: str) -> list[str]:
        done = subprocess.run(
            ["make", "-n", "demo", *args], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return [
            line for line in done.stdout.splitlines() if "seed-demo" in line or "gunicorn" in line
        ]

    lines = dry_run("PORT=5101")
    assert len(lines) == 2 and all("BASE_URL=http://127.0.0.1:5101" in line for line in lines)
    monkeypatch.setenv("BASE_URL", "https://demo.example.lg.jp")
    assert all("BASE_URL=https://demo.example.lg.jp" in line for line in dry_run("PORT=5101"))
