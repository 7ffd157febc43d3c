"""The lexical score: BM25 over NFKC character n-grams, counted with NumPy.

Character n-grams need no word segmentation, so 標準準拠 matches 標準化 in part and
ＡＷＳ matches AWS (after NFKC). Counting is vectorised over the whole corpus (every text
as UTF-32 code points in one array) instead of building n-gram strings in Python, which
is what makes a national pool cheap to index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

_BIGRAM = np.uint64(1 << 42)  # bigram codes sit above every unigram code


def gram_codes(texts: Sequence[str], n_max: int) -> tuple[np.ndarray, np.ndarray]:
    """(text index, n-gram code) of every character unigram and, with ``n_max`` ≥ 2,
    bigram of the texts, which must be normalised already (matching.normalize, or the
    synonym table's canonical form); spaces are never part of an n-gram."""
    parts = list(texts)
    lengths = np.fromiter((len(p) + 1 for p in parts), dtype=np.int64, count=len(parts))
    joined = "\0".join(parts) + "\0"
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    doc = np.repeat(np.arange(len(parts), dtype=np.int64), lengths)
    usable = (chars != 0) & (chars != 32)
    docs, codes = [doc[usable]], [chars[usable]]
    if n_max >= 2 and len(chars) > 1:
        pair = usable[:-1] & usable[1:]
        docs.append(doc[:-1][pair])
        codes.append(_BIGRAM + (chars[:-1][pair] << np.uint64(21)) + chars[1:][pair])
    return np.concatenate(docs), np.concatenate(codes)


def count_matrix(docs: np.ndarray, columns: np.ndarray, n_rows: int, n_cols: int):
    data = np.ones(len(docs), dtype=np.float32)
    matrix = sp.csr_matrix((data, (docs, columns)), shape=(n_rows, n_cols))
    matrix.sum_duplicates()
    return matrix


@dataclass(frozen=True)
class Bm25:
    """BM25 weights of a fitted corpus (the talent side) over its n-gram vocabulary."""

    vocabulary: np.ndarray  # sorted n-gram codes
    weights: sp.csr_matrix  # documents × vocabulary, BM25 term weights
    n_max: int

    @classmethod
    def fit(cls, texts: Sequence[str], *, n_max: int = 2, k1: float = 1.2, b: float = 0.75):
        docs, codes = gram_codes(texts, n_max)
        vocabulary, columns = np.unique(codes, return_inverse=True)
        tf = count_matrix(docs, columns, len(texts), len(vocabulary))
        n = max(len(texts), 1)
        df = np.bincount(tf.indices, minlength=len(vocabulary)).astype(np.float32)
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        length = np.asarray(tf.sum(axis=1), dtype=np.float32).ravel()
        norm = k1 * (1 - b + b * length / max(float(length.mean()) if n else 1.0, 1e-9))
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        tf.data = (tf.data * (k1 + 1) / (tf.data + norm[rows]) * idf[tf.indices]).astype(np.float32)
        return cls(vocabulary, tf, n_max)

    def queries(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Binary query matrices (a query n-gram counts once) over the fitted vocabulary."""
        if not len(self.vocabulary):
            return sp.csr_matrix((len(texts), 0), dtype=np.float32)
        docs, codes = gram_codes(texts, self.n_max)
        pos = np.minimum(np.searchsorted(self.vocabulary, codes), len(self.vocabulary) - 1)
        known = self.vocabulary[pos] == codes
        matrix = count_matrix(docs[known], pos[known], len(texts), len(self.vocabulary))
        matrix.data[:] = 1.0
        return matrix
