"""The domain synonym/abbreviation table (seed/synonyms.csv) and canonicalisation.

Each CSV row maps a ``variant`` to a ``canonical`` term. Canonicalising a text replaces
every variant (longest match first) by its canonical term, so ガバクラ and ガバメントクラウド
become the same characters for the n-gram vectoriser, and returns the set of canonical
terms found (the "concepts") that drive the concept feature and the reasons.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .normalize import normalize

#: The seed folder of the checkout: talentpool.config.SEED_DIR, found from here because the
#: matcher imports nothing outside itself (a test checks that the two agree).
SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
DEFAULT_SYNONYMS = SEED_DIR / "synonyms.csv"

_ASCII_WORD = re.compile(r"[a-z0-9]")


def file_digest(path: Path) -> str:
    """A short digest of a seed file, for cache keys that must change with it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def _trie_pattern(words: list[str]) -> str:
    """One regex for all ``words`` as a character trie, preferring the longest match.

    A flat alternation of hundreds of terms is tried term by term at every position;
    the trie tries each next character once.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts, chars = [], []
        for ch in sorted(k for k in node if k):
            sub = build(node[ch])
            (alts.append(re.escape(ch) + sub) if sub else chars.append(re.escape(ch)))
        if chars:
            alts.append(chars[0] if len(chars) == 1 else "[" + "".join(chars) + "]")
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _inside_word(text: str, start: int, end: int) -> bool:
    """True when an ASCII term sits inside a longer ASCII word ("ai" in "mail")."""
    term = text[start:end]
    before = start > 0 and _ASCII_WORD.match(term[0]) and _ASCII_WORD.match(text[start - 1])
    after = end < len(text) and _ASCII_WORD.match(term[-1]) and _ASCII_WORD.match(text[end])
    return bool(before or after)


@dataclass(frozen=True)
class SynonymTable:
    """Variant → canonical mapping with one compiled, longest-first regex."""

    mapping: dict[str, str]
    regex: re.Pattern[str] | None
    display: dict[str, str]

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, str]]) -> SynonymTable:
        mapping: dict[str, str] = {}
        display: dict[str, str] = {}
        for canonical, variant in pairs:
            canon = normalize(canonical)
            display.setdefault(canon, canonical.strip())
            for term in (canon, normalize(variant)):
                if term:
                    mapping.setdefault(term, canon)
        if not mapping:
            return cls({}, None, {})
        return cls(mapping, re.compile(_trie_pattern(list(mapping))), display)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_SYNONYMS) -> SynonymTable:
        """Read a CSV with header ``canonical,variant`` (UTF-8, BOM allowed)."""
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = [
                (row["canonical"], row["variant"])
                for row in csv.DictReader(fh)
                if row.get("canonical") and not row["canonical"].startswith("#")
            ]
        return cls.from_pairs(rows)

    def label(self, canonical: str) -> str:
        """The canonical term as written in the table (ガバメントクラウド, EBPM)."""
        return self.display.get(canonical, canonical)

    def canonicalize(self, text: str) -> tuple[str, frozenset[str]]:
        """Normalise ``text``, replace variants by canonical terms; return (text, concepts)."""
        norm = normalize(text)
        if self.regex is None:
            return norm, frozenset()
        found: set[str] = set()

        def repl(match: re.Match[str]) -> str:
            if _inside_word(norm, match.start(), match.end()):
                return match.group(0)
            canon = self.mapping[match.group(0)]
            found.add(canon)
            return canon

        return self.regex.sub(repl, norm), frozenset(found)
