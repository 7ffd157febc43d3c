"""Forms of the notifications area: the mail choice per kind, the mail status filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

#: The mail status page's filter: which undelivered (or delivered) mail to list.
STATUS_CHOICES = [
    SelectChoice("undelivered", _l("未送信(送信待ち・再試行待ち・送信失敗)")),
    SelectChoice("failed", _l("送信失敗(あきらめたもの)")),
    SelectChoice("waiting", _l("送信待ち・再試行待ち")),
    SelectChoice("sent", _l("送信済み")),
]


class MailSettingsForm(FlaskForm):
    by_mail = SelectMultipleField(
        _l("メールでも受け取るお知らせ"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )


class MailStatusFilter(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("状態"), choices=STATUS_CHOICES, default="undelivered")
    q = StringField(_l("宛先・件名"), validators=[Optional(), Length(max=100)])
