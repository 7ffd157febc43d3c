"""Export of the filtered request list and the two-step import (preview, then commit)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import scoping, uploads
from talentpool.extensions import db
from talentpool.models import utcnow
from talentpool.permissions import PREFECTURE_STAFF, require_role
from talentpool.requests import bp
from talentpool.requests.forms import CommitForm, ImportForm
from talentpool.requests.views import filter_form
from talentpool.services.request_io import (
    export_file,
    import_requests,
    scope_for_user,
    template_file,
)
from talentpool.services.request_search import apply_filters

UPLOAD_KIND = "requests"
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _download(data: bytes, fmt: str, stem: str) -> Response:
    name = f"{stem}_{utcnow():%Y%m%d}.{fmt}"
    return Response(
        data,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/export.<fmt>")
@require_role(*PREFECTURE_STAFF)
def export(fmt: str):
    """The list as filtered on screen (all pages), in the canonical import format."""
    if fmt not in MIMETYPES:
        abort(404)
    _form, filters, valid = filter_form()
    if not valid:
        abort(400)
    items = db.session.scalars(apply_filters(scoping.requests_for(current_user), filters))
    codes = request.args.get("codes") == "1"  # English headers and codes, for other systems
    return _download(export_file(items, fmt, codes=codes), fmt, "requests")


@bp.route("/import/template.xlsx")
@require_role(*PREFECTURE_STAFF)
def import_template():
    """An empty sheet with the headers, drop-downs and the codes sheet, to fill in."""
    municipalities = db.session.scalars(scoping.municipalities_for(current_user))
    return _download(template_file(municipalities), "xlsx", "requests_template")


def _preview(token: str, report, publish: bool, status: int = 200):
    return render_template(
        "requests/import_preview.html",
        report=report,
        token=token,
        publish=publish,
        form=CommitForm(token=token),
    ), status


@bp.route("/import", methods=["GET", "POST"])
@require_role(*PREFECTURE_STAFF)
def import_upload():
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("requests/import.html", form=form), status
    upload = form.file.data
    data = upload.read()
    publish = bool(form.publish.data)
    report = import_requests(
        data, upload.filename or "", scope_for_user(current_user), dry_run=True, publish=publish
    )
    if not report.outcomes:  # unreadable, or not one importable row: refused and not kept
        return _preview("", report, publish, 400)
    token = uploads.stage(
        data,
        upload.filename or "",
        owner_id=current_user.id,
        scope=UPLOAD_KIND,
        options={"publish": publish},
    ).token
    return _preview(token, report, publish)


@bp.route("/import/commit", methods=["POST"])
@require_role(*PREFECTURE_STAFF)
def import_commit():
    form = CommitForm()
    stored = uploads.load(form.token.data or "", owner_id=current_user.id, scope=UPLOAD_KIND)
    if not form.validate_on_submit() or stored is None:
        flash(
            _(
                "確認済みのファイルが見つかりません(有効期限切れの可能性があります)。"
                "もう一度ファイルを選んでください。"
            ),
            "error",
        )
        return render_template("requests/import.html", form=ImportForm(formdata=None)), 400
    publish = bool(stored.options.get("publish"))
    mode = "valid" if form.commit_valid.data else "all"
    report = import_requests(
        stored.data, stored.filename, scope_for_user(current_user), mode=mode, publish=publish
    )
    if not report.committed:
        db.session.rollback()
        flash(_("エラーのある行があるため、何も取り込みませんでした。"), "error")
        return _preview(form.token.data, report, publish, 400)
    uploads.discard(form.token.data)
    db.session.commit()
    flash(
        _(
            "取り込みました: 新規 %(created)d件、更新 %(updated)d件、変更なし %(same)d件、"
            "エラーで除外 %(skipped)d行。",
            created=report.count("create"),
            updated=report.count("update"),
            same=report.count("unchanged"),
            skipped=report.error_rows,
        ),
        "success",
    )
    return redirect(url_for("requests.index"))
