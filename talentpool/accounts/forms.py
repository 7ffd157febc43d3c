"""Forms of the accounts area: inviting, the invitation list's filters, bulk and plan invites."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from talentpool.services.accounts.invitations import INVITATION_STATE_LABELS
from talentpool.web.form_fields import DateField


class InvitationForm(FlaskForm):
    name = StringField(_l("氏名"), validators=[DataRequired(), Length(max=100)])
    email = EmailField(
        _l("メールアドレス"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(_l("役割"), choices=[])
    prefecture_id = SelectField(
        _l("都道府県"), coerce=int, choices=[], validators=[Optional()], validate_choice=True
    )
    municipality_id = SelectField(_l("市町村"), coerce=int, choices=[], validators=[Optional()])
    submit = SubmitField(_l("招待する"))


class InvitationFilterForm(FlaskForm):
    """Filters of the invitation list (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("キーワード(氏名・メールアドレス)"), validators=[Optional(), Length(max=100)]
    )
    state = SelectField(
        _l("状態"),
        default="open",
        choices=[
            SelectChoice("open", _l("対応が必要(招待中・期限切れ)")),
            *(SelectChoice(value, label) for value, label in INVITATION_STATE_LABELS.items()),
            SelectChoice("all", _l("すべて")),
        ],
    )


class MultipleIntegers(SelectMultipleField):
    """Ids chosen with checkboxes (any integers; the service checks whose they are)."""

    def pre_validate(self, form) -> None:
        pass

    def process_formdata(self, valuelist):
        try:
            self.data = [int(v) for v in valuelist]
        except ValueError:
            self.data = None
            raise ValueError(_l("選択が正しくありません。")) from None


class BulkInviteForm(FlaskForm):
    """The pool list's selection; `confirm` marks the second, confirming submit."""

    talent_id = MultipleIntegers(_l("招待する人材"))
    confirm = IntegerField(validators=[Optional()])
    #: Sent from a request's ranking: return there.
    request_id = IntegerField(validators=[Optional()])


class InviteOfferForm(FlaskForm):
    reply_by = DateField(
        _l("回答期限"), validators=[InputRequired(_l("回答期限を入力してください。"))]
    )
    message = TextAreaField(_l("メッセージ"), validators=[Length(max=4000)])
    submit = SubmitField(_l("招待して打診する"))
