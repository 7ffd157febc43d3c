"""Import of enrolments/completions (upload → preview → commit) and export per fiscal year."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from talentpool import fiscal
from talentpool.models import Role
from talentpool.permissions import PREFECTURE_STAFF, require_role
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.training.files import (
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
from talentpool.web.downloads import file_response
from talentpool.web.imports import ImportPage, add_import_routes
from talentpool.web.lists import selected_year


def _scope() -> Scope:
    if current_user.role == Role.municipal_officer:
        return Scope(current_user.prefecture_id, current_user.municipality_id)
    return Scope(current_user.prefecture_id)


def _run(data: bytes, filename: str, options, *, mode: ImportMode, dry_run: bool) -> ImportReport:
    return import_file(data, filename, _scope(), mode=mode, dry_run=dry_run)


IMPORT_PAGE = ImportPage(
    "training",
    _run,
    UploadForm,
    preview_template="training/import_preview.html",
    context={"columns": SCHEMA.columns},
)
add_import_routes(bp, IMPORT_PAGE, PREFECTURE_STAFF)


@bp.route("/import/template.xlsx")
@require_role(*PREFECTURE_STAFF)
def import_template():
    """An empty sheet with the import's headers, drop-downs and the codes sheet."""
    return file_response(template_file(_scope()), "training_template", "xlsx")


@bp.route("/export")
@require_role(*PREFECTURE_STAFF)
def export():
    """The year's training records of DX leaders as .xlsx (default) or CSV."""
    year = selected_year()
    kind = request.args.get("format", "xlsx")
    if kind not in ("xlsx", "csv"):
        abort(400)
    rows = export_rows(_scope(), year)
    if kind == "csv":
        body = write_csv(EXPORT_HEADERS, rows)
    else:
        body = write_xlsx(EXPORT_HEADERS, rows, sheet_title=fiscal.label(year, "ja"))
    return file_response(body, f"training_{year}", kind, dated=False)
