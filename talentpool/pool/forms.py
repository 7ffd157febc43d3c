"""Forms of the pool pages (the ones the national list shares are in talentpool.web.profiles)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.validators import DataRequired, Optional

from talentpool.services.accounts.invitations import TALENT_LOGIN_LABELS
from talentpool.web.form_fields import DateField, choices
from talentpool.web.profiles import (
    ANY,
    AvailabilityFields,
    EntryForm,
    MultiCheckboxField,
    ProfileFilterForm,
    active_filter,
)


class PoolFilterForm(ProfileFilterForm):
    active = active_filter()
    training = SelectField(
        _l("行政実務研修"),
        default="",
        choices=[ANY, *choices([("yes", _l("修了済み")), ("no", _l("未修了"))])],
    )
    login = SelectField(_l("ログイン"), default="", choices=[ANY, *choices(TALENT_LOGIN_LABELS)])


# --- profiles ---------------------------------------------------------------------------------


class OwnProfileForm(AvailabilityFields, FlaskForm):
    areas = MultiCheckboxField(_l("対応できる市町村(選ばなければ県内全域)"), choices=[])
    submit = SubmitField(_l("保存する"))


class TalentForm(EntryForm):
    areas = MultiCheckboxField(_l("対応できる市町村(選ばなければ県内全域)"), choices=[])
    employment_start = DateField(_l("雇用開始日(常勤職員)"), validators=[Optional()])
    employment_end = DateField(_l("雇用終了日(常勤職員)"), validators=[Optional()])


class AnonymizeForm(FlaskForm):
    confirm = BooleanField(
        _l("氏名・連絡先・自由記述を削除し、元に戻せないことを確認しました"),
        validators=[DataRequired(_l("確認のチェックを入れてください。"))],
    )
    submit = SubmitField(_l("匿名化する"))
