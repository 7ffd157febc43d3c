"""Import of enrolments/completions (upload → preview → commit) and export per fiscal year."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import fiscal, uploads
from talentpool.extensions import db
from talentpool.models import Role
from talentpool.permissions import PREFECTURE_STAFF, require_role
from talentpool.services.training_files import (
    EXPORT_HEADERS,
    SCHEMA,
    Scope,
    export_rows,
    import_file,
    template_file,
)
from talentpool.tabular import write_csv, write_xlsx
from talentpool.training import bp
from talentpool.training.forms import UploadForm
from talentpool.training.views import selected_year

UPLOAD_KIND = "training"


def _scope() -> Scope:
    if current_user.role == Role.municipal_officer:
        return Scope(current_user.prefecture_id, current_user.municipality_id)
    return Scope(current_user.prefecture_id)


def _upload_page(form: UploadForm, status: int = 200):
    return render_template("training/import.html", form=form, columns=SCHEMA.columns), status


@bp.route("/import", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def import_upload():
    form = UploadForm()
    if request.method == "GET":
        return _upload_page(form)
    if not form.validate_on_submit():
        return _upload_page(form, 400)
    data = form.file.data.read()
    filename = form.file.data.filename or ""
    report = import_file(data, filename, _scope(), apply=False)
    db.session.rollback()
    token = None
    if report.created + report.updated + report.unchanged:  # at least one importable row
        token = uploads.stage(data, filename, owner_id=current_user.id, scope=UPLOAD_KIND).token
    return render_template(
        "training/import_preview.html", report=report, token=token, filename=filename
    ), 200 if token else 400


@bp.route("/import/commit", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def import_commit():
    token = request.form.get("token", "")
    stored = uploads.load(token, owner_id=current_user.id, scope=UPLOAD_KIND)
    if stored is None:
        flash(_("取り込むファイルが見つかりません。もう一度アップロードしてください。"), "error")
        return redirect(url_for("training.import_upload"))
    good_rows_only = request.form.get("mode") == "good_rows"
    report = import_file(
        stored.data, stored.filename, _scope(), apply=True, good_rows_only=good_rows_only
    )
    if not report.ok and not good_rows_only:
        db.session.rollback()
        flash(_("エラーのある行があるため、何も取り込みませんでした。"), "error")
        return render_template(
            "training/import_preview.html", report=report, token=token, filename=stored.filename
        ), 400
    uploads.discard(token)
    db.session.commit()
    flash(
        _(
            "取り込みました: 受講記録の追加 %(created)d件、更新 %(updated)d件、"
            "変更なし %(same)d件、DX推進リーダーの新規登録 %(leaders)d人。",
            created=report.created,
            updated=report.updated,
            same=report.unchanged,
            leaders=report.created_leaders,
        ),
        "success",
    )
    if report.errors:
        flash(_("エラーのあった%(n)d行は取り込んでいません。", n=report.error_rows), "warning")
    return redirect(url_for("training.index"))


@bp.route("/import/template.xlsx")
@require_role(*PREFECTURE_STAFF)
def import_template():
    """An empty sheet with the import's headers, drop-downs and the codes sheet."""
    return Response(
        template_file(_scope()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="training_template.xlsx"'},
    )


@bp.route("/export")
@require_role(*PREFECTURE_STAFF)
def export():
    """The year's training records of DX leaders as .xlsx (default) or CSV."""
    year = selected_year()
    kind = request.args.get("format", "xlsx")
    if kind not in ("xlsx", "csv"):
        abort(400)
    rows = export_rows(_scope(), year)
    name = f"training_{year}"
    if kind == "csv":
        body, mime = write_csv(EXPORT_HEADERS, rows), "text/csv; charset=utf-8"
    else:
        body = write_xlsx(EXPORT_HEADERS, rows, sheet_title=fiscal.label(year, "ja"))
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mime,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )
