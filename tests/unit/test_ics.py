"""The hand-written iCalendar: escaping, folding at 75 octets, CRLF, all-day periods."""

from datetime import date, datetime

from talentpool.offers.calendar import Event, escape, fold, to_ics


def test_escape_text_values():
    assert escape("a,b;c\\d\n次") == "a\\,b\\;c\\\\d\\n次"


def test_fold_never_exceeds_75_octets_nor_splits_a_character():
    line = "SUMMARY:" + "盛岡市の標準化移行支援" * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0]] + [p[1:] for p in parts[1:]]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_calendar_document():
    event = Event(
        uid="assignment-7@example.jp",
        start=date(2025, 6, 1),
        end=date(2026, 3, 31),
        summary="派遣: 盛岡市 窓口DX",
        description="月20時間\n打合せ",
        url="http://x/1",
    )
    text = to_ics([event], datetime(2025, 5, 1, 12, 0), "派遣予定")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART;VALUE=DATE:20250601" in lines
    assert "DTEND;VALUE=DATE:20260401" in lines  # exclusive end: the day after
    assert "DTSTAMP:20250501T120000Z" in lines
    assert "DESCRIPTION:月20時間\\n打合せ" in lines
    assert text.count("BEGIN:VEVENT") == 1 and "UID:assignment-7@example.jp" in lines
