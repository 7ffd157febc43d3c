"""Forms of the matching pages: computing a plan, changing a pair, sending the plan."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional


class PlanForm(FlaskForm):
    fairness = BooleanField(_l("支援のない依頼・市町村を優先する(公平性)"), default=True)
    invited_only = BooleanField(
        _l("ログインできる人材(招待済み)だけで計画する(このまま一括打診できます)"), default=True
    )
    min_score = DecimalField(
        _l("組み合わせに使うスコアの下限(0〜1)"),
        places=2,
        default=0,
        validators=[
            Optional(),
            NumberRange(0, 1, message=_l("0から1の間で入力してください。")),
        ],
    )
    submit = SubmitField(_l("計画を計算する"))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (removing a pair)."""


class SwapForm(FlaskForm):
    talent_id = IntegerField(_l("人材"), validators=[InputRequired()])


class SendPlanForm(FlaskForm):
    reply_by = DateField(
        _l("回答期限"), validators=[InputRequired(_l("回答期限を入力してください。"))]
    )
    message = TextAreaField(_l("メッセージ"), validators=[Length(max=4000)])
    submit = SubmitField(_l("この計画で一括打診する"))
