"""The texts the matcher compares, and their word analysis in a storable form.

A talent's text is experience plus qualifications; a request's is title plus description
(skill codes are scored on their own, never mixed into the text: over-claimed codes would
otherwise buy text similarity too). The analysis of a text is its sentences' content
words; it is the expensive part of indexing, so the talent side's is stored (database
table or disk cache) under the text's hash and ``ANALYSIS_VERSION``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain

from .analysis import analyzer, sentences
from .specs import RequestSpec, TalentProfile
from .synonyms import DEFAULT_SYNONYMS, SynonymTable, file_digest

#: Changes with the analysis (dictionary, split mode, kept parts of speech, stop words —
#: bump the number) and with the synonym table: analyses of another version are never read.
ANALYSIS_VERSION = f"sudachi-core-A-nouns-3-{file_digest(DEFAULT_SYNONYMS)}"


def talent_text(t: TalentProfile) -> str:
    return f"{t.experience}\n{t.qualifications}".strip()


def request_text(r: RequestSpec) -> str:
    return f"{r.title}\n{r.description}".strip()


@dataclass(frozen=True)
class Analysed:
    """A text's sentences as written and, per sentence, its canonical form (NFKC, lower
    case, synonyms replaced: what the lexical score reads), its content words (what the
    semantic score reads) and the synonym-table concepts found in it (for reasons)."""

    sentences: tuple[str, ...]
    canonical: tuple[str, ...]
    terms: tuple[tuple[str, ...], ...]
    found: tuple[frozenset[str], ...]

    @property
    def words(self) -> list[str]:
        return list(chain.from_iterable(self.terms))

    @property
    def lexical_text(self) -> str:
        return " ".join(self.canonical)

    @cached_property
    def concepts(self) -> frozenset[str]:
        return frozenset().union(*self.found)

    def encode(self) -> str:
        """One line per sentence: canonical text, words and concepts, tab-separated
        (canonical text holds no tabs or bars, words no spaces, concepts no bars)."""
        return "\n".join(
            f"{c}\t{' '.join(w)}\t{'|'.join(sorted(f))}"
            for c, w, f in zip(self.canonical, self.terms, self.found, strict=True)
        )

    @classmethod
    def decode(cls, text: str, encoded: str) -> Analysed | None:
        """The stored analysis of ``text``; None if it does not fit the text's sentences."""
        parts = sentences(text)
        lines = [line.split("\t") for line in encoded.split("\n")] if parts else []
        if len(lines) != len(parts) or (not parts and encoded):
            return None
        if any(len(line) != 3 for line in lines):
            return None
        return cls(
            tuple(parts),
            tuple(c for c, _, _ in lines),
            tuple(tuple(w.split()) for _, w, _ in lines),
            tuple(frozenset(f.split("|")) - {""} for _, _, f in lines),
        )


def analyse(text: str, synonyms: SynonymTable | None = None) -> Analysed:
    """Split ``text`` into sentences; put each sentence's domain terms in one form with
    the synonym table (ガバクラ and ガバメントクラウド both become ガバメントクラウド) and
    find its content words."""
    table = synonyms if synonyms is not None else default_synonyms()
    parts = sentences(text)
    done = [_sentence(part, table) for part in parts]
    return Analysed(
        tuple(parts),
        tuple(d[0] for d in done),
        tuple(d[1] for d in done),
        tuple(d[2] for d in done),
    )


#: Sentences analysed lately, per synonym table: requests and profiles repeat sentences
#: (templates, stock phrases), and Sudachi is the expensive part of matching a request.
_SENTENCES: dict[str, tuple[SynonymTable, str, tuple[str, ...], frozenset[str]]] = {}
_MAX_SENTENCES = 100_000


def _sentence(part: str, table: SynonymTable) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """One sentence's canonical text, content words and concepts."""
    kept = _SENTENCES.get(part)
    if kept is not None and kept[0] is table:
        return kept[1:]
    text_c, concepts = table.canonicalize(part)
    words = tuple(w.replace(" ", "_") for w in analyzer().terms(text_c))
    if len(_SENTENCES) >= _MAX_SENTENCES:
        _SENTENCES.clear()
    _SENTENCES[part] = (table, text_c, words, concepts)
    return text_c, words, concepts


def analyse_many(texts: Sequence[str], synonyms: SynonymTable | None = None) -> list[Analysed]:
    table = synonyms if synonyms is not None else default_synonyms()
    return [analyse(t, table) for t in texts]


@lru_cache(maxsize=1)
def default_synonyms() -> SynonymTable:
    return SynonymTable.load()
