"""Forms of the reports area: the dashboard filter and the recruitment-cost entries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from talentpool.text import normalize
from talentpool.web.form_fields import IsoDateField

REQUIRED = _l("入力してください。")


class DashboardFilterForm(FlaskForm):
    """Year and focus area (GET, no CSRF); choices are set by the view."""

    class Meta:
        csrf = False

    year = SelectField(
        _l("年度"),
        coerce=int,
        choices=[],
        invalid_choice_message=_l("一覧から年度を選んでください。"),
    )
    focus = SelectField(
        _l("重点取組"),
        choices=[],
        default="",
        invalid_choice_message=_l("一覧から重点取組を選んでください。"),
    )


class YenField(IntegerField):
    """An amount in yen: 全角 digits, thousands separators and a trailing 円 are accepted."""

    def process_formdata(self, valuelist):
        text = (
            normalize(valuelist[0]).replace(",", "").removesuffix("円").strip() if valuelist else ""
        )
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("金額は円単位の整数で入力してください(例: 120000)。")) from None


class ExpenseForm(FlaskForm):
    spent_on = IsoDateField(_l("支出日"), validators=[InputRequired(REQUIRED)])
    fiscal_year = SelectField(_l("計上する年度"), coerce=int, choices=[])
    description = StringField(_l("内容"), validators=[DataRequired(REQUIRED), Length(max=200)])
    amount = YenField(_l("金額(円・税込)"), validators=[InputRequired(REQUIRED)])
    vendor = StringField(_l("支出先"), validators=[Optional(), Length(max=200)])
    note = TextAreaField(_l("備考"), validators=[Optional(), Length(max=2000)])


class VoidForm(FlaskForm):
    reason = StringField(_l("取消の理由"), validators=[DataRequired(REQUIRED), Length(max=500)])
