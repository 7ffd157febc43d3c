"""English mode is English: every page each role can reach, crawled in English, shows no
Japanese outside user data.

The rule for what may stay Japanese in English mode:
- values people typed or imported, and reference-data names — the text of the database columns
  listed in USER_TEXT (names, free text, municipality and prefecture names, program names, and
  the copies of e-mails as they were sent);
- text inside an element marked `lang="ja"`: Japanese on purpose, such as the 日本語 language
  switch or the Japanese column headers an import file must carry.
Everything else — headings, labels, buttons, options, table headers, messages, `title`,
`aria-label`, `placeholder`, `alt` and button values — must be English. The crawl follows every
link (GET) from the home page, at most a few pages per URL pattern, and fails listing each
page and the Japanese it found there.
"""

from __future__ import annotations

import re
import sqlite3
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

ROLES = [
    "admin@demo.example.jp",
    "iwate.coordinator@demo.example.jp",
    "morioka.officer@demo.example.jp",
    "s.chiba@example.jp",  # the demo's talent with a login
]
#: table → text columns holding user data or reference-data names.
USER_TEXT = {
    "prefecture": ["name", "name_kana"],
    "municipality": ["name", "name_kana"],
    "user_account": ["name"],
    "invitation": ["name"],
    "talent": ["name", "name_kana", "experience", "qualifications"],
    "national_list_entry": ["name", "name_kana", "experience", "qualifications"],
    "support_request": ["title", "description", "contact_name"],
    "offer": ["message", "decline_reason"],
    "assignment": ["end_reason"],
    "activity_log": ["note"],
    "rating": ["comment"],
    "dx_leader": ["name", "department", "position"],
    "training_program": ["name", "provider", "level"],
    "recruitment_expense": ["description", "vendor", "note", "void_reason"],
    "outbox_message": ["subject", "body_text"],
}
JAPANESE = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")
SKIPPED_PATHS = ("/logout", "/language", "/static/")
DOWNLOADS = re.compile(r"\.(xlsx|csv|ics|json)$|/export|/template")
PER_PATTERN = 2  # pages visited per URL shape (/pool/12 and /pool/15 are one shape)
MAX_PAGES = 200

#: The page's text nodes and the attributes people read, except inside [lang="ja"] and
#: inside form fields that hold data (text inputs' values, textareas).
COLLECT = """() => {
  const out = [];
  const skip = (el) => el.closest('[lang="ja"], script, style, template, textarea');
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && !skip(node.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [alt]')) {
    if (skip(el)) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    if (!skip(el) && el.value) out.push(el.value);
  }
  return out;
}"""


def _user_text(database) -> re.Pattern:
    """One pattern matching any stored user text (longest first), line by line."""
    values: set[str] = set()
    with sqlite3.connect(database) as connection:
        for table, columns in USER_TEXT.items():
            for column in columns:
                for (value,) in connection.execute(f"SELECT {column} FROM {table}"):
                    for line in (value or "").splitlines():
                        if line.strip():
                            values.add(" ".join(line.split()))
    ordered = sorted(values, key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


def _shape(url: str) -> str:
    parsed = urlparse(url)
    path = re.sub(r"\d+", "N", parsed.path)
    keys = sorted({pair.split("=", 1)[0] for pair in parsed.query.split("&") if pair})
    return f"{path}?{'&'.join(keys)}"


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        path = urlparse(url).path
        if not url.startswith(base) or path.startswith(SKIPPED_PATHS) or DOWNLOADS.search(path):
            continue
        found.append(url)
    return found


def _crawl(page, base: str, user_text: re.Pattern) -> dict[str, list[str]]:
    seen_shapes: dict[str, int] = {}
    queue, visited, problems = deque([f"{base}/"]), set(), {}
    while queue and len(visited) < MAX_PAGES:
        url = queue.popleft()
        if url in visited:
            continue
        shape = _shape(url)
        if seen_shapes.get(shape, 0) >= PER_PATTERN:
            continue
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        visited.add(url)
        response = page.goto(url)
        if response is None or response.status >= 400:
            continue
        found = set()
        for text in page.evaluate(COLLECT):
            rest = user_text.sub(" ", " ".join(text.split()))
            found.update(JAPANESE.findall(rest))
        if found:
            problems[url.removeprefix(base)] = sorted(found)
        queue.extend(_links(page, base))
    assert len(visited) > 5, f"the crawl reached only {sorted(visited)}"
    return problems


@pytest.fixture(scope="module")
def crawled(browser, live_server, live_database):
    """The crawl's findings per role, {role: {path: [Japanese found]}} (crawled once)."""
    user_text = _user_text(live_database)
    results = {}
    for email in ROLES:
        context = browser.new_context(
            base_url=live_server, locale="en-US", java_script_enabled=False
        )
        page = context.new_page()
        try:
            login(page, email)
            page.get_by_role("button", name="English").click()
            assert page.locator("html").get_attribute("lang") == "en"
            results[email] = _crawl(page, live_server, user_text)
        finally:  # the choice is kept on the account: back to Japanese for the other tests
            page.goto("/")
            page.get_by_role("button", name="日本語").click()
            context.close()
    return results


@pytest.mark.parametrize("email", ROLES)
def test_every_page_is_english_in_english_mode(crawled, email):
    problems = crawled[email]
    report = "\n".join(f"{url}: {' | '.join(found[:12])}" for url, found in problems.items())
    assert not problems, f"Japanese left in English mode ({len(problems)} pages):\n{report}"
