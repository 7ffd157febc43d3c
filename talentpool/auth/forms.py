"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("パスワード"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("ログイン"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("パスワード(10文字以上)"), validators=[DataRequired(), Length(min=10, max=200)]
    )
    confirm = PasswordField(
        _l("パスワード(確認)"),
        validators=[DataRequired(), EqualTo("password", message=_l("パスワードが一致しません。"))],
    )
    submit = SubmitField(_l("パスワードを設定してはじめる"))


class ResetPasswordForm(SetPasswordForm):
    password = PasswordField(
        _l("新しいパスワード(10文字以上)"), validators=[DataRequired(), Length(min=10, max=200)]
    )
    submit = SubmitField(_l("パスワードを再設定する"))


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("現在のパスワード"), validators=[DataRequired(), Length(max=200)]
    )
    submit = SubmitField(_l("パスワードを変更する"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("メールアドレス"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("再設定のリンクを送る"))
