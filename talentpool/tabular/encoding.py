"""Which text encoding a CSV file is in: UTF-8 (with or without BOM), UTF-16 with a BOM, or
CP932 (Shift_JIS); anything else is refused with a message that says what to do.

Read naively as CP932, an EUC-JP file or one that mixes UTF-8 and CP932 lines decodes without
error into garbled names (山田 太郎 → ｻｳﾅﾄ ﾂﾀﾏｺ, 螻ｱ逕ｰ 螟ｪ驛…); both are recognised here.
"""

import codecs
import re
from collections import Counter

from talentpool.tabular import messages as msg

# single bytes that cp932 decodes to C1 controls or private use: a sign the file is not CP932
_NOT_TEXT = re.compile("[\x00\x80-\x9f\uf8f0-\uf8f3]")
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
#: Characters Japanese text is made of, beyond ASCII: CJK punctuation, kana, ideographs and
#: full-width forms.
_JAPANESE = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
#: An EUC-JP reading counts as Japanese text when this share of its characters beyond ASCII
#: are kana, punctuation, full-width letters or JIS level-1 kanji (genuine text: nearly all;
#: CP932 half-width katakana that happen to decode as EUC-JP: about half).
_EUC_COMMON_SHARE = 0.9
_MIN_EVIDENCE = 6  # characters beyond ASCII needed before a file is called EUC-JP


class UnreadableText(ValueError):
    """The bytes are not text in an encoding we read; `str(error)` is the user's message."""


def decode(data: bytes) -> str:
    """The file's text; raises `UnreadableText` unless it is UTF-8, UTF-16 with a BOM, or
    CP932."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode テキスト"
        text = _strict(data, "utf-16")
        if text is None or _NOT_TEXT.search(text):
            raise UnreadableText(msg.ENCODING)
        return text
    text = _strict(data, "utf-8-sig")
    if text is not None:
        if _NOT_TEXT.search(text):
            raise UnreadableText(msg.ENCODING)
        return text
    if _mixes_utf8_lines(data):
        raise UnreadableText(msg.ENCODING_MIXED)
    cp932, euc = _strict(data, "cp932"), _strict(data, "euc_jp")
    if cp932 is not None and not _NOT_TEXT.search(cp932):
        if euc is not None and _is_euc_text(euc, cp932):
            raise UnreadableText(msg.ENCODING_EUC_JP)
        return cp932
    if euc is not None and not _NOT_TEXT.search(euc):
        raise UnreadableText(msg.ENCODING_EUC_JP)
    raise UnreadableText(msg.ENCODING)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_japanese_utf8(line: bytes) -> bool:
    """The line is valid UTF-8 whose characters beyond ASCII are Japanese (CP932 bytes seldom
    form valid UTF-8, and then as accented Latin letters rather than kana or kanji)."""
    text = _strict(line, "utf-8")
    if text is None:
        return False
    beyond = [ch for ch in text if ord(ch) > 0x7F]
    return bool(beyond) and all(_JAPANESE.match(ch) for ch in beyond)


def _mixes_utf8_lines(data: bytes) -> bool:
    """Some lines are Japanese in UTF-8, others are not UTF-8 at all (two files joined)."""
    utf8 = other = False
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        if _is_japanese_utf8(line.removeprefix(codecs.BOM_UTF8)):
            utf8 = True
        elif _strict(line, "utf-8") is None:
            other = True
        if utf8 and other:
            return True
    return False


def _is_euc_text(euc: str, cp932: str) -> bool:
    """Both readings decode: the EUC-JP one is Japanese text, and half-width katakana show up
    on one side (EUC-JP's two-byte characters look like them to CP932; EUC-JP's own half-width
    katakana look like kanji to CP932)."""
    beyond = Counter(ch for ch in euc if ord(ch) > 0x7F)
    total = sum(beyond.values())
    if total < _MIN_EVIDENCE or not (_HALFWIDTH_KANA.search(cp932) or _HALFWIDTH_KANA.search(euc)):
        return False
    common = sum(count for ch, count in beyond.items() if _common_euc(ch))
    return common >= _EUC_COMMON_SHARE * total


def _common_euc(ch: str) -> bool:
    """Punctuation, full-width letters, kana (EUC rows 1, 3–5), level-1 kanji (rows 16–47) or
    half-width katakana (EUC's SS2)."""
    try:
        lead = ch.encode("euc_jp")[0]
    except UnicodeEncodeError:
        return False
    return lead in (0x8E, 0xA1, 0xA3, 0xA4, 0xA5) or 0xB0 <= lead <= 0xCF
