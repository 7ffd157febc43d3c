"""The import pages: upload → preview (nothing written) → commit, for the pool and the
national list alike. The uploaded bytes stay on the server between preview and commit."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from talentpool import uploads
from talentpool.extensions import db
from talentpool.permissions import COORDINATOR, require_role
from talentpool.pool import bp
from talentpool.pool.forms import ImportCommitForm, ImportForm
from talentpool.pool.helpers import spreadsheet
from talentpool.services import DomainError
from talentpool.services.talent_format import ordered_terms, template_columns
from talentpool.services.talent_import import ImportPlan, apply_import, plan_pool_import
from talentpool.tabular import write_template

PREVIEW_ROWS = 300  # good rows listed on the preview; the counts always cover all of them
Planner = Callable[[bytes, str], ImportPlan]


def upload_and_preview(*, scope: str, planner: Planner, template: str, commit_endpoint: str):
    """GET: the upload form. POST: keep the file, check it, and show the preview."""
    form = ImportForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template(template, form=form, plan=None, preview_rows=PREVIEW_ROWS), status
    upload = form.file.data
    filename = upload.filename or "upload"
    data = upload.read()
    plan = planner(data, filename)
    if not plan.rows:  # unreadable, or not one importable row: refused and not kept
        return render_template(
            template, form=form, plan=plan, filename=filename, preview_rows=PREVIEW_ROWS
        ), 400
    staged = uploads.stage(data, filename, owner_id=current_user.id, scope=scope)
    commit_form = ImportCommitForm(formdata=None, token=staged.token)
    return render_template(
        template,
        form=form,
        plan=plan,
        filename=filename,
        commit_form=commit_form,
        commit_endpoint=commit_endpoint,
        preview_rows=PREVIEW_ROWS,
    )


def commit(
    *,
    scope: str,
    planner: Planner,
    template: str,
    commit_endpoint: str,
    upload_endpoint: str,
    done_endpoint: str,
):
    """Re-read the kept file, check it again against today's data, and write it in one commit."""
    commit_form = ImportCommitForm()
    staged = None
    if commit_form.validate_on_submit():
        staged = uploads.load(commit_form.token.data, owner_id=current_user.id, scope=scope)
    if staged is None:
        flash(
            _(
                "確認した取り込みファイルが見つかりません(期限切れの可能性があります)。"
                "もう一度アップロードしてください。"
            ),
            "error",
        )
        return redirect(url_for(upload_endpoint)), 303
    plan = planner(staged.data, staged.filename)
    try:
        apply_import(plan, good_rows_only=commit_form.good_rows_only.data)
        db.session.commit()
    except IntegrityError:  # the same import committed twice at once: the other one won
        db.session.rollback()
        flash(
            _("他の操作と同時に更新されたため取り込めませんでした。もう一度確定してください。"),
            "error",
        )
        return redirect(url_for(upload_endpoint)), 303
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_template(
            template,
            form=ImportForm(formdata=None),
            plan=plan,
            filename=staged.filename,
            commit_form=commit_form,
            commit_endpoint=commit_endpoint,
            preview_rows=PREVIEW_ROWS,
        ), 400
    uploads.discard(staged.token)  # in the same commit: a failed import keeps its file
    try:
        db.session.commit()
    except IntegrityError:  # someone changed the same profiles meanwhile: nothing was written
        db.session.rollback()
        flash(
            _("他の操作と同時に更新されたため取り込めませんでした。もう一度確定してください。"),
            "error",
        )
        return redirect(url_for(upload_endpoint)), 303
    flash(
        _(
            "取り込みました: 新規 %(created)d件、更新 %(updated)d件、変更なし %(same)d件。",
            created=plan.created,
            updated=plan.updated,
            same=plan.unchanged,
        ),
        "success",
    )
    if plan.errors:
        flash(
            _("エラーのあった %(count)d行は取り込んでいません。", count=plan.error_rows), "warning"
        )
    return redirect(url_for(done_endpoint))


def _pool_planner(data: bytes, filename: str) -> ImportPlan:
    return plan_pool_import(data, filename, prefecture_code=current_user.prefecture.code)


def _pool_scope() -> str:
    return f"pool:{current_user.prefecture_id}"


@bp.route("/import", methods=["GET", "POST"])
@require_role(*COORDINATOR)
def import_upload():
    return upload_and_preview(
        scope=_pool_scope(),
        planner=_pool_planner,
        template="pool/import.html",
        commit_endpoint="pool.import_commit",
    )


@bp.route("/import/commit", methods=["POST"])
@require_role(*COORDINATOR)
def import_commit():
    return commit(
        scope=_pool_scope(),
        planner=_pool_planner,
        template="pool/import.html",
        commit_endpoint="pool.import_commit",
        upload_endpoint="pool.import_upload",
        done_endpoint="pool.index",
    )


def import_template(stem: str, municipalities=None):
    """The import template: headers, drop-downs for codes and the codes sheet."""
    body = write_template(
        template_columns(ordered_terms(), municipalities),
        sheet_title="人材プール" if municipalities is not None else "国のリスト",
    )
    return spreadsheet("xlsx", stem, body)


@bp.route("/import/template.xlsx")
@require_role(*COORDINATOR)
def import_template_download():
    return import_template("talent_pool_template", current_user.prefecture.municipalities)
