"""The national list's import pages (the shared upload → preview → commit flow of
talentpool.web.imports) and its import template."""

from __future__ import annotations

from talentpool.national import bp
from talentpool.permissions import NATIONAL, require_role
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.pool.talent_import import apply_import, plan_national_import
from talentpool.web.imports import ImportPage, add_import_routes
from talentpool.web.profiles import ImportForm, import_template


def _run(data: bytes, filename: str, options, *, mode: ImportMode, dry_run: bool) -> ImportReport:
    report = plan_national_import(data, filename)
    if not dry_run:
        apply_import(report, mode=mode)
    return report


IMPORT_PAGE = ImportPage("national", _run, ImportForm)
add_import_routes(bp, IMPORT_PAGE, NATIONAL)


@bp.route("/import/template.xlsx")
@require_role(*NATIONAL)
def import_template_download():
    return import_template("national_list_template")
