"""Form fields several areas share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import DateField as _DateField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from talentpool.tabular import parse_date

NOT_A_DATE = _l("日付を YYYY-MM-DD の形式で入力してください。")

#: File endings every import page accepts (tab-separated text is read as CSV).
SPREADSHEET_ENDINGS = ["xlsx", "csv", "txt"]


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs or a {value: label} mapping."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


def spreadsheet_file_field() -> FileField:
    """The file field of every import page: an .xlsx or CSV file is required."""
    return FileField(
        _l("ファイル(.xlsx または .csv)"),
        validators=[
            FileRequired(_l("ファイルを選んでください。")),
            FileAllowed(SPREADSHEET_ENDINGS, _l(".xlsx または .csv のファイルを選んでください。")),
        ],
    )


class DateField(_DateField):
    """A date input that also takes what people type where no date picker exists (2026/3/31,
    2026年3月31日, 令和8年3月31日, R8.3.31 — the import's date rules), and refuses impossible
    dates (2026-02-30) and absurd years (9999) with parse_date's Japanese message, or with
    `invalid_message` when a form sets one."""

    invalid_message: str | None = None

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            self.raw_data = []  # blank is empty, so InputRequired refuses it
            return
        try:
            self.data = parse_date(valuelist[0])
        except ValueError as error:
            self.data = None
            raise ValueError(self.invalid_message or str(error)) from None


class IsoDateField(DateField):
    """A DateField whose refusal asks for the YYYY-MM-DD form (the training and report forms)."""

    invalid_message = NOT_A_DATE


class QuickSelect(Select):
    """WTForms' select, each plain option written with one format instead of html_params
    (the same HTML, ten times faster: a prefecture's municipality filter has up to 180
    options on every list page)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = escape(str(choice.value))
        label = escape(choice.label or choice.value)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{value}">{label}</option>')
