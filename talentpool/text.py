"""Text normalisation shared by imports, forms and search.

Japanese input mixes full-width (全角) and half-width (半角) forms of the same letters and digits;
NFKC folds them together so "ＡＢＣ１２３" and "ABC123" are the same thing wherever we match.
"""

import re
import unicodedata

_WHITESPACE = re.compile(r"\s+")


def normalize(s: str) -> str:
    """Return `s` NFKC-normalised, stripped, with every run of whitespace collapsed to one space."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", s)).strip()


def search_key(s: str) -> str:
    """Return the form of `s` used for case-insensitive matching (normalised and casefolded)."""
    return normalize(s).casefold()
