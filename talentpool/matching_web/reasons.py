"""The matcher's reasons and score parts in the user's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import TaxonomyTerm

#: One line on each part of the score, shown beside the ranking and the plan.
SCORE_PARTS = (
    ("lexical", _l("語句"), _l("依頼文と経歴に同じ語句(文字の並び)がどれだけあるか。")),
    ("semantic", _l("意味"), _l("言い方が違っても、依頼と経歴の内容が意味の上でどれだけ近いか。")),
    ("skill", _l("スキル"), _l("依頼の重点取組と人材のスキルがどれだけ重なるか。")),
    ("hours", _l("時間"), _l("依頼の月間時間を人材の空き時間でどれだけ満たせるか。")),
    ("evidence", _l("実績"), _l("受講や関心だけでなく、実際に担当した経験が書かれているか。")),
)


def skill_labels() -> dict[str, str]:
    """Taxonomy labels in the user's language (one query)."""
    english = str(get_locale() or "ja").startswith("en")
    column = TaxonomyTerm.label_en if english else TaxonomyTerm.label_ja
    return dict(db.session.execute(select(TaxonomyTerm.code, column)).all())


def reason_lines(reasons: Iterable[object], labels: Mapping[str, str] | None = None) -> list[str]:
    """Reasons (matching.Reason, their stored dicts, or old plain strings) as sentences."""
    from talentpool.matching import Reason
    from talentpool.matching.reasons import render

    labels = skill_labels() if labels is None else labels
    separator = Markup(", " if str(get_locale() or "ja").startswith("en") else "、")
    out = []
    for reason in reasons:
        if isinstance(reason, str):
            out.append(reason)
            continue
        if isinstance(reason, Mapping):
            reason = Reason.from_dict(reason)
        out.append(render(reason, _markup_gettext, labels, separator, _quote))
    return out


def _markup_gettext(message: str) -> Markup:
    """Our own translated message, safe as markup; values put into it are escaped."""
    return Markup(gettext(message))


def _quote(text: str) -> Markup:
    """Words taken from a talent's or a request's text: user data, in Japanese."""
    return Markup('<span lang="ja">%s</span>') % text
