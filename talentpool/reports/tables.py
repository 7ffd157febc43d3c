"""The dashboard's sections: for each, the table behind the chart, the chart, and its CSV.

The page, the chart and the CSV download all come from the same `Section`, so they never
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, npgettext, pgettext
from markupsafe import Markup

from talentpool.i18n import join
from talentpool.models import OfferState
from talentpool.reports import charts, match_tables
from talentpool.services.reports.dashboard import Dashboard
from talentpool.services.requests.states import STATE_LABELS
from talentpool.web.labels import KIND_LABELS

#: Offer outcomes in the chart's order (the labels live on OfferState).
OFFER_LABELS = {
    s: OfferState(s).label for s in ("accepted", "declined", "lapsed", "withdrawn", "sent")
}


def _counted(label: str, count: int) -> str:
    return ngettext("%(label)s %(num)d件", "%(label)s %(num)d件", count, label=label)


def _people_unit(value: float, text: str) -> str:
    return npgettext("chart unit", "%(figure)s人", "%(figure)s人", int(value), figure=text)


def _municipalities_unit(value: float, text: str) -> str:
    return npgettext("chart unit", "%(figure)s団体", "%(figure)s団体", int(value), figure=text)


#: Days-to-fill buckets: (label, upper bound in days, inclusive; None: no bound).
FILL_BUCKETS = (
    (_l("0〜7日"), 7),
    (_l("8〜14日"), 14),
    (_l("15〜30日"), 30),
    (_l("31〜60日"), 60),
    (_l("61日以上"), None),
)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: Markup | None = None
    note: str = ""
    #: Rows shown in bold after the data (totals); also written to the CSV.
    footer: list[list] = field(default_factory=list)

    @classmethod
    def counts(
        cls,
        key: str,
        title: str,
        desc: str,
        headers: list[str],
        items: list,
        note: str,
        footer: list,
    ) -> Section:
        """A section of (label, count) rows, drawn as bars counted in 件."""
        unit = pgettext("chart unit", "件")
        chart = charts.bar_chart(f"chart-{key}", title, desc, items, unit)
        return cls(key, title, headers, [list(i) for i in items], chart, note, footer)


def _percent(part: int | float, whole: int | float) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def sections(d: Dashboard, locale: str = "ja") -> list[Section]:
    """Every section of the dashboard, in page order."""
    return [
        _requests(d),
        _municipalities(d),
        _municipality_detail(d),
        _hours(d, locale),
        _pool(d),
        _offers(d),
        _fill(d),
        _training(d),
        *(match_tables.sections(d.match, Section) if d.match is not None else []),
    ]


def section(d: Dashboard, key: str, locale: str = "ja") -> Section | None:
    return next((s for s in sections(d, locale) if s.key == key), None)


def _requests(d: Dashboard) -> Section:
    title = _("支援依頼の状態")
    items = [(str(STATE_LABELS[state]), count) for state, count in d.request_states.items()]
    desc = join(_counted(label, count) for label, count in items)
    return Section.counts(
        "requests",
        title,
        desc,
        [_("状態"), _("件数")],
        items,
        _("年度内に期間がかかる依頼を、下書き・取消を含めて数えています。"),
        [[_("合計"), sum(d.request_states.values())]],
    )


def _municipalities(d: Dashboard) -> Section:
    title = _("市町村の状況")
    groups = [
        (_("依頼のない市町村"), [m for m in d.municipalities if m.no_request]),
        (_("未充足の依頼がある市町村"), [m for m in d.municipalities if m.has_unfilled]),
        (_("支援を受けている市町村"), [m for m in d.municipalities if m.supported]),
    ]
    items = [(label, len(members)) for label, members in groups]
    total = len(d.municipalities)
    desc = _("全%(total)d市町村のうち、", total=total) + join(
        f"{label} {count}" for label, count in items
    )
    return Section(
        "municipalities",
        title,
        [_("区分"), _("市町村数"), _("市町村")],
        [[label, len(members), join(m.name for m in members)] for label, members in groups],
        charts.bar_chart("chart-municipalities", title, desc, items, _municipalities_unit),
        _(
            "依頼は公開されたもの(下書き・取消を除く)、支援は年度内の派遣です。"
            "同じ市町村が「未充足」と「支援」の両方に入ることがあります。"
        ),
        [[_("市町村の総数"), total, ""]],
    )


def _municipality_detail(d: Dashboard) -> Section:
    rows = [[m.lg_code, m.name, m.requests, m.unfilled, m.assignments] for m in d.municipalities]
    return Section(
        "municipality-detail",
        _("市町村ごとの依頼と派遣"),
        [_("団体コード"), _("市町村"), _("依頼"), _("うち未充足"), _("派遣")],
        rows,
        footer=[
            [
                _("合計"),
                "",
                sum(m.requests for m in d.municipalities),
                sum(m.unfilled for m in d.municipalities),
                sum(m.assignments for m in d.municipalities),
            ]
        ],
    )


def _hours(d: Dashboard, locale: str) -> Section:
    title = _("重点取組ごとの依頼時間と派遣時間")
    label = (lambda a: a.label_en) if locale == "en" else (lambda a: a.label_ja)
    shown = [a for a in d.areas if a.requested or a.assigned]
    chart = charts.grouped_bar_chart(
        "chart-hours",
        title,
        _("年度内の延べ時間。")
        + join(
            f"{label(a)}: {_('依頼')} {a.requested:,} / {_('派遣')} {a.assigned:,}" for a in shown
        ),
        [label(a) for a in shown],
        [
            (_("依頼された時間"), [a.requested for a in shown]),
            (_("派遣が決まった時間"), [a.assigned for a in shown]),
        ],
        pgettext("chart unit", "時間"),
    )
    total = d.area_total
    return Section(
        "hours",
        title,
        [_("重点取組"), _("依頼時間"), _("派遣時間"), _("充足率(%)")],
        [[label(a), a.requested, a.assigned, _percent(a.assigned, a.requested)] for a in d.areas],
        chart,
        _(
            "時間は「月あたり時間 × 年度内の月数」(依頼は × 必要人数)です。複数の重点取組を持つ"
            "依頼はそれぞれに数え、合計では1回だけ数えます。"
        ),
        [
            [
                _("合計(重複なし)"),
                total.requested,
                total.assigned,
                _percent(total.assigned, total.requested),
            ]
        ],
    )


def _pool(d: Dashboard) -> Section:
    title = _("人材プールの稼働率(種別)")
    items = [(str(KIND_LABELS[p.kind]), p.assigned, p.available) for p in d.pool]
    desc = join(f"{k}: {a:,} / {v:,}" for k, a, v in items)
    available = sum(p.available for p in d.pool)
    assigned = sum(p.assigned for p in d.pool)
    return Section(
        "pool",
        title,
        [_("種別"), _("人数"), _("稼働可能時間"), _("派遣時間"), _("稼働率(%)")],
        [[str(KIND_LABELS[p.kind]), p.talent, p.available, p.assigned, p.percent] for p in d.pool],
        charts.progress_chart("chart-pool", title, desc, items, ""),
        _(
            "稼働可能時間は、有効な人材の「月あたり稼働可能時間 × 年度内の在職月数」"
            "(外部人材・企業は12か月)です。重点取組の絞り込みは適用されません。"
        ),
        [
            [
                _("合計"),
                sum(p.talent for p in d.pool),
                available,
                assigned,
                _percent(assigned, available),
            ]
        ],
    )


def _offers(d: Dashboard) -> Section:
    title = _("打診の結果")
    items = [(str(OFFER_LABELS[state]), d.offers[state]) for state in OFFER_LABELS]
    desc = join(_counted(label, count) for label, count in items)
    chart = charts.stacked_bar_chart(
        "chart-offers",
        title,
        desc,
        [_("年度内の打診")],
        [(label, [count]) for label, count in items],
        pgettext("chart unit", "件"),
    )
    return Section(
        "offers",
        title,
        [_("回答"), _("件数")],
        [list(i) for i in items],
        chart,
        _("年度内に送った打診です。回答期限を過ぎた未回答の打診は失効に数えます。"),
        [[_("合計"), sum(d.offers.values())]],
    )


def _fill(d: Dashboard) -> Section:
    title = _("依頼の公開から最初の派遣までの日数")
    counts, lower = [], 0.0
    for label, upper in FILL_BUCKETS:
        counts.append(
            (
                str(label),
                sum(
                    1 for day in d.fill.days if day >= lower and (upper is None or day < upper + 1)
                ),
            )
        )
        lower = float(upper + 1) if upper is not None else lower
    median = d.fill.median
    desc = (
        _("中央値 %(days)s日(%(n)d件)。", days=median, n=d.fill.count)
        if median is not None
        else _("年度内に最初の派遣が決まった依頼はありません。")
    )
    return Section.counts(
        "fill",
        title,
        desc,
        [_("日数"), _("依頼数")],
        counts,
        desc,
        [[_("中央値(日)"), median if median is not None else ""], [_("合計"), d.fill.count]],
    )


def _training(d: Dashboard) -> Section:
    title = _("DX推進リーダーの育成(目標と修了)")
    rows = d.progress
    items = [(p.name, p.completed, p.target) for p in rows]
    target = sum(p.target or 0 for p in rows)
    completed = sum(p.completed for p in rows)
    desc = _("目標 %(target)d人に対し修了 %(done)d人。", target=target, done=completed)
    return Section(
        "training",
        title,
        [_("団体コード"), _("市町村"), _("目標"), _("修了"), _("不足"), _("達成率(%)")],
        [[p.lg_code, p.name, p.target, p.completed, p.shortfall, p.percent] for p in rows],
        charts.progress_chart("chart-training", title, desc, items, _people_unit),
        _(
            "目標か修了者のある市町村を、不足の多い順に示します。重点取組の絞り込みは適用されません。"
        ),
        [
            [
                _("合計"),
                "",
                target,
                completed,
                sum(p.shortfall for p in rows),
                _percent(completed, target),
            ]
        ],
    )
