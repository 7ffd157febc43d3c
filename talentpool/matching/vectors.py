"""Static Japanese word vectors: chiVe as shipped in the `ja-ginza` wheel (no spaCy needed).

The wheel holds 20,000 distinct 300-d float32 vectors (``vocab/vectors``, a .npy file)
behind ~480,000 word keys (``vocab/key2row``: a msgpack map of spaCy string hashes to rows;
pruned words point at their nearest kept vector). A word's key is MurmurHash64A (seed 1)
of its UTF-8 bytes, as in spaCy's StringStore. We read the files directly: loading spaCy
itself would take seconds and gigabytes we do not need.

Nothing is downloaded: the package is installed from PyPI with the project.
"""

from __future__ import annotations

import importlib.util
import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

PACKAGE = "ja_ginza"
#: Changes whenever the vectors or how words map to them change (part of cache keys).
VECTORS_VERSION = "ja_ginza-5.3.0-chive"
_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


class VectorsMissing(RuntimeError):
    """The word vectors package is not installed."""


def murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy keys its strings with (seed 1)."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    blocks = n // 8
    for i in range(blocks):
        k = int.from_bytes(data[i * 8 : i * 8 + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    rest = data[blocks * 8 :]
    if rest:
        h ^= int.from_bytes(rest, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def vocab_dir() -> Path:
    """The folder of the installed wheel's vectors (without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise VectorsMissing(
            "the Japanese word vectors (PyPI package ja-ginza) are not installed: "
            "run pip install -e ."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.glob("ja_ginza-*/vocab/vectors"))
    if not found:
        raise VectorsMissing(f"no vectors under {root}")
    return found[-1].parent


def read_key2row(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The msgpack map of uint64 keys to rows, as sorted key and row arrays."""
    data = path.read_bytes()
    if data[0] == 0xDF:
        (count,) = struct.unpack_from(">I", data, 1)
        pos = 5
    elif data[0] == 0xDE:
        (count,) = struct.unpack_from(">H", data, 1)
        pos = 3
    else:
        raise ValueError("key2row is not a msgpack map")
    keys = np.empty(count, dtype=np.uint64)
    rows = np.empty(count, dtype=np.int32)
    for i in range(count):
        keys[i], pos = _uint(data, pos)
        rows[i], pos = _uint(data, pos)
    order = np.argsort(keys)
    return keys[order], rows[order]


def _uint(data: bytes, pos: int) -> tuple[int, int]:
    tag = data[pos]
    if tag < 0x80:
        return tag, pos + 1
    size = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}.get(tag)
    if size is None:
        raise ValueError(f"unexpected msgpack tag {tag:#x}")
    return int.from_bytes(data[pos + 1 : pos + 1 + size], "big"), pos + 1 + size


class WordVectors:
    """Unit-length word vectors and a word → row lookup (cached per word)."""

    def __init__(self, matrix: np.ndarray, keys: np.ndarray, rows: np.ndarray):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = (matrix / np.maximum(norms, 1e-9)).astype(np.float32)
        self.keys = keys
        self.rows = rows
        self._row: dict[str, int] = {}

    @property
    def dim(self) -> int:
        return self.matrix.shape[1]

    @classmethod
    def load(cls, directory: Path | None = None) -> WordVectors:
        directory = directory or vocab_dir()
        matrix = np.load(directory / "vectors")
        keys, rows = _cached_key2row(directory)
        return cls(matrix, keys, rows)

    def _lookup(self, word: str) -> int:
        key = np.uint64(murmur64a(word.encode("utf-8")))
        i = int(np.searchsorted(self.keys, key))
        return int(self.rows[i]) if i < len(self.keys) and self.keys[i] == key else -1

    def row(self, word: str) -> int:
        """The vector row of ``word`` (trying its case variants), or -1."""
        row = self._row.get(word)
        if row is None:
            row = -1
            for variant in dict.fromkeys((word, word.upper(), word.capitalize(), word.lower())):
                row = self._lookup(variant)
                if row >= 0:
                    break
            self._row[word] = row
        return row


def _cached_key2row(directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """key2row parsed once and kept beside the user's other matcher caches as .npz."""
    from .cache import cache_dir

    target = cache_dir() / f"key2row-{VECTORS_VERSION}.npz"
    try:
        with np.load(target) as data:
            return data["keys"], data["rows"]
    except (OSError, KeyError, ValueError):
        pass
    keys, rows = read_key2row(directory / "key2row")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, rows=rows)
        tmp.replace(target)
    except OSError:
        pass  # a read-only cache folder only costs the parse next time
    return keys, rows


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    """The process-wide vectors (about 25 MB), loaded on first use."""
    return WordVectors.load()
