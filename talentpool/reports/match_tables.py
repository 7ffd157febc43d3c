"""The dashboard's matching-quality sections (acceptance by rank, rating by score band,
times and coverage, decline reasons) from services.reports.match_quality."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext

from talentpool.i18n import join
from talentpool.reports import charts
from talentpool.services.offers.lifecycle import DECLINE_CODES
from talentpool.services.reports.match_quality import MatchQuality

RANK_LABELS = {
    "1": _l("1位"),
    "2-3": _l("2〜3位"),
    "4-10": _l("4〜10位"),
    "11+": _l("11位以下"),
    "hand": _l("手動で選んだ人材"),
    "unknown": _l("記録なし(機能導入前)"),
}
NO_CODE = _l("理由の選択なし")


def _dash(value) -> str:
    return "—" if value is None else str(value)


def rank_label(key: str) -> str:
    return str(RANK_LABELS[key])


def decline_label(code: str) -> str:
    return str(DECLINE_CODES.get(code, NO_CODE)) if code else str(NO_CODE)


def sections(m: MatchQuality, section_type):
    """The matching-quality sections, as ``section_type`` (tables.Section) objects."""
    return [
        _ranks(m, section_type),
        _scores(m, section_type),
        _flow(m, section_type),
        _declines(m, section_type),
    ]


def _ranks(m: MatchQuality, Section):
    title = _("順位別の打診の受諾率")
    shown = [(k, r) for k, r in m.by_rank.items() if k != "unknown" or r.answered]
    items = [(rank_label(k), r.percent or 0.0) for k, r in shown]
    desc = join(
        f"{rank_label(k)} {_dash(r.percent)}% ({r.accepted}/{r.answered})" for k, r in shown
    )
    answered = sum(r.answered for _k, r in shown)
    accepted = sum(r.accepted for _k, r in shown)
    return Section(
        "match-ranks",
        title,
        [_("打診したときの順位"), _("回答済み"), _("受諾"), _("受諾率(%)")],
        [[rank_label(k), r.answered, r.accepted, r.percent] for k, r in shown],
        charts.bar_chart("chart-match-ranks", title, desc, items, "%"),
        _(
            "年度内に送った打診のうち、受諾・辞退・失効したもの(回答済み)について、打診したときの"
            "ランキングでの順位ごとに受諾の割合を示します。"
        ),
        [
            [
                _("合計"),
                answered,
                accepted,
                round(accepted * 100 / answered, 1) if answered else None,
            ]
        ],
    )


def _scores(m: MatchQuality, Section):
    title = _("スコア帯別の評価の平均")
    items = [(k, r.mean or 0.0) for k, r in m.by_score.items()]
    desc = join(f"{k}: {_dash(r.mean)} ({len(r.scores)})" for k, r in m.by_score.items())
    return Section(
        "match-scores",
        title,
        [_("打診したときのスコア"), _("評価数"), _("評価の平均(1〜5)")],
        [[k, len(r.scores), r.mean] for k, r in m.by_score.items()],
        charts.bar_chart("chart-match-scores", title, desc, items, ""),
        _(
            "年度内に送った打診から生まれ、市町村が評価した派遣の評価を、打診時のスコアごとに示します。"
        ),
    )


def _flow(m: MatchQuality, Section):
    title = _("依頼の公開から打診・受諾まで")
    offer, accept = m.median(m.days_to_offer), m.median(m.days_to_accept)
    rows = [
        [_("公開から最初の打診までの日数(中央値)"), offer, len(m.days_to_offer)],
        [_("公開から最初の受諾までの日数(中央値)"), accept, len(m.days_to_accept)],
        [_("人材が決まった依頼の割合(%)"), m.person_percent, m.requests],
    ]
    items = [(str(r[0]), r[1] or 0.0) for r in rows[:2]]
    desc = _(
        "最初の打診まで %(offer)s日、最初の受諾まで %(accept)s日(中央値)。",
        offer=_dash(offer),
        accept=_dash(accept),
    )
    return Section(
        "match-flow",
        title,
        [_("指標"), _("値"), _("件数")],
        rows,
        charts.bar_chart("chart-match-flow", title, desc, items, pgettext("chart unit", "日")),
        _(
            "年度内に公開された依頼(下書き・取消を除く)が対象です。件数は、日数ではその指標のある"
            "依頼の数、割合では依頼の総数です。"
        ),
    )


def _declines(m: MatchQuality, Section):
    title = _("辞退の理由")
    codes = [c for c in DECLINE_CODES if m.declines.get(c)] + ([""] if m.declines.get("") else [])
    items = [(decline_label(c), m.declines[c]) for c in codes]
    desc = join(_("%(label)s %(n)d件", label=label, n=count) for label, count in items) or _(
        "辞退はありません。"
    )
    return Section.counts(
        "match-declines",
        title,
        desc,
        [_("理由"), _("件数")],
        items,
        _("年度内に送った打診のうち辞退されたものを、人材が選んだ理由ごとに数えています。"),
        [[_("合計"), sum(m.declines.values())]],
    )
