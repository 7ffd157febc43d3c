"""The pool's import pages (the shared upload → preview → commit flow of talentpool.web.imports)
and its import template."""

from __future__ import annotations

from flask_login import current_user

from talentpool.permissions import COORDINATOR, require_role
from talentpool.pool import bp
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.pool.talent_import import apply_import, plan_pool_import
from talentpool.web.imports import ImportPage, add_import_routes
from talentpool.web.profiles import ImportForm, import_template


def _run(data: bytes, filename: str, options, *, mode: ImportMode, dry_run: bool) -> ImportReport:
    report = plan_pool_import(data, filename, prefecture_code=current_user.prefecture.code)
    if not dry_run:
        apply_import(report, mode=mode)
    return report


#: Each prefecture's staged files are its own.
IMPORT_PAGE = ImportPage("pool", _run, ImportForm, tenant=lambda: current_user.prefecture_id)
add_import_routes(bp, IMPORT_PAGE, COORDINATOR)


@bp.route("/import/template.xlsx")
@require_role(*COORDINATOR)
def import_template_download():
    return import_template("talent_pool_template", current_user.prefecture.municipalities)
