"""The pool's import pages (the shared upload → preview → commit flow of talentpool.web.imports),
and the import template the pool and the national list share."""

from __future__ import annotations

from flask_login import current_user

from talentpool.permissions import COORDINATOR, require_role
from talentpool.pool import bp
from talentpool.pool.forms import ImportForm
from talentpool.services.imports import ImportMode, ImportReport
from talentpool.services.talent_format import ordered_terms, template_columns
from talentpool.services.talent_import import apply_import, plan_pool_import
from talentpool.tabular import write_template
from talentpool.web.downloads import file_response
from talentpool.web.imports import ImportPage, commit, upload_and_preview


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


def import_template(stem: str, municipalities=None):
    """The import template: headers, drop-downs for codes and the codes sheet."""
    body = write_template(
        template_columns(ordered_terms(), municipalities),
        sheet_title="人材プール" if municipalities is not None else "国のリスト",
    )
    return file_response(body, stem, "xlsx")


@bp.route("/import/template.xlsx")
@require_role(*COORDINATOR)
def import_template_download():
    return import_template("talent_pool_template", current_user.prefecture.municipalities)
