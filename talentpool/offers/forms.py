"""Forms of the offers area: sending, answering, ending, activity, fee, rating, filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from talentpool.services.offers.assignments import MAX_MONTHLY_FEE
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.offers.lifecycle import DECLINE_CODES
from talentpool.web.form_fields import DateField, QuickSelect


class OfferForm(FlaskForm):
    talent_id = SelectField(_l("人材"), coerce=int, choices=[], validators=[InputRequired()])
    hours_per_month = IntegerField(
        _l("月あたりの時間"),
        validators=[
            InputRequired(_l("時間を入力してください。")),
            NumberRange(1, MAX_HOURS_PER_MONTH, _l("1〜%(max)s時間で入力してください。")),
        ],
    )
    start_date = DateField(_l("開始日"), validators=[Optional()])
    end_date = DateField(_l("終了日"), validators=[Optional()])
    reply_by = DateField(
        _l("回答期限"), validators=[InputRequired(_l("回答期限を入力してください。"))]
    )
    message = TextAreaField(_l("メッセージ"), validators=[Length(max=4000)])
    #: Where the offer was started: the request's ranking or by hand (remembered for learning).
    source = HiddenField(default="hand", validators=[AnyOf(("ranking", "hand"))])
    submit = SubmitField(_l("打診を送る"))


class DeclineForm(FlaskForm):
    code = RadioField(
        _l("辞退の理由"),
        choices=[SelectChoice(code, label) for code, label in DECLINE_CODES.items()],
        validators=[InputRequired(_l("辞退の理由を一覧から選んでください。"))],
    )
    reason = TextAreaField(_l("詳しい理由(「その他」のときは必須)"), validators=[Length(max=2000)])
    submit = SubmitField(_l("辞退する"))

    def validate_reason(self, field) -> None:
        if self.code.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("辞退の理由を入力してください。"))


class EndEarlyForm(FlaskForm):
    reason = TextAreaField(
        _l("途中終了の理由"),
        validators=[DataRequired(_l("途中終了の理由を入力してください。")), Length(max=2000)],
    )
    submit = SubmitField(_l("途中で終了する"))


class FeeForm(FlaskForm):
    monthly_fee = IntegerField(
        _l("月額報酬(円)"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_MONTHLY_FEE, message=_l("0〜%(max)s円で入力してください。")),
        ],
    )
    submit = SubmitField(_l("保存する"))


class ActivityForm(FlaskForm):
    month = SelectField(_l("対象月"), choices=[], validators=[InputRequired()])
    hours = IntegerField(
        _l("活動時間"),
        validators=[
            InputRequired(_l("時間を入力してください。")),
            NumberRange(0, MAX_HOURS_PER_MONTH, _l("0〜%(max)s時間で入力してください。")),
        ],
    )
    note = TextAreaField(_l("活動内容"), validators=[Length(max=4000)])
    submit = SubmitField(_l("記録する"))


def _optional_int(value) -> int | None:
    return None if value in ("", None) else int(value)


class RatingForm(FlaskForm):
    # No score is chosen in advance: the officer picks one on purpose.
    score = SelectField(
        _l("評価"),
        coerce=_optional_int,
        default=None,
        validators=[InputRequired(_l("評価を選んでください。"))],
        choices=[
            SelectChoice("", _l("選んでください")),
            SelectChoice(5, _l("5 とても良かった")),
            SelectChoice(4, _l("4 良かった")),
            SelectChoice(3, _l("3 普通")),
            SelectChoice(2, _l("2 やや不満")),
            SelectChoice(1, _l("1 不満")),
        ],
    )
    comment = TextAreaField(_l("コメント"), validators=[Length(max=4000)])
    submit = SubmitField(_l("評価を送る"))


class ListFilterForm(FlaskForm):
    """Filters of the offers list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("キーワード(人材名・依頼名)"), validators=[Optional(), Length(max=100)])
    municipality_id = SelectField(
        _l("市町村"),
        coerce=int,
        choices=[],
        validators=[Optional()],
        validate_choice=False,
        widget=QuickSelect(),
    )


class CompleteManyForm(FlaskForm):
    """Assignments to complete at once (the overdue list's checkboxes)."""

    ids = SelectMultipleField(_l("完了にする派遣"), coerce=int, choices=[], validate_choice=False)
    submit = SubmitField(_l("選んだ派遣を完了にする"))
