"""The evidence component: does a talent's text show work done, or only interest in it?

People who attended a seminar on a topic, or are "interested" in it, repeat the
request's words as often as people who did the work; so do vendors pitching their product
and bloggers writing about it. Text similarity cannot tell them apart. A profile that speaks
of learning or interest (受講, 聴講, 関心, 勉強中, 貢献したい …)
or pitches (提供しています, ご提案, お任せください, ブログ …)
and names fewer than two pieces of work done (担当, 構築, 導入, 策定 …)
gets −1, every other profile 0. Like the other components it is standardised per request,
so it only moves such profiles down among otherwise similar candidates.
"""

from __future__ import annotations

import re
import unicodedata

#: Learning, interest or hope rather than work done.
PASSIVE = re.compile(
    "受講(?![者生])|聴講|参加しました|関心が|関心を|興味が|興味を|勉強中|勉強して|学んで|学習中|独学|"
    "修了しました|意欲|挑戦したい|挑戦させて|貢献したい|貢献できれば|お手伝いでき|お役に立て|"
    "機会を探して|ウォッチ|情報収集|目指して"
)
#: A sales pitch or publicity rather than work done: a vendor offering its product, a blog.
PITCH = re.compile(
    "提供しています|ご提案|お任せください|ご用意|強力に|トータルに|最適な|実現します|ブログ|発信する"
)
#: Work done: what was built, led, run or changed.
ACTIVE = re.compile(
    "担当|構築|導入|策定|設計|運用|実施|指揮|開発|作成|整備|主導|削減|改善|移行|立ち上げ|"
    "取りまとめ|とりまとめ|支援した|支援し|統括|推進した|務め|運営|分析|検証|見直し|実装|納入|"
    "改修"
)


def evidence(text: str) -> float:
    """−1 for a learning-, interest- or pitch-only profile, else 0."""
    folded = unicodedata.normalize("NFKC", text or "")
    if (PASSIVE.search(folded) or PITCH.search(folded)) and len(ACTIVE.findall(folded)) < 2:
        return -1.0
    return 0.0
