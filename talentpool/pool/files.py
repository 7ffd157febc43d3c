"""The pool's import pages (the shared upload → preview → commit flow of talentpool.web.imports)
and its import template."""

from __future__ import annotations

from flask_login import current_user

from talentpool.permissions import COORDINATOR, require_role
from talentpool.pool import bp
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.pool.talent_import import apply_import, plan_pool_import
from talentpool.web.imports import ImportPage, commit, upload_and_preview
from talentpool.web.profiles import ImportForm, import_template


def _run(data: bytes, filename: str, options, *, mode: ImportMode, dry_run: bool) -> ImportReport:
    report = plan_pool_import(data, filename, prefecture_code=current_user.prefecture.code)
    if not dry_run:
        apply_import(report, mode=mode)
    return report


def _page() -> ImportPage:
    return ImportPage(
        scope=f"pool:{current_user.prefecture_id}",
        run=_run,
        upload_form=ImportForm,
        template="pool/import.html",
        upload_template="pool/import.html",
        upload_endpoint="pool.import_upload",
        commit_endpoint="pool.import_commit",
        done_endpoint="pool.index",
    )


@bp.route("/import", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def import_upload():
    return upload_and_preview(_page())


@bp.route("/import/commit", methods=["POST"])
@require_role(*COORDINATOR)
def import_commit():
    return commit(_page())


@bp.route("/import/template.xlsx")
@require_role(*COORDINATOR)
def import_template_download():
    return import_template("talent_pool_template", current_user.prefecture.municipalities)
