"""Tests for talentpool.tabular (reading, schema mapping, parsers, writing), lgcode and text."""

import io
import time
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentpool import lgcode
from talentpool.tabular import (
    Column,
    RowError,
    Schema,
    TableError,
    neutralize,
    parse,
    parse_bool,
    parse_choice,
    parse_date,
    parse_email,
    parse_int,
    parse_lg_code,
    parse_list,
    parse_prefecture_code,
    parse_str,
    read_table,
    reading,
    unguard,
    write_csv,
    write_xlsx,
)
from talentpool.tabular import messages as msg
from talentpool.text import normalize, search_key


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- text and lgcode -------------------------------------------------------------------------


def test_normalize_folds_width_and_whitespace():
    assert normalize("  ＡＢＣ　１２３\t\n ｶﾅ ") == "ABC 123 カナ"
    assert search_key("Ｔａｒｏ  YAMADA") == "taro yamada"


@pytest.mark.parametrize("code", ["011002", "012131", "131016", "010006", "130001", "470007"])
def test_lgcode_valid_examples(code):
    assert lgcode.is_valid(code)
    assert lgcode.check_digit(code[:5]) == code[5]


@pytest.mark.parametrize("code", ["011003", "481234", "000000", "01100", "0110021", "０１１００２"])
def test_lgcode_invalid(code):
    assert not lgcode.is_valid(code)


def test_lgcode_prefecture_code():
    assert lgcode.prefecture_code("131016") == "13"
    with pytest.raises(ValueError):
        lgcode.prefecture_code("011003")
    with pytest.raises(ValueError):
        lgcode.check_digit("1234")


# --- reading CSV ------------------------------------------------------------------------------


def test_cp932_csv_with_crlf_and_japanese_headers():
    text = (
        "氏名,ふりがな,種別\r\n"
        "髙橋 一郎,たかはし いちろう,常勤職員\r\n"
        "渡邉 ①子,わたなべ,外部人材\r\n"
    )
    table = read_table(text.encode("cp932"), "人材.csv")
    assert table.header == ["氏名", "ふりがな", "種別"]
    assert table.rows == [
        ["髙橋 一郎", "たかはし いちろう", "常勤職員"],
        ["渡邉 ①子", "わたなべ", "外部人材"],
    ]
    assert table.row_numbers == [2, 3]


def test_utf8_with_bom():
    table = read_table("\ufeff氏名,メール\n山田,a@example.jp\n".encode(), "x.CSV")
    assert table.header == ["氏名", "メール"]
    assert table.rows == [["山田", "a@example.jp"]]


def test_utf8_without_bom_and_tab_separated_txt():
    table = read_table("氏名\t時間\n山田\t10\n".encode(), "x.txt")
    assert table.header == ["氏名", "時間"]
    assert table.rows == [["山田", "10"]]


def test_blank_rows_skipped_but_row_numbers_follow_excel():
    data = b'id,note\r\n\r\n,\r\n1,"two\r\nlines"\r\n2,x\r\n'
    table = read_table(data, "x.csv")
    assert table.rows == [["1", "two\r\nlines"], ["2", "x"]]
    assert table.row_numbers == [4, 5]


def test_header_only_file_gives_no_rows():
    table = read_table(b"a,b\r\n", "x.csv")
    assert table.header == ["a", "b"] and table.rows == []


@pytest.mark.parametrize(
    "data",
    [
        b"\x82\xa0\x85\x40\xff",  # neither UTF-8 nor CP932 (0x8540 is unassigned)
        b"name\n\x80\x80\x80",  # decodes as CP932 only to C1 control characters
        "名前\n山田".encode("utf-16-le"),  # UTF-16 without BOM: NULs everywhere
    ],
)
def test_undecodable_csv_raises_japanese_error(data):
    with pytest.raises(TableError) as excinfo:
        read_table(data, "x.csv")
    assert str(excinfo.value) == msg.ENCODING


@pytest.mark.parametrize(
    "text",
    [
        "管理番号,氏名,ふりがな\r\nT1,山田 太郎,やまだ たろう\r\n",
        "name\r\n山田太郎\r\n盛岡市役所\r\n",
        "external_id,name\r\nT1,ｻｲﾄｳ ﾊﾅｺ\r\nT2,ｽｽﾞｷ ｲﾁﾛｳ\r\n",  # half-width katakana
    ],
)
def test_euc_jp_is_refused_and_cp932_still_read(text):
    """EUC-JP used to be read as CP932 (山田 太郎 → ｻｳﾅﾄ ﾂﾀﾏｺ) and previewed as new rows."""
    with pytest.raises(TableError) as excinfo:
        read_table(text.encode("euc_jp"), "x.csv")
    assert str(excinfo.value) == msg.ENCODING_EUC_JP and "文字コード" in str(excinfo.value)
    table = read_table(text.encode("cp932"), "x.csv")
    assert table.rows == read_table(text.encode("utf-8"), "x.csv").rows


def test_cp932_with_windows_characters_is_read():
    text = "氏名,備考\r\n髙橋 﨑,①②\r\nﾔﾏﾀﾞ ﾀﾛｳ,ｶﾅ\r\n"
    assert read_table(text.encode("cp932"), "x.csv").rows == [
        ["髙橋 﨑", "①②"],
        ["ﾔﾏﾀﾞ ﾀﾛｳ", "ｶﾅ"],
    ]


@pytest.mark.parametrize("utf8_first", [True, False])
def test_utf8_and_cp932_lines_mixed_are_refused(utf8_first):
    """Two files joined: read as CP932, the UTF-8 line became 螻ｱ逕ｰ 螟ｪ驛."""
    lines = ["管理番号,氏名\r\n", "T1,山田 太郎\r\n", "T2,鈴木 花子\r\n"]
    first, second = ("utf-8", "cp932") if utf8_first else ("cp932", "utf-8")
    data = (lines[0] + lines[1]).encode(first) + lines[2].encode(second)
    with pytest.raises(TableError) as excinfo:
        read_table(data, "x.csv")
    assert str(excinfo.value) == msg.ENCODING_MIXED


def test_utf16_with_bom_is_read():
    data = "名前\t時間\r\n山田\t3\r\n".encode("utf-16")
    assert read_table(data, "x.txt").rows == [["山田", "3"]]


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b" , ,\r\n"])
def test_empty_file_raises(data):
    with pytest.raises(TableError, match="見出し行がありません"):
        read_table(data, "x.csv")


def test_unknown_extension_raises():
    with pytest.raises(TableError, match=r"\.xls"):
        read_table(b"whatever", "old.xls")
    with pytest.raises(TableError):
        read_table(b"a,b", "noextension")


def test_row_limit():
    data = b"id\n1\n2\n3\n"
    assert len(read_table(data, "x.csv", max_rows=3).rows) == 3
    with pytest.raises(TableError, match="上限 2 行"):
        read_table(data, "x.csv", max_rows=2)


def test_csv_with_nul_byte_is_rejected():
    with pytest.raises(TableError):
        read_table(b"a,b\n1,\x00\n", "x.csv")


# --- reading xlsx -----------------------------------------------------------------------------


def test_xlsx_values_are_converted_sensibly():
    data = xlsx_bytes(
        [
            ["ID", "氏名", "時間", "率", "開始日", "日時", "可否"],
            [3.0, "山田", 120, 1.5, date(2026, 4, 1), datetime(2026, 4, 1, 9, 30), True],
            [],
            [11002, "佐藤", None, None, datetime(2026, 5, 1), None, False],
        ]
    )
    table = read_table(data, "book.xlsx")
    assert table.header == ["ID", "氏名", "時間", "率", "開始日", "日時", "可否"]
    assert table.rows[0] == [
        "3",
        "山田",
        "120",
        "1.5",
        date(2026, 4, 1),
        datetime(2026, 4, 1, 9, 30),
        "TRUE",
    ]
    assert table.rows[1] == ["11002", "佐藤", "", "", date(2026, 5, 1), "", "FALSE"]
    assert table.row_numbers == [2, 4]


def test_xlsx_float_cells_with_integer_values_lose_the_point():
    # openpyxl writes 3.0 as "3"; Excel itself may store "3.0" or "1E3", which read back as floats
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["a", "b", "c"], [3, 1000, 0.1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>3</v>", b"<v>3.0</v>")
                content = content.replace(b"<v>1000</v>", b"<v>1E3</v>")
            archive.writestr(info, content)
    assert read_table(buffer.getvalue(), "x.xlsx").rows == [["3", "1000", "0.1"]]


def test_xlsx_reads_first_sheet_only():
    workbook = openpyxl.Workbook()
    workbook.active.append(["first"])
    workbook.create_sheet("second").append(["second"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "x.xlsx").header == ["first"]


def test_xlsx_row_limit():
    data = xlsx_bytes([["id"], [1], [2], [3]])
    with pytest.raises(TableError, match="上限 2 行"):
        read_table(data, "x.xlsx", max_rows=2)


def test_sparse_xlsx_is_read_by_the_rows_present():
    """Only the header and the far cell are in the file: two rows read, no million padded."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id", "name"])
    sheet.cell(row=1048576, column=1, value="x")
    sheet.cell(row=1048576, column=300, value="beyond MAX_COLUMNS, ignored")
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert time.perf_counter() - started < 5  # 52 s before (openpyxl padded every row)
    assert table.rows == [["x"]] and table.row_numbers == [1048576]


def test_present_rows_count_towards_a_limit_even_when_empty():
    # rows that only carry a style are present in the file, though they hold no value
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["id"])
    for row in range(2, 30):
        sheet.cell(row=row, column=1).number_format = "0.00"
    sheet.cell(row=30, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(TableError, match=r"空の行を含めて行が多すぎます\(上限 20 行\)"):
        read_table(buffer.getvalue(), "x.xlsx", max_rows=10)
    assert read_table(buffer.getvalue(), "x.xlsx", max_rows=15).row_numbers == [30]
    csv_data = b"id\r\n" + b"\r\n" * 28 + b"x\r\n"
    with pytest.raises(TableError, match=r"上限 20 行"):
        read_table(csv_data, "x.csv", max_rows=10)
    assert read_table(csv_data, "x.csv", max_rows=15).row_numbers == [30]


def test_csv_rows_are_cut_at_max_columns():
    data = b"a,b\r\n" + b"1," * 10_000 + b"2\r\n"
    assert len(read_table(data, "x.csv").rows[0]) == reading.MAX_COLUMNS


def test_empty_xlsx_raises():
    with pytest.raises(TableError, match="見出し行がありません"):
        read_table(xlsx_bytes([]), "x.xlsx")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"id,name\n1,yamada\n",
        b"PK\x03\x04garbage",
        _zip({"hello.txt": b"not a workbook"}),
        xlsx_bytes([["a"], [1]])[:400],  # truncated download
    ],
)
def test_non_xlsx_named_xlsx_raises(data):
    with pytest.raises(TableError) as excinfo:
        read_table(data, "x.xlsx")
    assert str(excinfo.value) == msg.NOT_XLSX


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose sheet inflates to 101 MB of zeros."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["a"], [1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, good.read(info.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (1 << 20)
            for _ in range(101):
                sheet.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_rejected_before_openpyxl_opens_it(zip_bomb, monkeypatch):
    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(reading.openpyxl, "load_workbook", must_not_open)
    assert len(zip_bomb) < 200_000
    started = time.perf_counter()
    with pytest.raises(TableError) as excinfo:
        read_table(zip_bomb, "bomb.xlsx")
    assert str(excinfo.value) == msg.XLSX_TOO_LARGE.format(limit_mb=100)
    assert time.perf_counter() - started < 1


def test_high_compression_ratio_rejected():
    data = _zip({"xl/worksheets/sheet1.xml": b"\0" * (5 << 20)})
    with pytest.raises(TableError, match="大きすぎます"):
        read_table(data, "x.xlsx")


# --- schema and parse -------------------------------------------------------------------------

SKILLS = {
    "cloud": "cloud",
    "クラウド": "cloud",
    "security": "security",
    "情報セキュリティ対策": "security",
}
KINDS = {"staff": ["常勤職員", "職員"], "external": ["外部人材"], "company": ["企業"]}
SCHEMA = Schema(
    [
        Column("external_id", ("外部ID", "ID"), required=True, label_ja="外部ID"),
        Column("name", ("氏名", "名前"), required=True, label_ja="氏名"),
        Column("kana", ("ふりがな",), label_ja="ふりがな"),
        Column("kind", ("種別",), required=True, parser=parse_choice(KINDS), label_ja="種別"),
        Column("hours", ("稼働時間",), parser=parse_int(min=0, max=160), label_ja="稼働時間"),
        Column("start", ("開始日",), parser=parse_date, label_ja="開始日"),
        Column("remote", ("リモート可",), parser=parse_bool, label_ja="リモート可"),
        Column("skills", ("スキル",), parser=parse_list(lookup=SKILLS), label_ja="スキル"),
        Column("email", ("メール", "メールアドレス"), parser=parse_email, label_ja="メール"),
    ],
    unique=("external_id",),
)


def parse_csv(text: str):
    return parse(read_table(text.encode("cp932"), "x.csv"), SCHEMA)


def test_parse_clean_file():
    result = parse_csv(
        "ＩＤ, 氏 名 ,種別,稼働時間,開始日,リモート可,スキル,EMAIL\r\n"
        "A001,山田 太郎,常勤職員,１２０,令和8年4月1日,○,クラウド；security,Taro@Example.JP\r\n"
    )
    assert result.ok and result.errors == [] and result.notes == []
    [row] = result.rows
    assert row.row_number == 2
    assert row.values == {
        "external_id": "A001",
        "name": "山田 太郎",
        "kind": "staff",
        "hours": 120,
        "start": date(2026, 4, 1),
        "remote": True,
        "skills": ["cloud", "security"],
        "email": "taro@example.jp",
    }
    assert "kana" not in row.values  # absent column, not a blank one


def test_row_errors_carry_excel_row_and_label():
    result = parse_csv(
        "外部ID,氏名,種別,稼働時間,開始日,スキル\r\n"
        "A001,山田,職員,10,2026/4/1,cloud\r\n"
        "\r\n"
        "A002,佐藤,職員,999,2026/2/30,cloud\r\n"
        "A003,,アルバイト,5,,量子計算\r\n"
        "A004,鈴木,企業,,,\r\n"
    )
    assert not result.ok
    assert [r.row_number for r in result.rows] == [2, 6]
    assert result.rows[1].values["hours"] is None and result.rows[1].values["skills"] == []
    where = [(e.row, e.column_label) for e in result.errors]
    assert where == [(4, "稼働時間"), (4, "開始日"), (5, "氏名"), (5, "種別"), (5, "スキル")]
    messages = [e.message for e in result.errors]
    assert "0以上160以下" in messages[0]
    assert "存在しない日付" in messages[1]
    assert messages[2] == msg.REQUIRED_VALUE
    assert "常勤職員" in messages[3]
    assert "量子計算" in messages[4]
    assert str(result.errors[0]).startswith("4行目『稼働時間』: ")


def test_unknown_and_blank_columns_become_notes():
    result = parse_csv("外部ID,氏名,種別,備考,,メール\r\nA1,山田,企業,メモ,x,a@b.jp\r\n")
    assert result.ok
    assert result.notes == [
        "列『備考』は取り込み対象外のため無視しました",
        "5列目は見出しが空のため無視しました",
    ]
    assert result.rows[0].values["email"] == "a@b.jp"


def test_missing_required_columns_is_a_file_level_error():
    result = parse_csv("氏名,メール\r\n山田,a@b.jp\r\n")
    assert result.rows == []
    assert result.errors == [RowError(1, "", "必須の列がありません: 外部ID、種別")]


def test_duplicate_header_is_an_error():
    result = parse_csv("外部ID,氏名,種別,名前\r\nA1,山田,企業,山田\r\n")
    assert result.rows == []
    assert [(e.row, e.column_label) for e in result.errors] == [(1, "氏名")]
    assert "『氏名』と『名前』" in result.errors[0].message


def test_duplicate_unique_values_in_one_file():
    result = parse_csv(
        "外部ID,氏名,種別\r\nA001,山田,企業\r\nB002,佐藤,企業\r\nＡ００１,鈴木,企業\r\na001,田中,企業\r\n"
    )
    assert [r.row_number for r in result.rows] == [2, 3]
    assert [(e.row, e.column_label) for e in result.errors] == [(4, "外部ID"), (5, "外部ID")]
    assert result.errors[0].message == "『A001』が2行目と重複しています。"


def test_schema_rejects_inconsistent_definition():
    with pytest.raises(ValueError):
        Schema([Column("a"), Column("a")])
    with pytest.raises(ValueError):
        Schema([Column("a")], unique=("b",))


# --- parsers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True), ("FALSE", False), ("1", True), ("０", False), ("Yes", True),
        ("no", False), ("はい", True), ("いいえ", False), ("○", True), ("×", False),
        ("〇", True), ("◯", True), ("有", True), ("無", False), ("Y", True), ("n", False),
        ("", None), ("  ", None),
    ],
)  # fmt: skip
def test_parse_bool(raw, expected):
    assert parse_bool(raw) is expected


def test_parse_bool_rejects_other_text():
    with pytest.raises(ValueError, match="『たぶん』"):
        parse_bool("たぶん")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("１２０", 120), ("120.0", 120), ("1,200", 1200), ("１，２００", 1200), ("-5", -5),
     ("－５", -5), (" 7 ", 7), ("", None)],
)  # fmt: skip
def test_parse_int(raw, expected):
    assert parse_int()(raw) == expected


@pytest.mark.parametrize("raw", ["1.5", "abc", "1,20", "12a", "--1", date(2026, 4, 1)])
def test_parse_int_rejects_non_integers(raw):
    with pytest.raises(ValueError, match="整数として読み取れません"):
        parse_int()(raw)


def test_parse_int_bounds_name_the_bounds():
    with pytest.raises(ValueError, match="0以上160以下"):
        parse_int(min=0, max=160)("161")
    with pytest.raises(ValueError, match="1以上の整数"):
        parse_int(min=1)("0")
    with pytest.raises(ValueError, match="10以下の整数"):
        parse_int(max=10)("1,000,000")
    assert parse_int(min=0, max=160)("160") == 160


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        ("２０２６／４／１", date(2026, 4, 1)),
        ("2026.4.1", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("20260401", date(2026, 4, 1)),
        ("2026/4/1 0:00", date(2026, 4, 1)),
        ("令和8年4月1日", date(2026, 4, 1)),
        ("令和８年４月１日", date(2026, 4, 1)),
        ("㋿8年4月1日", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("r8.4.1", date(2026, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H1.1.8", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("S50.10.1", date(1975, 10, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (datetime(2026, 4, 1, 12, 0), date(2026, 4, 1)),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    result = parse_date(raw)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026/2/30", "存在しない日付"),
        ("令和8年13月1日", "存在しない日付"),
        ("1899/12/31", "1900年から2100年"),
        ("2101-01-01", "1900年から2100年"),
        (date(1800, 1, 1), "1900年から2100年"),
        ("令和元年4月30日", "令和の期間"),
        ("平成31年5月1日", "平成の期間"),
        ("昭和64年1月8日", "昭和の期間"),
        ("明日", "日付として読み取れません"),
        ("26/4/1", "日付として読み取れません"),
        ("2026-04-01x", "日付として読み取れません"),
    ],
)
def test_parse_date_rejects(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_date(raw)


def test_parse_choice():
    parser = parse_choice(KINDS)
    assert parser("常勤職員") == "staff"
    assert parser("STAFF") == "staff"
    assert parser("外部人材") == "external"
    assert parser("") is None
    with pytest.raises(ValueError) as excinfo:
        parser("派遣")
    assert "『派遣』" in str(excinfo.value)
    message = str(excinfo.value)
    assert "staff / 常勤職員 / 職員" in message and "company / 企業" in message


def test_parse_list_splits_trims_and_drops_empties():
    assert parse_list()(" a; b ；c、d,,，e;a ") == ["a", "b", "c", "d", "e"]
    assert parse_list(sep="|")("a|b,c") == ["a", "b,c"]
    assert parse_list()("") == []


def test_parse_list_with_lookup():
    parser = parse_list(lookup=SKILLS)
    assert parser("クラウド、ＳＥＣＵＲＩＴＹ;cloud") == ["cloud", "security"]
    with pytest.raises(ValueError) as excinfo:
        parser("cloud;量子;ブロックチェーン")
    assert str(excinfo.value) == (
        "登録されていない項目があります: 量子、ブロックチェーン。"
        "使えるコード(名称でも入力できます): cloud, security"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("011002", "011002"), ("012131", "012131"), ("131016", "131016"), ("11002", "011002"),
     ("１３１０１６", "131016"), ("", None)],
)  # fmt: skip
def test_parse_lg_code(raw, expected):
    assert parse_lg_code(raw) == expected


def test_parse_lg_code_rejects_wrong_check_digit_and_formats():
    with pytest.raises(ValueError, match="『011003』の検査数字"):
        parse_lg_code("011003")
    for raw in ["13101", "1310", "1310161", "abc", "01-1002"]:
        with pytest.raises(ValueError, match="6桁"):
            parse_lg_code(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("03", "03"), ("3", "03"), ("３", "03"), ("030007", "03"), ("30007", "03"),
     ("47", "47"), ("010006", "01"), ("", None)],
)  # fmt: skip
def test_parse_prefecture_code(raw, expected):
    assert parse_prefecture_code(raw) == expected


@pytest.mark.parametrize("raw", ["0", "48", "030008", "011002", "131016", "123", "東京"])
def test_parse_prefecture_code_rejects(raw):
    with pytest.raises(ValueError, match="都道府県コード"):
        parse_prefecture_code(raw)


def test_parse_email():
    assert parse_email("Taro.Yamada@Example.JP") == "taro.yamada@example.jp"
    assert parse_email("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "taro@example.jp"
    assert parse_email("") is None
    for raw in ["taro", "a@b", "a b@c.jp", "a@@c.jp", "山田@example.jp"]:
        with pytest.raises(ValueError, match="メールアドレスの形式"):
            parse_email(raw)


def test_parse_str():
    assert parse_str()("  山田　 太郎 ") == "山田 太郎"
    assert parse_str()(" ") is None
    assert parse_str(multiline=True)("一行目 \r\n　二行目\n") == "一行目\n二行目"
    assert parse_str(3)("ＡＢＣ") == "ABC"
    with pytest.raises(ValueError, match="3文字以内.*4 文字"):
        parse_str(3)("ABCD")


# --- writing ----------------------------------------------------------------------------------

HEADERS = ["外部ID", "氏名", "稼働時間", "開始日", "リモート可"]
ROWS = [
    ["A001", "髙橋 一郎", 120, date(2026, 4, 1), "○"],
    ["A002", "渡邉 ①子", 0, date(2019, 5, 1), "×"],
]


def test_write_xlsx_round_trip():
    table = read_table(write_xlsx(HEADERS, ROWS, sheet_title="人材一覧"), "out.xlsx")
    assert table.header == HEADERS
    assert table.rows == [
        ["A001", "髙橋 一郎", "120", date(2026, 4, 1), "○"],
        ["A002", "渡邉 ①子", "0", date(2019, 5, 1), "×"],
    ]
    assert table.row_numbers == [2, 3]


def test_write_xlsx_layout():
    data = write_xlsx(HEADERS, ROWS, sheet_title="人材/一覧[2026]")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "人材_一覧_2026_"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet["D2"].is_date and sheet["D2"].value == datetime(2026, 4, 1)
    assert sheet.column_dimensions["B"].width >= 11  # 「髙橋 一郎」 is 9 columns wide


FORMULAS = ["=1+1", "+1", "-abc", "@SUM(A1)", "＝1+1", "\tx", "\rx"]


def test_write_xlsx_keeps_formula_like_text_in_text_cells_and_numbers_as_numbers():
    data = write_xlsx(["text", "number"], [[f, -5] for f in FORMULAS])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    for index, formula in enumerate(FORMULAS, start=2):
        cell = sheet.cell(index, 1)
        # a quote-prefixed text cell: shown as written, never evaluated, even after editing
        # (XML turns a stored CR into LF)
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == formula.replace("\r", "\n")
        assert sheet.cell(index, 2).data_type == "n" and sheet.cell(index, 2).value == -5
    assert not sheet["A1"].quotePrefix
    assert sheet.auto_filter.ref == f"A1:B{len(FORMULAS) + 1}"
    assert read_table(data, "x.xlsx").rows[0] == ["=1+1", "-5"]


def test_text_starting_with_an_apostrophe_gets_one_more_so_it_reads_back():
    data = write_xlsx(["text"], [["'abc"], ["abc'"]])
    assert read_table(data, "x.xlsx").rows == [["''abc"], ["abc'"]]
    assert [unguard(v) for v in ("''abc", "abc'", "'abc", "'=1+1")] == [
        "'abc",
        "abc'",
        "'abc",
        "=1+1",
    ]


def test_parse_takes_our_guard_off_but_keeps_a_typed_apostrophe():
    table = read_table(
        write_csv(["name"], [["=1+1"], ["-2+3 太郎"], ["'quoted"], ["it's"]]), "x.csv"
    )
    assert table.rows[0] == ["'=1+1"]  # the guard is in the CSV file itself
    result = parse(table, Schema([Column("name")]))
    assert [r.values["name"] for r in result.rows] == ["=1+1", "-2+3 太郎", "'quoted", "it's"]
    typed = read_table(b"name\n'abc\n'\n", "typed.csv")
    assert [r.values["name"] for r in parse(typed, Schema([Column("name")])).rows] == [
        "'abc",
        "'",
    ]


@settings(database=None, max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_unguard_undoes_neutralize(text):
    assert unguard(neutralize(text)) == text


def test_write_csv_is_bom_crlf_and_neutralized():
    data = write_csv(
        ["式", "数", "日付", "真偽", "空"], [["=1+1", -5, date(2026, 4, 1), True, None]]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "式,数,日付,真偽,空\r\n'=1+1,-5,2026-04-01,TRUE,\r\n"
    assert read_table(data, "x.csv").rows == [["'=1+1", "-5", "2026-04-01", "TRUE"]]


def test_neutralize():
    assert [neutralize(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert neutralize(" =1") == "' =1"
    assert neutralize("山田=1") == "山田=1"
    assert neutralize("") == ""


@settings(database=None, max_examples=50, deadline=None)
@given(
    st.lists(
        st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=20),
        min_size=1,
        max_size=5,
    )
)
def test_write_csv_round_trip_property(cells):
    data = write_csv(["id", *range(len(cells))], [["x", *cells]])
    expected = ["x", *(neutralize(c) for c in cells)]
    while expected and not expected[-1].strip():
        expected.pop()
    assert read_table(data, "x.csv").rows == [expected]
