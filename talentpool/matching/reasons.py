"""Reasons for a proposal, as codes with parameters, from the evidence behind its score.

- ``skills``: skill codes both sides name;
- ``similar``: the talent's sentence closest in meaning to the request (semantic score);
- ``terms``: domain terms both texts use, after the synonym table (ガバクラ = ガバメントクラウド);
- ``phrases``: the longest stretches of text both share, as the request writes them;
- ``hours``: the request's hours against the talent's free hours.

``render`` turns a reason into a sentence with any gettext function: the web passes
Flask-Babel's (Japanese or English), the CLI the identity (Japanese). The message ids
are marked with ``N_`` so Babel extracts them from here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .specs import Features, Reason, RequestSpec, TalentProfile
from .synonyms import SynonymTable

MAX_ITEMS = 3
PHRASE_GRAM = 4
#: The closest sentence is quoted only when it is at least this close (cosine).
MIN_SIMILARITY = 0.35
MAX_QUOTE = 80
_EDGE = re.compile(r"^[\sぁ-ゖ、。,.・()]+|[\sぁ-ゖ、。,.・()]+$")


def N_(message: str) -> str:  # noqa: N802 - the gettext marker name Babel looks for
    """Mark a message for extraction; it is translated where it is rendered."""
    return message


MESSAGES = {
    "skills": N_("共通スキル: %(skills)s"),
    "similar": N_("近い経験: 「%(sentence)s」(類似度 %(similarity).2f)"),
    "terms": N_("経験の一致: %(terms)s"),
    "phrases": N_("共通する語句: %(phrases)s"),
    "hours": N_("月%(need)d時間の依頼に対し月%(have)d時間まで対応可"),
    "hours_short": N_("月%(need)d時間の依頼に対し月%(have)d時間まで対応可(不足%(short)d時間)"),
}


def render(
    reason: Reason,
    gettext: Callable[[str], str] = lambda s: s,
    labels: Mapping[str, str] | None = None,
    separator: str = "、",
    quote: Callable[[str], str] = str,
) -> str:
    """One reason as a sentence; skill codes shown by ``labels`` (code when unknown).

    ``quote`` wraps the words taken from the texts themselves (the web marks them as
    Japanese user data); ``separator`` joins lists (a markup-safe one joins markup).
    """
    p = dict(reason.params)
    code = reason.code
    if code == "skills":
        names = [(labels or {}).get(c, c) for c in p.get("codes", ())]
        return gettext(MESSAGES["skills"]) % {"skills": separator.join(names)}
    if code == "similar":
        return gettext(MESSAGES["similar"]) % {
            "sentence": quote(str(p.get("sentence", ""))),
            "similarity": float(p.get("similarity", 0.0)),
        }
    if code in ("terms", "phrases"):
        items = [quote(f"「{x}」" if code == "phrases" else str(x)) for x in p.get(code, ())]
        return gettext(MESSAGES[code]) % {code: separator.join(items)}
    if code == "hours":
        need, have = int(p.get("need", 0)), int(p.get("have", 0))
        if have >= need:
            return gettext(MESSAGES["hours"]) % {"need": need, "have": have}
        return gettext(MESSAGES["hours_short"]) % {"need": need, "have": have, "short": need - have}
    return str(p.get("text", code))  # a reason stored before codes existed


@dataclass(frozen=True)
class Side:
    """What the reasons need of one text, prepared once per text (not once per pair)."""

    text: str  # NFKC, as written (lower case where folding changed its length)
    lower: str
    grams: frozenset[str]  # its PHRASE_GRAM-character substrings, lower case
    concepts: frozenset[str]  # synonym-canonical terms found in it

    @classmethod
    def of(cls, text: str, concepts: frozenset[str]) -> Side:
        folded = unicodedata.normalize("NFKC", text)
        lower = folded.lower()
        n = PHRASE_GRAM
        grams = frozenset({lower[i : i + n] for i in range(len(lower) - n + 1)})
        return cls(folded if len(folded) == len(lower) else lower, lower, grams, concepts)


def shared_phrases(quoted: Side, other: Side) -> list[str]:
    """Longest non-overlapping substrings of ``quoted`` also found in ``other``.

    Matching ignores case; leading and trailing hiragana (particles), spaces and
    punctuation are trimmed; longest first. Only positions where a shared
    PHRASE_GRAM-character piece starts are looked at.
    """
    shared = quoted.grams & other.grams
    if not shared:
        return []
    text, low, target = quoted.text, quoted.lower, other.lower
    starts = sorted(_positions(low, shared))
    found: set[str] = set()
    covered = -1
    for i in starts:
        if i < covered:
            continue
        end = i + PHRASE_GRAM
        while end < len(low) and low[i : end + 1] in target:
            end += 1
        phrase = _EDGE.sub("", text[i:end])
        if len(phrase) >= PHRASE_GRAM - 1:
            found.add(phrase)
        covered = end
    return sorted(found, key=lambda p: (-len(p), p))


def _positions(text: str, grams: frozenset[str]):
    """Every position in ``text`` where one of ``grams`` starts."""
    for g in grams:
        i = text.find(g)
        while i >= 0:
            yield i
            i = text.find(g, i + 1)


def explain(
    request: RequestSpec,
    request_side: Side,
    talent: TalentProfile,
    talent_side: Side,
    closest: tuple[str, float],
    features: Features,
    synonyms: SynonymTable | None,
) -> tuple[Reason, ...]:
    """Reasons for proposing ``talent`` for ``request``, strongest evidence first;
    ``closest`` is the talent's sentence nearest the request in meaning, with its cosine."""
    reasons: list[Reason] = []
    shared = sorted(request.skills & talent.skills)
    if shared:
        reasons.append(Reason("skills", {"codes": shared}))
    sentence, similarity = closest
    if features.semantic > 0 and sentence and similarity >= MIN_SIMILARITY:
        if len(sentence) > MAX_QUOTE:
            sentence = sentence[: MAX_QUOTE - 1] + "…"
        found = {"sentence": sentence, "similarity": round(similarity, 2)}
        reasons.append(Reason("similar", found))
    terms: Sequence[str] = ()
    if synonyms is not None:
        terms = sorted(request_side.concepts & talent_side.concepts, key=lambda c: (-len(c), c))
        if terms:
            shown = [synonyms.label(c) for c in terms[:MAX_ITEMS]]
            reasons.append(Reason("terms", {"terms": shown}))
    if features.lexical > 0:
        phrases = [
            p
            for p in shared_phrases(request_side, talent_side)
            if not any(p.lower() in t or t in p.lower() for t in terms)
        ]
        if phrases:
            reasons.append(Reason("phrases", {"phrases": phrases[:MAX_ITEMS]}))
    need, have = request.hours_per_month, talent.available_hours
    reasons.append(Reason("hours", {"need": need, "have": have}))
    return tuple(reasons)
