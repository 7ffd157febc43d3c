"""Feature matrices: NFKC character n-gram TF-IDF, synonym concepts, skills, hours.

Both sides are canonicalised with the synonym table before vectorising. The
vectoriser is fitted once on the talent texts and reused for every request.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from .specs import RequestSpec, TalentProfile
from .synonyms import SynonymTable
from .weights import Weights


@dataclass(frozen=True)
class Doc:
    """One side of a pair, prepared for matching.

    ``text`` is the canonicalised whole text (with skill labels) for the n-gram
    vectoriser; ``concepts`` are the canonical terms of the free text only, so a skill
    code is not counted twice; ``plain`` is the NFKC free text, quoted in reasons.
    """

    text: str
    concepts: frozenset[str]
    plain: str

    @cached_property
    def lower(self) -> str:
        return self.plain.lower()

    @cached_property
    def grams(self) -> frozenset[str]:
        """Substrings of length ``PHRASE_GRAM`` of ``lower``, for shared-phrase search."""
        n = PHRASE_GRAM
        return frozenset(self.lower[i : i + n] for i in range(len(self.lower) - n + 1))


PHRASE_GRAM = 4


class DocMaker:
    """Builds docs with one synonym table and label set; label texts are cached."""

    def __init__(self, table: SynonymTable, labels: Mapping[str, str]):
        self.table = table
        self.labels = labels
        self._label_text: dict[str, str] = {}

    def _skill_text(self, skills: Iterable[str]) -> str:
        parts = []
        for code in sorted(skills):
            if code not in self._label_text:
                self._label_text[code] = self.table.canonicalize(self.labels.get(code, code))[0]
            parts.append(self._label_text[code])
        return " ".join(parts)

    def _doc(self, free_text: str, skills: Iterable[str]) -> Doc:
        canonical, concepts = self.table.canonicalize(free_text)
        plain = unicodedata.normalize("NFKC", free_text)
        return Doc(f"{canonical} {self._skill_text(skills)}", concepts, plain)

    def talent(self, t: TalentProfile) -> Doc:
        """Experience and qualifications (free text) plus skill labels of one talent."""
        return self._doc(f"{t.experience} {t.qualifications}", t.skills)

    def request(self, r: RequestSpec) -> Doc:
        """Title and description (free text) plus focus-area labels of one request."""
        return self._doc(f"{r.title} {r.description}", r.skills)


def make_vectorizer(weights: Weights) -> TfidfVectorizer:
    """Character n-grams on already-normalised text; never strip accents (ガ ≠ カ)."""
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=(weights.ngram_min, weights.ngram_max),
        lowercase=False,
        sublinear_tf=weights.sublinear_tf,
        dtype=np.float32,
    )


class ConceptSpace:
    """TF-IDF over synonym-canonical concepts, IDF taken from the talent side."""

    def __init__(self, canonicals: Sequence[str], talent_concepts: Sequence[frozenset[str]]):
        self.column = {c: i for i, c in enumerate(canonicals)}
        counts = self._binary(talent_concepts)
        df = np.asarray(counts.sum(axis=0)).ravel()
        n = max(1, len(talent_concepts))
        self.idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)

    def _binary(self, concept_sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
        rows, cols = [], []
        for row, concepts in enumerate(concept_sets):
            for c in concepts:
                if c in self.column:
                    rows.append(row)
                    cols.append(self.column[c])
        data = np.ones(len(rows), dtype=np.float32)
        shape = (len(concept_sets), len(self.column))
        return sp.csr_matrix((data, (rows, cols)), shape=shape)

    def transform(self, concept_sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
        weighted = sp.csr_matrix(self._binary(concept_sets).multiply(self.idf[None, :]))
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        return sp.csr_matrix(weighted.multiply(scale[:, None].astype(np.float32)))


class SkillSpace:
    """Binary skill matrices over the union of known codes."""

    def __init__(self, codes: Iterable[str]):
        self.column = {c: i for i, c in enumerate(sorted(set(codes)))}

    def transform(self, skill_sets: Sequence[frozenset[str]]) -> sp.csr_matrix:
        rows, cols = [], []
        for row, skills in enumerate(skill_sets):
            for code in skills:
                if code in self.column:
                    rows.append(row)
                    cols.append(self.column[code])
        data = np.ones(len(rows), dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(skill_sets), len(self.column)))
