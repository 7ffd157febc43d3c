"""The semantic score: document vectors from static word vectors, compared by cosine.

A document's vector is the IDF-weighted sum of its content words' unit vectors, with the
pool's common direction removed (most texts share 支援/業務/自治体; without this every
pair looks alike), then scaled to unit length. IDF comes from the talent side; a request
word no talent uses gets the highest IDF, since such a word is the most specific. Words
without a vector add nothing here (the lexical score still sees them).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import scipy.sparse as sp

from .vectors import WordVectors

Terms = Sequence[str]


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-9)


@dataclass(frozen=True)
class SemanticSpace:
    """IDF of the talent side's words and the pool's common direction."""

    vectors: WordVectors
    idf: dict[str, float]
    idf_max: float
    common: np.ndarray  # unit vector removed from every document vector (or zeros)

    @classmethod
    def fit(cls, vectors: WordVectors, docs: Sequence[Terms], *, remove_common: bool = True):
        df: Counter[str] = Counter()
        for terms in docs:
            df.update(set(terms))
        n = len(docs)
        idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
        idf_max = math.log(1 + n) + 1.0
        space = cls(vectors, idf, idf_max, np.zeros(vectors.dim, dtype=np.float32))
        if not remove_common or n < 3:
            return space
        raw = space._weighted(docs).astype(np.float64)
        # the first right singular vector of the documents (the top eigenvector of their
        # dim × dim Gram matrix): the direction most documents share
        _, eigenvectors = np.linalg.eigh(raw.T @ raw)
        return cls(vectors, idf, idf_max, eigenvectors[:, -1].astype(np.float32))

    def _weighted(self, docs: Sequence[Terms]) -> np.ndarray:
        """IDF-weighted sums of word vectors (documents × dim), before common removal.
        Each word counts 1 + log(times it occurs); words are mapped to vector rows once."""
        flat = list(chain.from_iterable(docs))
        shape = (len(docs), self.vectors.matrix.shape[0])
        if not flat:
            return np.zeros((len(docs), self.vectors.dim), dtype=np.float32)
        vocabulary = {w: i for i, w in enumerate(dict.fromkeys(flat))}
        words = list(vocabulary)
        rows = np.fromiter((self.vectors.row(w) for w in words), dtype=np.int64, count=len(words))
        idf = np.fromiter(
            (self.idf.get(w, self.idf_max) for w in words), dtype=np.float32, count=len(words)
        )
        word_ids = np.fromiter((vocabulary[w] for w in flat), dtype=np.int64, count=len(flat))
        doc_ids = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
        counts = sp.csr_matrix(
            (np.ones(len(flat), dtype=np.float32), (doc_ids, word_ids)),
            shape=(len(docs), len(words)),
        )
        counts.sum_duplicates()
        coo = counts.tocoo()
        known = rows[coo.col] >= 0
        weights = sp.csr_matrix(
            (
                ((1.0 + np.log(coo.data)) * idf[coo.col])[known],
                (coo.row[known], rows[coo.col][known]),
            ),
            shape=shape,
        )
        return np.asarray(weights @ self.vectors.matrix, dtype=np.float32)

    def embed(self, docs: Sequence[Terms]) -> np.ndarray:
        """Unit document vectors (documents × dim); a text with no known word is zeros."""
        raw = self._weighted(docs)
        if self.common.any():
            raw = raw - np.outer(raw @ self.common, self.common)
        empty = ~raw.any(axis=1)
        out = _unit_rows(raw).astype(np.float32)
        out[empty] = 0.0
        return out
