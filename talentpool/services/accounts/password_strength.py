"""How guessable a password is, by zxcvbn's estimate.

zxcvbn ships its own dictionaries (about 30,000 common passwords, English words, names,
keyboard patterns) and finds repeats (パスワードパスワード), sequences (あいうえお, 12345) and dates
in any script, offline. On top we give it the person's own address and name and the words
this site's users are likeliest to try.
"""

from __future__ import annotations

import threading

from flask_babel import lazy_gettext as _l

#: zxcvbn's 0–4 scale; 3 means "safely unguessable: moderate protection from an offline
#: slow-hash scenario" (about 10^8 guesses and more).
MIN_SCORE = 3
#: zxcvbn refuses longer input; the part beyond only adds strength.
ESTIMATED_LENGTH = 72
#: Words a password here is likely to be built from.
SITE_WORDS = (
    "talentpool",
    "talent",
    "jinzai",
    "digital",
    "kanri",
    "tokyo",
    "nippon",
    "japan",
    "パスワード",
    "ぱすわーど",
    "デジタル",
    "デジタル人材",
    "人材プール",
    "都道府県",
    "市町村",
)

_WHY = {
    "common": _l("よく使われるパスワード(またはそれに近いもの)です。"),
    "repeat": _l("同じ文字や語の繰り返しは推測されやすいです。"),
    "sequence": _l("連続した文字(abc、123、あいうえお など)は推測されやすいです。"),
    "keyboard": _l("キーボードの並び(qwerty など)は推測されやすいです。"),
    "date": _l("日付や年は推測されやすいです。"),
    "personal": _l("氏名・メールアドレス・サイト名などを含むパスワードは推測されやすいです。"),
}

# zxcvbn keeps the user inputs of a call in a module-level dictionary: one call at a time.
_lock = threading.Lock()


def _reason(result: dict) -> str:
    warning = result["feedback"]["warning"].lower()
    patterns = {match.get("dictionary_name") or match["pattern"] for match in result["sequence"]}
    if "user_inputs" in patterns:
        return "personal"
    for word, reason in (
        ("repeat", "repeat"),
        ("sequence", "sequence"),
        ("keyboard", "keyboard"),
        ("straight rows", "keyboard"),
        ("date", "date"),
        ("year", "date"),
    ):
        if word in warning:
            return reason
    return "common"


def weakness(password: str, user_inputs: list[str]) -> str | None:
    """Why the password is too easy to guess (a sentence for the user), or None."""
    from zxcvbn import zxcvbn  # its dictionaries take a moment to load: only when needed

    with _lock:
        result = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=[*user_inputs, *SITE_WORDS])
    if result["score"] >= MIN_SCORE:
        return None
    return str(_WHY[_reason(result)])
