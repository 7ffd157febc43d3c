"""Targets and progress of trained DX leaders per municipality and fiscal year."""

import io
import re
from datetime import date

import pytest

from talentpool import fiscal
from talentpool.models import TrainingTarget
from talentpool.services import DomainError
from talentpool.services.training import progress

MORIOKA, HANAMAKI, KITAKAMI, TONO, KUJI = "032018", "032051", "032069", "032085", "032077"
NAGANO = "202011"


def _target(factory, lg_code, year, count):
    municipality = factory.municipality(lg_code)
    return factory._save(
        TrainingTarget(municipality_id=municipality.id, fiscal_year=year, target_count=count)
    )


def test_fiscal_year_helper_boundary_and_current():
    assert fiscal.fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal.fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal.label(2025) == "令和7年度 (2025)"
    assert fiscal.current() == fiscal.fiscal_year(fiscal.today())


def test_completion_on_march_31_counts_for_reiwa_7_and_april_1_for_reiwa_8(app, factory):
    program = factory.program()
    first = factory.dx_leader(MORIOKA)
    second = factory.dx_leader(MORIOKA)
    factory.enrollment(program, leader=first, completed_on=date(2026, 3, 31))
    factory.enrollment(program, leader=second, completed_on=date(2026, 4, 1))
    morioka = factory.municipality(MORIOKA)
    with app.app_context():
        assert progress.completed_counts([morioka.id], 2025) == {morioka.id: 1}
        assert progress.completed_counts([morioka.id], 2026) == {morioka.id: 1}
        assert progress.completed_counts([morioka.id], 2024) == {}
        assert progress.municipality_summary(morioka.id, 2025).completed == 1


def test_shortfall_list_on_several_municipalities_programs_and_years(app, factory):
    leader_program = factory.program()
    own_program = factory.program("県DX推進リーダー応用研修", prefecture="03", level="応用")
    admin_practice = factory.program("行政実務研修")  # talent audience: never counts
    fy, other_fy = 2025, 2024

    # 盛岡市: target 5; 3 leaders completed in FY2025, one of them twice (two programs)
    # → 3 distinct; one completed in FY2024 only; one withdrew; one still enrolled.
    _target(factory, MORIOKA, fy, 5)
    a, b, c = (factory.dx_leader(MORIOKA) for _ in range(3))
    factory.enrollment(leader_program, leader=a, completed_on=date(2025, 6, 1))
    factory.enrollment(own_program, leader=a, completed_on=date(2026, 2, 1))
    factory.enrollment(leader_program, leader=b, completed_on=date(2025, 4, 1))
    factory.enrollment(own_program, leader=c, completed_on=date(2026, 3, 31))
    old = factory.dx_leader(MORIOKA)
    factory.enrollment(leader_program, leader=old, completed_on=date(2025, 3, 31))
    quitter = factory.dx_leader(MORIOKA)
    factory.enrollment(
        leader_program,
        leader=quitter,
        status="withdrawn",
        enrolled_on=date(2025, 5, 1),
        withdrawn_on=date(2025, 7, 1),
    )
    studying = factory.dx_leader(MORIOKA)
    factory.enrollment(leader_program, leader=studying, enrolled_on=date(2025, 5, 1))
    # a withdrawn record carrying a completion date must not count either
    factory.enrollment(
        leader_program,
        leader=studying,
        status="withdrawn",
        enrolled_on=date(2025, 5, 1),
        completed_on=date(2025, 6, 1),
    )

    # 花巻市: target 2, one completion in FY2025 → shortfall 1 (50%).
    _target(factory, HANAMAKI, fy, 2)
    factory.enrollment(
        leader_program, leader=factory.dx_leader(HANAMAKI), completed_on=date(2025, 10, 10)
    )
    # 北上市: target 1, two completions → shortfall 0, 100% (capped).
    _target(factory, KITAKAMI, fy, 1)
    for _ in range(2):
        factory.enrollment(
            leader_program, leader=factory.dx_leader(KITAKAMI), completed_on=date(2025, 12, 1)
        )
    # 遠野市: target 2, none → shortfall 2 (0%); its FY2026 completion is another year.
    _target(factory, TONO, fy, 2)
    factory.enrollment(
        leader_program, leader=factory.dx_leader(TONO), completed_on=date(2026, 4, 1)
    )
    # 久慈市: no target in FY2025 (only FY2024) but one completion → listed, no shortfall.
    _target(factory, KUJI, other_fy, 3)
    factory.enrollment(
        leader_program, leader=factory.dx_leader(KUJI), completed_on=date(2025, 8, 8)
    )
    # A talent who completed the admin-practice training does not count anywhere.
    factory.enrollment(admin_practice, talent=factory.talent("03"), completed_on=date(2025, 9, 1))
    # Another prefecture's municipality never shows in Iwate's list.
    _target(factory, NAGANO, fy, 9)

    with app.app_context():
        rows = progress.shortfall_list(factory.prefecture("03").id, fy)
        table = [(r.lg_code, r.target, r.completed, r.shortfall, r.percent) for r in rows]
        # by hand: 盛岡 5-3=2 (60%), 遠野 2-0=2 (0%), 花巻 2-1=1 (50%), 北上 0 (100%), 久慈 0 (-)
        assert table == [
            (TONO, 2, 0, 2, 0),
            (MORIOKA, 5, 3, 2, 60),
            (HANAMAKI, 2, 1, 1, 50),
            (KITAKAMI, 1, 2, 0, 100),
            (KUJI, None, 1, 0, None),
        ]
        earlier = progress.shortfall_list(factory.prefecture("03").id, other_fy)
        assert [(r.lg_code, r.target, r.completed) for r in earlier] == [
            (KUJI, 3, 0),
            (MORIOKA, None, 1),
        ]
        later = progress.shortfall_list(factory.prefecture("03").id, 2026)
        assert [(r.lg_code, r.completed) for r in later] == [(TONO, 1)]


def test_coordinator_overview_lists_shortfall_with_progress_elements(client, factory, login):
    _target(factory, MORIOKA, 2025, 4)
    _target(factory, HANAMAKI, 2025, 2)
    factory.enrollment(
        factory.program(), leader=factory.dx_leader(MORIOKA), completed_on=date(2025, 9, 1)
    )
    login(factory.coordinator("03"))
    page = client.get("/training/?year=2025")
    assert page.status_code == 200
    body = page.text
    assert "令和7年度 (2025)" in body
    assert body.index("盛岡市") < body.index("花巻市")  # shortfall 3 before 2
    assert '<progress class="training-progress" max="100" value="25"' in body
    assert "25%" in body and "0%" in body
    assert not re.search(r"\sstyle=", body)


def test_municipality_summary_on_the_officers_home(client, factory, login):
    officer = factory.officer(MORIOKA)
    factory.dx_leader(MORIOKA)
    factory.dx_leader(MORIOKA, active=False)
    _target(factory, MORIOKA, fiscal.current(), 2)
    factory.enrollment(
        factory.program(), leader=factory.dx_leader(MORIOKA), completed_on=fiscal.today()
    )
    login(officer)
    html = client.get("/").text
    assert "DX推進リーダーの育成" in html
    assert fiscal.label(fiscal.current()) in html
    assert "2人" in html  # two active leaders, target 2
    assert 'value="50"' in html and "50%" in html


def test_set_targets_upserts_removes_and_refuses_other_prefectures(app, factory):
    morioka, hanamaki = factory.municipality(MORIOKA), factory.municipality(HANAMAKI)
    nagano = factory.municipality(NAGANO)
    iwate = factory.prefecture("03").id
    with app.app_context():
        assert progress.set_targets(iwate, 2025, {morioka.id: 3, hanamaki.id: 1}) == 2
        assert progress.set_targets(iwate, 2025, {morioka.id: 3, hanamaki.id: None}) == 1
        assert progress.targets([morioka.id, hanamaki.id], 2025) == {morioka.id: 3}
        with pytest.raises(DomainError):
            progress.set_targets(iwate, 2025, {nagano.id: 1})
        with pytest.raises(DomainError):
            progress.set_targets(iwate, 2025, {morioka.id: -1})


def test_targets_page_saves_and_rejects_bad_numbers(app, client, factory, login):
    morioka, hanamaki = factory.municipality(MORIOKA), factory.municipality(HANAMAKI)
    nagano = factory.municipality(NAGANO)
    login(factory.coordinator("03"))
    page = client.get("/training/targets?year=2025")
    assert page.status_code == 200 and f'name="target-{morioka.id}"' in page.text
    assert f'name="target-{nagano.id}"' not in page.text
    bad = client.post(
        "/training/targets?year=2025",
        data={f"target-{morioka.id}": "3", f"target-{hanamaki.id}": "三"},
    )
    assert bad.status_code == 400 and "整数" in bad.text
    with app.app_context():
        assert progress.targets([morioka.id], 2025) == {}
    good = client.post(
        "/training/targets?year=2025",
        data={
            f"target-{morioka.id}": "３",
            f"target-{hanamaki.id}": "",
            f"target-{nagano.id}": "7",
        },
    )
    assert good.status_code == 302
    with app.app_context():
        assert progress.targets([morioka.id, hanamaki.id], 2025) == {morioka.id: 3}
        assert progress.targets([nagano.id], 2025) == {}  # another prefecture: ignored


def test_targets_import_is_all_or_nothing(app, client, factory, login):
    morioka = factory.municipality(MORIOKA)
    login(factory.coordinator("03"))
    bad = "団体コード,目標人数\n032018,4\n202011,2\n".encode("cp932")
    response = client.post(
        "/training/targets/import?year=2025",
        data={"file": (io.BytesIO(bad), "targets.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "202011" in response.text
    with app.app_context():
        assert progress.targets([morioka.id], 2025) == {}
    good = "団体コード,目標人数,年度\n032018,4,2025\n32051,1,2026\n".encode()
    response = client.post(
        "/training/targets/import?year=2025",
        data={"file": (io.BytesIO(good), "targets.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        assert progress.targets([morioka.id], 2025) == {morioka.id: 4}
        hanamaki = factory.municipality(HANAMAKI)
        assert progress.targets([hanamaki.id], 2026) == {hanamaki.id: 1}
