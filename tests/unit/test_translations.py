"""Every translatable string of the code and templates has an English translation with the
same placeholders (run `make messages`, then translate what is new)."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from talentpool.config import TEMPLATES_DIR

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{[^}]*\}")
METHODS = {"python": [("**.py", "python")], "jinja2": [("**.html", "jinja2")]}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def _msgids() -> set[tuple[str, str | None]]:
    """(msgid, context) of every translatable string."""
    found = set()
    for folder, method in ((ROOT / "talentpool", "python"), (TEMPLATES_DIR, "jinja2")):
        for _file, _line, message, _comments, context in extract_from_dir(
            folder, METHODS[method], keywords=KEYWORDS
        ):
            found.add((message[0] if isinstance(message, tuple) else message, context))
    return found


def test_english_catalogue_is_complete():
    with (ROOT / "talentpool/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {}
    for m in catalog:
        # a plural (ngettext) entry has (singular, plural) ids and one string per form
        msgid = m.id[0] if isinstance(m.id, tuple) else m.id
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if msgid and all(strings):
            translated[(msgid, m.context)] = strings
    missing = sorted(_msgids() - set(translated), key=str)
    assert missing == [], f"{len(missing)} strings lack English: {missing[:10]}"
    wrong = [
        msgid
        for (msgid, _context), texts in translated.items()
        for text in texts
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text))
    ]
    assert wrong == []
