"""Japanese word analysis for the semantic score: SudachiPy (mode A) content words.

Each text becomes its nouns (common and proper; no particles, verbs, symbols or numbers)
in Sudachi's normalised form, so 手続/手続き and 受付/受け付け are one word, and ＬＧＷＡＮ is
lgwan. Verbs and adjectives were tried and left out: 行う, 支援する, 進める say little about
the field of work and blurred the document vectors (bench/match_quality.py). The
dictionary is loaded on first use, once per process; tokenisers are per thread (gunicorn
may run threads).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

#: Part-of-speech prefixes kept as content words (Sudachi's first two levels).
CONTENT_POS = (("名詞", "普通名詞"), ("名詞", "固有名詞"))
#: Very frequent words that say nothing about the work (checked on the normalised form).
STOP_WORDS = frozenset(
    "こと もの ため よう 等 など 方 際 中 上 下 前 後 他 的 者 年 月 日 時 件 名 人 回 度 "
    "様 さん 行う 有る 居る 成る 出来る 思う 考える 言う 係る 関する 対する 於く 為る 致す".split()
)
#: Longest text handed to Sudachi at once (it refuses inputs near 49 KB).
MAX_CHUNK = 4000
_SENTENCE_END = re.compile(r"(?<=[。!?!?\n])")


@lru_cache(maxsize=1)
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


@lru_cache(maxsize=1)
def _content_pos_ids() -> frozenset[int]:
    dictionary = _dictionary()
    ids = set()
    for pos_id in range(10_000):
        try:
            pos = dictionary.pos_of(pos_id)
        except (IndexError, ValueError):
            break
        if pos is None:
            break
        if any(pos[: len(p)] == p for p in CONTENT_POS):
            ids.add(pos_id)
    return frozenset(ids)


class Analyzer:
    """Content words of a text; thread-safe, one Sudachi tokeniser per thread."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _tokenizer(self):
        tokenizer = getattr(self._local, "tokenizer", None)
        if tokenizer is None:
            from sudachipy import SplitMode

            tokenizer = _dictionary().create(mode=SplitMode.A)
            self._local.tokenizer = tokenizer
        return tokenizer

    def terms(self, text: str) -> list[str]:
        """Content words of ``text`` in order, normalised (duplicates kept: counts matter)."""
        tokenizer = self._tokenizer()
        keep = _content_pos_ids()
        out: list[str] = []
        for chunk in _chunks(unicodedata.normalize("NFKC", text or "")):
            for m in tokenizer.tokenize(chunk):
                if m.part_of_speech_id() not in keep:
                    continue
                word = m.normalized_form()
                if word not in STOP_WORDS and not word.isdigit():
                    out.append(word)
        return out


def _chunks(text: str) -> Iterable[str]:
    """``text`` in pieces Sudachi accepts, cut at sentence ends where possible."""
    if len(text) <= MAX_CHUNK:
        if text.strip():
            yield text
        return
    piece = ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > MAX_CHUNK:
            yield sentence[:MAX_CHUNK]
            sentence = sentence[MAX_CHUNK:]
        if len(piece) + len(sentence) > MAX_CHUNK:
            yield piece
            piece = ""
        piece += sentence
    if piece.strip():
        yield piece


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as written (split at 。!? and line breaks), trimmed."""
    parts = (s.strip(" \u3000\t\r\n・-") for s in _SENTENCE_END.split(text or ""))
    return [p for p in parts if p]


@lru_cache(maxsize=1)
def analyzer() -> Analyzer:
    """The process-wide analyzer."""
    return Analyzer()
