"""Text normalisation for matching: NFKC, lower case, punctuation to spaces.

NFKC folds 全角/半角 letters, digits and katakana (ＡＷＳ → AWS, ｶﾞ → ガ). Accents are
never stripped: that would turn ガ into カ.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[\s、。,.・/\\|()\[\]{}「」『』【】〈〉《》\"'“”‘’:;!?~〜※*+=<>#&%@^`]+")


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised, lower-cased, with punctuation runs as one space."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return _PUNCT.sub(" ", folded).strip()
