"""Value parsers for import columns.

A parser takes one cell (a string, or a date from an Excel date cell) and returns the Python value,
or raises `ValueError` whose message (Japanese) is shown to the user against that row and column.
Input is NFKC-normalised first, so 全角 digits and letters work. Empty cells give None (or [] for
lists); whether a value is required is the schema's business, not the parser's.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from talentpool import lgcode
from talentpool.tabular import messages as msg
from talentpool.tabular.dates import parse_date as parse_date  # re-exported
from talentpool.tabular.reading import Cell
from talentpool.text import normalize, search_key

Parser = Callable[[Cell], Any]

_TRUE = {"true", "t", "1", "yes", "y", "on", "はい", "○", "〇", "◯", "有", "有り", "あり"}
_FALSE = {"false", "f", "0", "no", "n", "off", "いいえ", "×", "✕", "x", "無", "無し", "なし"}
_INT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0*)?")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


def text_of(value: Cell | None) -> str:
    """Return a cell as normalised text (dates as ISO strings, None as "")."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return normalize(str(value))


def show(value: Cell | None, limit: int = 40) -> str:
    """Return a cell shortened for quoting inside an error message."""
    text = text_of(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_bool(value: Cell) -> bool | None:
    """Parse はい/いいえ, ○/×, 有/無, 1/0, true/false, yes/no, y/n (any case); empty gives None."""
    text = text_of(value).casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(msg.BOOL.format(value=show(value)))


def parse_int(*, min: int | None = None, max: int | None = None) -> Parser:
    """Make a parser for integers such as "１２０", "120.0" or "1,200", optionally bounded."""

    def parser(value: Cell) -> int | None:
        text = text_of(value).replace("\u2212", "-")
        if not text:
            return None
        if not _INT.fullmatch(text):
            raise ValueError(msg.INT.format(value=show(value)))
        number = int(text.replace(",", "").split(".")[0])
        too_small = min is not None and number < min
        too_large = max is not None and number > max
        if too_small or too_large:
            if min is not None and max is not None:
                template = msg.INT_BETWEEN
            else:
                template = msg.INT_MIN if min is not None else msg.INT_MAX
            raise ValueError(template.format(min=min, max=max, value=show(value)))
        return number

    return parser


def parse_str(max_length: int | None = None, *, multiline: bool = False) -> Parser:
    """Make a parser for text: normalised, empty gives None; `multiline` keeps line breaks."""

    def parser(value: Cell) -> str | None:
        if multiline and isinstance(value, str):
            lines = (normalize(line) for line in value.splitlines())
            text = "\n".join(lines).strip("\n")
        else:
            text = text_of(value)
        if not text:
            return None
        if max_length is not None and len(text) > max_length:
            raise ValueError(msg.TOO_LONG.format(max_length=max_length, length=len(text)))
        return text

    return parser


def parse_email(value: Cell) -> str | None:
    """Parse an e-mail address (full-width ＠ allowed); returns it lowercased, empty gives None."""
    text = text_of(value).lower()
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        raise ValueError(msg.EMAIL.format(value=show(value)))
    return text


def parse_choice(mapping: Mapping[str, Iterable[str]]) -> Parser:
    """Make a parser mapping any accepted spelling (code or alias) to its canonical code.

    `mapping` is {code: aliases}, e.g. {"staff": ["常勤職員", "職員"], "external": ["外部人材"]}.
    """
    lookup: dict[str, str] = {}
    shown: list[str] = []
    for code, aliases in mapping.items():
        spellings = list(dict.fromkeys([code, *aliases]))
        shown.append(" / ".join(spellings))
        for spelling in spellings:
            lookup[search_key(spelling)] = code
    accepted = "、".join(shown)

    def parser(value: Cell) -> str | None:
        key = search_key(text_of(value))
        if not key:
            return None
        if key not in lookup:
            raise ValueError(msg.CHOICE.format(value=show(value), accepted=accepted))
        return lookup[key]

    return parser


def parse_list(sep: str = ";；、,，", *, lookup: Mapping[str, str] | None = None) -> Parser:
    """Make a parser splitting a cell on any character of `sep`, trimming and dropping empties.

    With `lookup` ({spelling: code}, e.g. skill codes and Japanese labels both mapping to the
    code) each item is mapped through it and unknown items are reported by name.
    Duplicates are dropped, order is kept.
    """
    splitter = re.compile("[" + re.escape("".join(sorted(set(sep + normalize(sep))))) + "]")
    keys = {search_key(k): v for k, v in (lookup or {}).items()}
    codes = ", ".join(dict.fromkeys((lookup or {}).values()))

    def parser(value: Cell) -> list[str]:
        items = [item.strip() for item in splitter.split(text_of(value))]
        items = [item for item in items if item]
        if lookup is not None:
            unknown = [item for item in items if search_key(item) not in keys]
            if unknown:
                items = "、".join(map(show, unknown))
                raise ValueError(msg.LIST_UNKNOWN_CODES.format(items=items, codes=codes))
            items = [keys[search_key(item)] for item in items]
        return list(dict.fromkeys(items))

    return parser


def parse_lg_code(value: Cell) -> str | None:
    """Parse a 6-digit 全国地方公共団体コード, checking its check digit.

    A 5-digit value is accepted only as a code whose leading zero Excel dropped (11002 → 011002),
    i.e. when the zero-padded code is valid; codes without check digit are rejected.
    """
    text = text_of(value)
    if not text:
        return None
    if re.fullmatch(r"[0-9]{5}", text) and lgcode.is_valid("0" + text):
        return "0" + text
    if not re.fullmatch(r"[0-9]{6}", text):
        raise ValueError(msg.LG_CODE_FORMAT.format(value=show(value)))
    if not lgcode.is_valid(text):
        raise ValueError(msg.LG_CODE_CHECK.format(value=text))
    return text


def parse_prefecture_code(value: Cell) -> str | None:
    """Parse a prefecture code "3", "03" or its 6-digit lg_code "030007" into "03" (01..47)."""
    text = text_of(value)
    if not text:
        return None
    if re.fullmatch(r"[0-9]{5,6}", text):
        code6 = text.zfill(6)
        if lgcode.is_valid(code6) and code6[2:5] == "000":
            return code6[:2]
    elif re.fullmatch(r"[0-9]{1,2}", text) and 1 <= int(text) <= 47:
        return text.zfill(2)
    raise ValueError(msg.PREFECTURE_CODE.format(value=show(value)))
