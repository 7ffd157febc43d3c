"""Export of the filtered request list and the two-step import (preview, then commit)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from talentpool import scoping
from talentpool.extensions import db
from talentpool.permissions import PREFECTURE_STAFF, require_role
from talentpool.requests import bp
from talentpool.requests.forms import ImportForm
from talentpool.requests.views import filter_form
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.requests.files import (
    export_file,
    import_requests,
    scope_for_user,
    template_file,
)
from talentpool.services.requests.search import apply_filters
from talentpool.web.downloads import file_response
from talentpool.web.imports import ImportPage, add_import_routes
from talentpool.web.lists import export_codes

FORMATS = ("xlsx", "csv")


@bp.route("/export.<fmt>")
@require_role(*PREFECTURE_STAFF)
def export(fmt: str):
    """The list as filtered on screen (all pages), in the canonical import format."""
    if fmt not in FORMATS:
        abort(404)
    _form, filters, valid = filter_form()
    if not valid:
        abort(400)
    items = db.session.scalars(apply_filters(scoping.requests_for(current_user), filters))
    return file_response(export_file(items, fmt, codes=export_codes()), "requests", fmt)


@bp.route("/import/template.xlsx")
@require_role(*PREFECTURE_STAFF)
def import_template():
    """An empty sheet with the headers, drop-downs and the codes sheet, to fill in."""
    municipalities = db.session.scalars(scoping.municipalities_for(current_user))
    return file_response(template_file(municipalities), "requests_template", "xlsx")


def _run(data: bytes, filename: str, options, *, mode: ImportMode, dry_run: bool) -> ImportReport:
    publish = bool(options.get("publish"))
    scope = scope_for_user(current_user)
    return import_requests(data, filename, scope, mode=mode, dry_run=dry_run, publish=publish)


IMPORT_PAGE = ImportPage(
    "requests",
    _run,
    ImportForm,
    preview_template="requests/import_preview.html",
    options=lambda form: {"publish": bool(form.publish.data)},
)
add_import_routes(bp, IMPORT_PAGE, PREFECTURE_STAFF)
