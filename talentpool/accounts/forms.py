"""Invitation form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional


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
