"""Reasons for a proposal in plain Japanese, from the features that scored it.

- shared skills (skill feature) with their Japanese labels;
- matched terms (concept feature): synonym-canonical terms on both sides;
- shared phrases (text feature): the longest substrings of the experience that also
  occur in the request;
- hours fit (hours feature).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .features import PHRASE_GRAM, Doc
from .specs import Features, RequestSpec, TalentProfile
from .synonyms import SynonymTable

MAX_ITEMS = 3
_EDGE = re.compile(r"^[\sぁ-ゖ、。,.・()]+|[\sぁ-ゖ、。,.・()]+$")


def shared_phrases(quoted: Doc, other: Doc) -> list[str]:
    """Longest non-overlapping substrings of ``quoted``'s text also found in ``other``'s.

    Matching ignores case; phrases are cut from the text as written. Leading and
    trailing hiragana (particles), spaces and punctuation are trimmed; longest first.
    """
    n = PHRASE_GRAM
    text, low, target = quoted.plain, quoted.lower, other.lower
    if len(low) != len(text):
        text = low
    found: set[str] = set()
    i = 0
    while i <= len(low) - n:
        if low[i : i + n] not in other.grams:
            i += 1
            continue
        end = i + n
        while end < len(low) and low[i : end + 1] in target:
            end += 1
        phrase = _EDGE.sub("", text[i:end])
        if len(phrase) >= n - 1:
            found.add(phrase)
        i = end
    return sorted(found, key=lambda p: (-len(p), p))


def hours_reason(request: RequestSpec, talent: TalentProfile) -> str:
    """「月20時間の依頼に対し月30時間まで対応可」, or a shortfall note."""
    need, have = request.hours_per_month, talent.available_hours
    if have >= need:
        return f"月{need}時間の依頼に対し月{have}時間まで対応可"
    return f"月{need}時間の依頼に対し月{have}時間まで対応可(不足{need - have}時間)"


def explain(
    request: RequestSpec,
    request_doc: Doc,
    talent: TalentProfile,
    talent_doc: Doc,
    features: Features,
    labels: Mapping[str, str],
    synonyms: SynonymTable,
) -> tuple[str, ...]:
    """Reasons for proposing ``talent`` for ``request``, strongest evidence first."""
    reasons: list[str] = []
    shared = sorted(request.skills & talent.skills)
    if shared and features.skill > 0:
        reasons.append("共通スキル: " + "、".join(labels.get(c, c) for c in shared))
    terms = sorted(request_doc.concepts & talent_doc.concepts, key=lambda c: (-len(c), c))
    shown = [synonyms.label(c) for c in terms[:MAX_ITEMS]]
    if terms and features.concept > 0:
        reasons.append("経験の一致: " + "、".join(shown))
    phrases = [
        p
        for p in shared_phrases(talent_doc, request_doc)
        if not any(p.lower() in t or t in p.lower() for t in terms)
    ]
    if phrases and features.text > 0:
        reasons.append("共通する語句: " + "、".join(f"「{p}」" for p in phrases[:MAX_ITEMS]))
    reasons.append(hours_reason(request, talent))
    return tuple(reasons)
