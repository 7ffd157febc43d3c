"""The SVG chart helpers: well-formed, accessible, print-readable, no inline style, escaped."""

import xml.etree.ElementTree as ET

import pytest

from talentpool.reports import charts

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.fixture(params=["bar", "grouped", "stacked", "progress"])
def chart(request):
    if request.param == "bar":
        return charts.bar_chart(
            "c1", "依頼の状態", "募集中 3件", [("募集中", 3), ("充足", 1)], "件"
        )
    if request.param == "grouped":
        return charts.grouped_bar_chart(
            "c1",
            "時間",
            "説明",
            ["窓口", "標準化"],
            [("依頼", [120, 40]), ("派遣", [60, 0])],
            "時間",
        )
    if request.param == "stacked":
        return charts.stacked_bar_chart(
            "c1", "打診", "説明", ["打診"], [("受諾", [3]), ("辞退", [1]), ("失効", [1])], "件"
        )
    return charts.progress_chart("c1", "育成", "説明", [("盛岡市", 1, 2), ("花巻市", 2, None)])


def test_every_chart_is_accessible_svg_without_style(chart):
    root = parse(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("svg:title", NS).get("id") == "c1-title"
    assert root.find("svg:desc", NS).get("id") == "c1-desc"
    assert "style=" not in str(chart) and "<script" not in str(chart)
    assert "http://" not in str(chart).replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_bar_chart_writes_each_value_and_scales_to_the_largest():
    root = parse(charts.bar_chart("b", "t", "d", [("a", 10), ("b", 5), ("c", 0)], "件"))
    assert {"10件", "5件", "0件"} <= set(texts(root))
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") == "16"]
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == pytest.approx(charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH)
    assert widths[1] == pytest.approx(widths[0] / 2) and widths[2] == 0


def test_series_differ_by_pattern_not_colour_alone_and_have_a_legend():
    svg = charts.grouped_bar_chart("g", "t", "d", ["x"], [("依頼", [4]), ("派遣", [2])])
    root = parse(svg)
    fills = {
        r.get("fill") for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("stroke")
    }
    assert charts.INK in fills and "url(#g-hatch)" in fills
    assert root.find(".//svg:pattern[@id='g-hatch']", NS) is not None
    assert {"依頼", "派遣", "4", "2"} <= set(texts(root))


def test_stacked_bar_shows_segment_values_and_total():
    root = parse(
        charts.stacked_bar_chart("s", "t", "d", ["打診"], [("受諾", [30]), ("辞退", [10])])
    )
    assert {"30", "10", "40"} <= set(texts(root))


def test_progress_chart_writes_done_goal_and_percent():
    root = parse(charts.progress_chart("p", "t", "d", [("盛岡市", 1, 2), ("花巻市", 3, None)]))
    assert "1 / 2 (50%)" in texts(root) and "3" in texts(root)


def test_text_is_escaped_and_long_labels_keep_their_full_title():
    long = "地域社会DX(交通・防災・農業・医療・観光)<script>"
    svg = str(charts.bar_chart("e", "<b>", "&", [(long, 1)]))
    root = ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;b&gt;" in svg
    label = next(
        t
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.find("svg:title", NS) is not None
    )
    assert label.find("svg:title", NS).text == long
    assert "…" in "".join(label.itertext())


def test_empty_data_draws_an_empty_but_valid_chart():
    for svg in (
        charts.bar_chart("z", "t", "d", []),
        charts.grouped_bar_chart("z", "t", "d", [], [("a", [])]),
        charts.progress_chart("z", "t", "d", [("a", 0, 0)]),
    ):
        assert parse(svg).get("viewBox").startswith("0 0 720 ")


def test_five_series_have_five_different_fills():
    series = [(f"s{i}", [1]) for i in range(5)]
    root = parse(charts.stacked_bar_chart("f", "t", "d", ["x"], series))
    legend = [
        r.get("fill")
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.get("width") == "14.0"
    ]
    assert len(legend) == 5 and len(set(legend)) == 5
