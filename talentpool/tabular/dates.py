"""Date parsing for imports: ISO and slash dates, 2026年4月1日, and 和暦 (令和・平成・昭和)."""

import re
from datetime import date, datetime

from talentpool.tabular import messages as msg
from talentpool.text import normalize

# era: (first day, last day); 元年 is year 1
_ERAS: dict[str, tuple[date, date | None]] = {
    "令和": (date(2019, 5, 1), None),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
}
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}

_TIME = r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_WESTERN = [
    re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})" + _TIME),
    re.compile(r"([0-9]{4}) ?年 ?([0-9]{1,2}) ?月 ?([0-9]{1,2}) ?日"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
]
_WAREKI = re.compile(
    r"(令和|平成|昭和|[RHS]) ?(元|[0-9]{1,2}) ?[年./-] ?([0-9]{1,2}) ?[月./-] ?([0-9]{1,2}) ?日?",
    re.IGNORECASE,
)


def parse_date(value: str | date | None) -> date | None:
    """Parse a date cell: Excel dates, 2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 20260401,
    令和8年4月1日, R8.4.1, 令和元年5月1日, 平成31年4月30日, 昭和64年1月7日.

    Impossible dates, dates outside their era and dates outside 1900..2100 are rejected.
    Empty gives None.
    """
    if isinstance(value, datetime):
        return _in_range(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return _in_range(value, value.isoformat())
    text = normalize(value or "")
    if not text:
        return None
    for pattern in _WESTERN:
        if match := pattern.fullmatch(text):
            year, month, day = map(int, match.groups())
            return _in_range(_make(year, month, day, text), text)
    if match := _WAREKI.fullmatch(text):
        era = _ERA_LETTERS.get(match[1].upper(), match[1])
        first, last = _ERAS[era]
        era_year = 1 if match[2] == "元" else int(match[2])
        result = _make(first.year + era_year - 1, int(match[3]), int(match[4]), text)
        if result < first or (last is not None and result > last):
            span = f"{_ja(first)}〜{_ja(last) if last else ''}"
            raise ValueError(msg.ERA_RANGE.format(value=text, era=era, span=span))
        return _in_range(result, text)  # 令和99年 is 2117
    raise ValueError(msg.DATE_FORMAT.format(value=text[:40]))


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(msg.DATE_IMPOSSIBLE.format(value=text)) from None


def _in_range(result: date, text: str) -> date:
    if not 1900 <= result.year <= 2100:
        raise ValueError(msg.DATE_RANGE.format(value=text))
    return result


def _ja(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
