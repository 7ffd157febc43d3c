"""What the pool and the national list share about a talent profile: the filter form, the
entry form and its plain values, the import form and the import template."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from talentpool.extensions import db
from talentpool.services.offers.capacity import MAX_HOURS_PER_MONTH
from talentpool.services.pool.talent import set_active
from talentpool.services.pool.talent_format import ordered_terms, template_columns
from talentpool.tabular import write_template
from talentpool.web.downloads import file_response
from talentpool.web.form_fields import choices, spreadsheet_file_field
from talentpool.web.labels import EXTERNAL_ROLE_LABELS, KIND_LABELS, WORK_STYLE_LABELS

ANY = SelectChoice("", _l("指定なし"))


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (rendered in a fieldset by the `checkboxes` macro)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# --- filters (GET, no CSRF) -------------------------------------------------------------------


class ProfileFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("キーワード(氏名・ふりがな・職務経歴・資格)"), validators=[Optional(), Length(max=200)]
    )
    skills = MultiCheckboxField(_l("スキル(すべてを持つ人)"), choices=[])
    kind = SelectField(_l("種別"), choices=[ANY, *choices(KIND_LABELS)], default="")
    cio = SelectField(
        _l("CIO補佐官候補"),
        default="",
        choices=[ANY, *choices([("yes", _l("候補のみ")), ("no", _l("候補以外"))])],
    )
    work_style = SelectField(_l("勤務形態"), choices=[ANY, *choices(WORK_STYLE_LABELS)], default="")
    min_hours = IntegerField(
        _l("稼働可能時間(月)の下限"), validators=[Optional(), NumberRange(0, MAX_HOURS_PER_MONTH)]
    )
    sort = SelectField(
        _l("並び順"),
        default="kana",
        choices=choices(
            [
                ("kana", _l("ふりがな順")),
                ("hours", _l("稼働可能時間の多い順")),
                ("updated", _l("更新の新しい順")),
                ("external_id", _l("管理番号順")),
                ("kind", _l("種別順")),
                ("work_style", _l("勤務形態順")),
                ("active", _l("状態順")),
            ]
        ),
    )


def active_filter() -> SelectField:
    return SelectField(
        _l("状態"),
        default="active",
        choices=choices(
            [("active", _l("有効のみ")), ("inactive", _l("無効のみ")), ("all", _l("すべて"))]
        ),
    )


# --- profiles ---------------------------------------------------------------------------------


class AvailabilityFields:
    """What a talent keeps up to date themselves."""

    available_hours_per_month = IntegerField(
        _l("稼働可能時間(月・時間)"),
        default=0,
        validators=[
            InputRequired(_l("0以上の整数を入力してください。")),
            NumberRange(0, MAX_HOURS_PER_MONTH),
        ],
    )
    work_style = SelectField(_l("勤務形態"), choices=choices(WORK_STYLE_LABELS), default="hybrid")
    skills = MultiCheckboxField(_l("スキル"), choices=[])
    experience = TextAreaField(_l("職務経歴"), validators=[Optional(), Length(max=10_000)])
    qualifications = TextAreaField(_l("資格"), validators=[Optional(), Length(max=2_000)])
    email = EmailField(
        _l("メールアドレス"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    phone = StringField(_l("電話番号"), validators=[Optional(), Length(max=30)])


class EntryForm(AvailabilityFields, FlaskForm):
    """A national-list entry; the pool's profile form adds its own fields."""

    external_id = StringField(_l("管理番号"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("氏名(企業名)"), validators=[DataRequired(), Length(max=100)])
    name_kana = StringField(_l("ふりがな"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("種別"), choices=choices(KIND_LABELS), default="external")
    cio_candidate = BooleanField(_l("CIO補佐官候補"))
    external_role = SelectField(
        _l("外部人材スキル標準の役割"),
        default="",
        choices=[SelectChoice("", _l("なし")), *choices(EXTERNAL_ROLE_LABELS)],
    )
    submit = SubmitField(_l("保存する"))


_NULLABLE_TEXT = ("email", "phone", "external_role", "external_id")


def form_values(form: FlaskForm, keys: tuple[str, ...]) -> dict[str, Any]:
    """The service's plain values from a validated form (blank text → None where nullable)."""
    values: dict[str, Any] = {}
    for key in keys:
        if key not in form:
            continue
        value = form[key].data
        if isinstance(value, str):
            value = value.strip()
            if key in _NULLABLE_TEXT and not value:
                value = None
        values[key] = value
    return values


def fill_form(form: FlaskForm, profile) -> None:
    """Pre-fill a profile form from a Talent or an entry (GET)."""
    for name in form.data:
        if name in ("skills",):
            form.skills.data = [t.code for t in profile.skills]
        elif name == "areas":
            form.areas.data = [m.lg_code for m in profile.areas]
        elif hasattr(profile, name) and name not in ("submit", "csrf_token"):
            value = getattr(profile, name)
            form[name].data = "" if value is None and name == "external_role" else value


def switch_active(profile, deactivated: str, back: str):
    """The profile page's 有効/無効 button (POST `active=1|0`, else 400): switch, commit, say
    so (`deactivated`: what a deactivation means here) and go `back`."""
    active = request.form.get("active")
    if active not in ("0", "1"):
        abort(400)
    set_active(profile, active == "1")
    db.session.commit()
    flash(_("有効にしました。") if profile.active else deactivated, "success")
    return redirect(back)


# --- import -----------------------------------------------------------------------------------


class ImportForm(FlaskForm):
    file = spreadsheet_file_field()
    submit = SubmitField(_l("内容を確認する"))


def import_template(stem: str, municipalities=None):
    """The import template: headers, drop-downs for codes and the codes sheet."""
    body = write_template(
        template_columns(ordered_terms(), municipalities),
        sheet_title="人材プール" if municipalities is not None else "国のリスト",
    )
    return file_response(body, stem, "xlsx")
