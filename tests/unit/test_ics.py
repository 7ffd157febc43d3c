"""The iCalendar feed: escaping, folding at 75 octets, CRLF, all-day periods."""

from datetime import date, datetime

from talentpool.offers.calendar import Event, to_ics


def _event(**changes) -> Event:
    values = {
        "uid": "assignment-7@example.jp",
        "start": date(2025, 6, 1),
        "end": date(2026, 3, 31),
        "summary": "派遣: 盛岡市 窓口DX",
    }
    return Event(**(values | changes))


def _unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escape_text_values():
    text = to_ics([_event(summary="a,b;c\\d\n次")], datetime(2025, 5, 1), "派遣予定")
    assert "SUMMARY:a\\,b\\;c\\\\d\\n次" in _unfolded(text)


def test_fold_never_exceeds_75_octets_nor_splits_a_character():
    summary = "盛岡市の標準化移行支援" * 10
    text = to_ics([_event(summary=summary)], datetime(2025, 5, 1), "派遣予定")
    parts = text.split("\r\n")
    start = next(i for i, p in enumerate(parts) if p.startswith("SUMMARY:"))
    assert parts[start + 1].startswith(" ")  # folded
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert f"SUMMARY:{summary}" in _unfolded(text)  # nothing lost, no character split
    assert "UID:assignment-7@example.jp" in parts  # short lines stay whole


def test_calendar_document():
    event = _event(description="月20時間\n打合せ", url="http://x/1")
    text = to_ics([event], datetime(2025, 5, 1, 12, 0), "派遣予定")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART;VALUE=DATE:20250601" in lines
    assert "DTEND;VALUE=DATE:20260401" in lines  # exclusive end: the day after
    assert "DTSTAMP:20250501T120000Z" in lines
    assert "DESCRIPTION:月20時間\\n打合せ" in lines
    assert "URL:http://x/1" in lines and "X-WR-CALNAME:派遣予定" in lines
    assert text.count("BEGIN:VEVENT") == 1 and "UID:assignment-7@example.jp" in lines
