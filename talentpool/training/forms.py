"""Forms of the training area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from talentpool.web.form_fields import NOT_A_DATE, IsoDateField, spreadsheet_file_field

REQUIRED = _l("入力してください。")
NOT_A_NUMBER = _l("0以上の整数を入力してください。")
BAD_EMAIL = _l("メールアドレスの形式が正しくありません。")


class ProgramForm(FlaskForm):
    name = StringField(_l("研修名"), validators=[DataRequired(REQUIRED), Length(max=200)])
    provider = StringField(_l("実施機関"), validators=[Optional(), Length(max=200)])
    level = StringField(_l("レベル(基礎・応用など)"), validators=[Optional(), Length(max=20)])
    hours = IntegerField(
        _l("時間数"), validators=[Optional(), NumberRange(0, 10_000, NOT_A_NUMBER)]
    )
    fiscal_year = SelectField(_l("年度"), coerce=int, choices=[])
    cost_per_person = IntegerField(
        _l("1人あたり費用(円)"), validators=[Optional(), NumberRange(0, 100_000_000, NOT_A_NUMBER)]
    )
    audience = SelectField(_l("対象"), choices=[])
    submit = SubmitField(_l("研修を追加する"))


class LeaderForm(FlaskForm):
    name = StringField(_l("氏名"), validators=[DataRequired(REQUIRED), Length(max=100)])
    department = StringField(_l("所属"), validators=[Optional(), Length(max=100)])
    position = StringField(_l("役職"), validators=[Optional(), Length(max=100)])
    email = StringField(
        _l("メールアドレス(任意)"),
        validators=[Optional(), Email(BAD_EMAIL, check_deliverability=False), Length(max=254)],
    )
    active = BooleanField(_l("有効(現在もDX推進リーダーとして活動している)"), default=True)
    submit = SubmitField(_l("保存する"))


class EnrollForm(FlaskForm):
    program_id = SelectField(
        _l("研修"), coerce=int, choices=[], validators=[InputRequired(REQUIRED)]
    )
    enrolled_on = IsoDateField(_l("受講開始日"), validators=[InputRequired(NOT_A_DATE)])
    submit = SubmitField(_l("受講登録する"))


class CompleteForm(FlaskForm):
    completed_on = IsoDateField(_l("修了日"), validators=[InputRequired(NOT_A_DATE)])
    certificate_number = StringField(_l("修了証番号"), validators=[Optional(), Length(max=64)])
    submit = SubmitField(_l("修了を記録する"))


class WithdrawForm(FlaskForm):
    withdrawn_on = IsoDateField(_l("辞退日"), validators=[InputRequired(NOT_A_DATE)])
    submit = SubmitField(_l("辞退を記録する"))


class SettingsForm(FlaskForm):
    require_admin_training = BooleanField(
        _l("常勤職員の人材は、行政実務研修を修了するまで打診を受けられないようにする")
    )
    submit = SubmitField(_l("設定を保存する"))


class UploadForm(FlaskForm):
    file = spreadsheet_file_field()
    submit = SubmitField(_l("確認する"))
