"""Forms of the requests area: the request itself, list filters, import upload and commit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, DateInput, ListWidget

from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.requests.search import SORTS
from talentpool.services.requests.states import STATE_LABELS
from talentpool.services.requests.support_requests import (
    FUNDING_LABELS,
    MAX_DESCRIPTION,
    MAX_HEADCOUNT,
)
from talentpool.tabular import parse_date
from talentpool.web.form_fields import QuickSelect, choices, spreadsheet_file_field

REQUIRED = _l("入力してください。")
NOT_A_CHOICE = _l("選択肢から選んでください。")


def max_length(n: int) -> Length:
    return Length(max=n, message=_l("%(max)d文字以内で入力してください。"))


class NumberField(IntegerField):
    """An integer field whose parse error is Japanese; 全角 digits are accepted."""

    def process_formdata(self, valuelist):
        from talentpool.text import normalize

        if not valuelist or not normalize(valuelist[0]):
            self.data = None
            return
        try:
            self.data = int(normalize(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError(_l("整数で入力してください。")) from None


class DateField(StringField):
    """A date input that also accepts 2026/4/1 and 令和8年4月1日 (for typed-in dates)."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = parse_date(valuelist[0])  # ValueError carries a Japanese message

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        choices = {str(choice.value) for choice in self.choices or ()}
        unknown = [v for v in self.data or () if str(v) not in choices]
        if unknown:
            raise ValidationError(_l("選択肢にない値です: %(values)s", values="、".join(unknown)))


def funding_choices() -> list[SelectChoice]:
    return choices(
        [("", _l("指定しない")), *((code.value, label) for code, label in FUNDING_LABELS.items())]
    )


class RequestForm(FlaskForm):
    municipality_id = SelectField(
        _l("市町村"),
        coerce=int,
        choices=[],
        validators=[InputRequired(REQUIRED)],
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
    )
    external_id = StringField(_l("管理番号"), validators=[Optional(), max_length(64)])
    title = StringField(_l("件名"), validators=[InputRequired(REQUIRED), max_length(200)])
    description = TextAreaField(
        _l("依頼内容"), validators=[max_length(MAX_DESCRIPTION)], render_kw={"rows": 14}
    )
    focus_areas = CheckboxesField(_l("重点取組"), choices=[])
    skills = CheckboxesField(_l("求めるスキル・役割"), choices=[])
    hours_per_month = NumberField(
        _l("月間時間(1人あたり)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                1,
                MAX_HOURS_PER_MONTH,
                _l("1〜%(max)d時間で入力してください。", max=MAX_HOURS_PER_MONTH),
            ),
        ],
    )
    headcount = NumberField(
        _l("人数"),
        default=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                1, MAX_HEADCOUNT, _l("1〜%(max)d人で入力してください。", max=MAX_HEADCOUNT)
            ),
        ],
    )
    start_date = DateField(_l("開始日"))
    end_date = DateField(_l("終了日"))
    onsite_required = BooleanField(_l("現地(来庁)での対応が必要"))
    wants_cio = BooleanField(_l("CIO補佐官等を求める"))
    funding = SelectField(
        _l("財源"), choices=[], validators=[Optional()], invalid_choice_message=NOT_A_CHOICE
    )
    contact_name = StringField(_l("担当者名"), validators=[max_length(100)])
    contact_email = StringField(_l("担当者メールアドレス"), validators=[max_length(254)])
    contact_phone = StringField(_l("担当者電話番号"), validators=[max_length(30)])
    save = SubmitField(_l("下書き保存"))
    save_and_publish = SubmitField(_l("保存して公開"))

    def values(self, names) -> dict:
        """The service values of the fields in `names` (focus areas and skills are one list)."""
        out = {}
        for name in names:
            if name == "skills":
                out["skills"] = [*(self.focus_areas.data or []), *(self.skills.data or [])]
            elif name in self:
                out[name] = self[name].data
        return out


class FilterForm(FlaskForm):
    """The list filters; read from the query string, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("キーワード"), validators=[Optional(), max_length(100)])
    municipality_id = SelectField(
        _l("市町村"),
        widget=QuickSelect(),
        coerce=int,
        choices=[],
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
        invalid_value_message=NOT_A_CHOICE,
    )
    focus = SelectField(
        _l("重点取組"), choices=[], validators=[Optional()], invalid_choice_message=NOT_A_CHOICE
    )
    state = SelectField(
        _l("状態"),
        choices=choices([("", _l("すべて")), *STATE_LABELS.items()]),
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
    )
    unfilled = BooleanField(_l("未充足のみ"))
    period_from = DateField(_l("期間(から)"))
    period_to = DateField(_l("期間(まで)"))
    sort = SelectField(
        _l("並び順"),
        choices=choices(SORTS.items()),
        default="updated",
        validators=[Optional()],
        invalid_choice_message=NOT_A_CHOICE,
    )


class ImportForm(FlaskForm):
    file = spreadsheet_file_field()
    publish = BooleanField(_l("新しく登録する依頼をすぐに公開する"))
    preview = SubmitField(_l("内容を確認する"))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (state transitions)."""
