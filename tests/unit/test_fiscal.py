from datetime import date

from talentpool import fiscal


def test_year_boundary():
    assert fiscal.fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal.fiscal_year(date(2026, 4, 1)) == 2026
    assert fiscal.bounds(2025) == (date(2025, 4, 1), date(2026, 3, 31))


def test_reiwa_labels():
    assert fiscal.label(2025) == "令和7年度 (2025)"
    assert fiscal.label(2019) == "令和元年度 (2019)"
    assert fiscal.label(2026, "en") == "FY2026 (Reiwa 8)"


def test_months_in_year():
    assert fiscal.months_in_year(date(2025, 4, 1), None, 2025) == 12
    assert fiscal.months_in_year(date(2025, 10, 15), date(2026, 6, 30), 2025) == 6
    assert fiscal.months_in_year(date(2026, 4, 1), None, 2025) == 0
    assert fiscal.months_in_year(None, date(2025, 4, 30), 2025) == 1
