"""Every page passes axe-core (served from the installed package, no CDN) with no serious or
critical violations, for each role."""

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PAGES = {
    None: ["/login"],
    "iwate.coordinator@demo.example.jp": [
        "/",
        "/pool/",
        "/pool/new",
        "/pool/import",
        "/national/",
        "/requests/",
        "/requests/new",
        "/requests/import",
        "/training/",
        "/training/targets",
        "/training/programs",
        "/offers/",
        "/offers/new",
        "/offers/assignments/overdue",
        "/notifications/",
        "/audit/",
        "/accounts/invitations",
        "/accounts/invitations?state=all",
        "/pool/?login=pending",
        "/matching/plan",
        "/reports/",
        "/reports/recruitment",
    ],
    "morioka.officer@demo.example.jp": [
        "/",
        "/requests/",
        "/requests/new?template=frontyard",
        "/training/",
        "/offers/",
    ],
    "admin@demo.example.jp": ["/", "/national/", "/accounts/invitations", "/reports/national"],
    "s.chiba@example.jp": ["/", "/pool/me", "/offers/", "/training/"],
}


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("email", list(PAGES))
def test_pages_have_no_serious_accessibility_violations(page, email):
    if email:
        login(page, email)
    problems = {}
    for path in PAGES[email]:
        response = page.goto(path)
        assert response.status == 200, path
        found = _serious(page)
        if found:
            problems[path] = found
    assert problems == {}
