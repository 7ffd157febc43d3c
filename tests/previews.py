"""Reading an import preview page the way a person does: the counts, the problem tables (one
line per column and message, rows folded) and the rows that change."""

from __future__ import annotations

import html
import re


def unfold(rows: str) -> list[str]:
    """The row numbers of a folded list such as "2–5, 9"."""
    numbers = []
    for part in rows.split(", "):
        first, _, last = part.partition("–")
        numbers += [str(n) for n in range(int(first), int(last or first) + 1)]
    return numbers


def problems(page: str, css: str = "import-errors") -> list[tuple[str, str, str]]:
    """(rows as shown, column, message) of each line of a problem table."""
    if f'class="table {css}"' not in page:
        return []
    table = page.split(f'class="table {css}"', 1)[1].split("</table>", 1)[0]
    found = re.findall(r'<tr><td class="rows">([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', table)
    return [tuple(html.unescape(cell) for cell in line) for line in found]


def problem_cells(page: str, css: str = "import-errors") -> set[tuple[str, str]]:
    """(row, column) of every problem listed (groups unfolded)."""
    return {(row, column) for rows, column, _ in problems(page, css) for row in unfold(rows)}


def counts(page: str) -> str:
    """The preview's counts as one line: "新規 2 / 更新 0 / 変更なし 0 / エラーのある行 5"."""
    found = re.findall(r"<li>(新規|更新|変更なし|エラーのある行): (\d+)", page)
    return " / ".join(f"{label} {n}" for label, n in found)


def changed_fields(page: str) -> list[str]:
    """Each change listed, as "label: old → new" (text only)."""
    found = re.findall(
        r"<li><strong>([^<]*)</strong>: <del>([^<]*)</del> → <ins>([^<]*)</ins></li>", page
    )
    return [html.unescape(f"{label}: {old} → {new}") for label, old, new in found]
