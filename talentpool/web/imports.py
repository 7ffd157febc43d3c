"""The import pages of every area, one flow: upload → preview (nothing kept) → commit.

The upload is staged in the database (talentpool.uploads) and the browser holds only a token;
the commit re-reads exactly the previewed file and runs it again against today's data, in the
mode the user chose. An area describes its import with an `ImportPage`; its service does the
work and answers with an `ImportReport` (talentpool.services.imports).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField
from wtforms.validators import DataRequired

from talentpool import uploads
from talentpool.extensions import db
from talentpool.permissions import require_role
from talentpool.services import DomainError
from talentpool.services.imports import REFUSED, ImportMode, ImportReport

PREVIEW_ROWS = 300  # good rows listed on a preview; the counts always cover all of them

#: Names older pages posted for "only the rows without errors"; still understood.
_OLD_VALID_ROWS_ONLY = ("good_rows_only", "commit_valid")


class Run(Protocol):
    def __call__(
        self,
        data: bytes,
        filename: str,
        options: Mapping[str, Any],
        *,
        mode: ImportMode,
        dry_run: bool,
    ) -> ImportReport: ...


class ImportCommitForm(FlaskForm):
    """The commit of a previewed file: its token; the mode comes as `mode` (see `mode_of`)."""

    token = HiddenField(validators=[DataRequired()])


@dataclass(frozen=True)
class ImportPage:
    """One area's import: where its file is staged, what runs it, and its pages."""

    area: str  # the blueprint: its import_upload and import_commit pages, its index when done
    run: Run
    upload_form: type[FlaskForm]
    #: The preview's own page; None: the upload page (`<area>/import.html`) shows it.
    preview_template: str | None = None
    #: The upload form's choices kept with the file (e.g. {"publish": True}).
    options: Callable[[FlaskForm], dict] = lambda form: {}
    context: Mapping[str, Any] = field(default_factory=dict)
    #: Where staged files are kept per tenant: the current user's tenant (e.g. the prefecture).
    tenant: Callable[[], object] | None = None

    @property
    def upload_template(self) -> str:
        return f"{self.area}/import.html"

    @property
    def template(self) -> str:
        """The preview's page."""
        return self.preview_template or self.upload_template

    @property
    def scope(self) -> str:
        """The staged upload's scope: per area, and per tenant where it matters."""
        return self.area if self.tenant is None else f"{self.area}:{self.tenant()}"

    @property
    def upload_endpoint(self) -> str:
        return f"{self.area}.import_upload"

    @property
    def commit_endpoint(self) -> str:
        return f"{self.area}.import_commit"

    @property
    def done_endpoint(self) -> str:
        return f"{self.area}.index"


def add_import_routes(bp: Blueprint, page: ImportPage, roles: tuple[str, ...]) -> None:
    """Register the area's import pages on its blueprint, open to `roles`: `/import` (upload,
    then preview) and `/import/commit`."""
    if bp.name != page.area:
        raise ValueError(f"import page of {page.area!r} registered on {bp.name!r}")

    def import_upload():
        return upload_and_preview(page)

    def import_commit():
        return commit(page)

    guard = require_role(*roles)
    bp.add_url_rule("/import", view_func=guard(import_upload), methods=["GET", "POST"])
    bp.add_url_rule("/import/commit", view_func=guard(import_commit), methods=["POST"])


def mode_of(posted) -> ImportMode:
    """The mode a commit form asks for: `mode=valid` (a button or a checkbox), else all."""
    if "valid" in posted.getlist("mode") or "good_rows" in posted.getlist("mode"):
        return ImportMode.valid_rows_only
    if any(posted.get(name) for name in _OLD_VALID_ROWS_ONLY):
        return ImportMode.valid_rows_only
    return ImportMode.all_or_nothing


def _render(page: ImportPage, template: str, form, report, filename="", token=None, options=None):
    return render_template(
        template,
        page=page,
        form=form,
        report=report,
        filename=filename,
        token=token,
        commit_form=ImportCommitForm(formdata=None, token=token) if token else None,
        options=options or {},
        preview_rows=PREVIEW_ROWS,
        **page.context,
    )


def upload_and_preview(page: ImportPage):
    """GET: the upload form. POST: check the file, keep it, and show what it would do."""
    form = page.upload_form()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _render(page, page.upload_template, form, None), status
    upload = form.file.data
    filename = upload.filename or "upload"
    data = upload.read()
    options = page.options(form)
    report = page.run(data, filename, options, mode=ImportMode.all_or_nothing, dry_run=True)
    db.session.rollback()  # a preview keeps nothing
    if not report.rows:  # unreadable, or not one importable row: refused and not kept
        return _render(page, page.template, form, report, filename, None, options), 400
    staged = uploads.stage(
        data, filename, owner_id=current_user.id, scope=page.scope, options=options
    )
    return _render(page, page.template, form, report, filename, staged.token, options)


def _conflict(page: ImportPage):
    db.session.rollback()
    flash(
        _("他の操作と同時に更新されたため取り込めませんでした。もう一度確定してください。"),
        "error",
    )
    return redirect(url_for(page.upload_endpoint)), 303


def commit(page: ImportPage):
    """Run the kept file again in the chosen mode and write it in one commit, or nothing."""
    form = ImportCommitForm()
    staged = None
    if form.validate_on_submit():
        staged = uploads.load(form.token.data, owner_id=current_user.id, scope=page.scope)
    if staged is None:
        flash(
            _(
                "確認した取り込みファイルが見つかりません(期限切れの可能性があります)。"
                "もう一度アップロードしてください。"
            ),
            "error",
        )
        return redirect(url_for(page.upload_endpoint)), 303
    try:
        report = page.run(
            staged.data,
            staged.filename,
            staged.options,
            mode=mode_of(request.form),
            dry_run=False,
        )
    except IntegrityError:  # the same import committed twice at once: the other one won
        return _conflict(page)
    except DomainError as error:  # e.g. nothing left to change
        db.session.rollback()
        flash(error.message, "error")
        report = page.run(
            staged.data,
            staged.filename,
            staged.options,
            mode=ImportMode.all_or_nothing,
            dry_run=True,
        )
        db.session.rollback()
        return _refused(page, report, staged)
    if not report.committed:
        db.session.rollback()
        flash(str(REFUSED), "error")
        return _refused(page, report, staged)
    uploads.discard(staged.token)  # in the same commit: a failed import keeps its file
    try:
        db.session.commit()
    except IntegrityError:  # someone changed the same rows meanwhile: nothing was written
        return _conflict(page)
    flash(
        _(
            "取り込みました: 新規 %(created)d件、更新 %(updated)d件、変更なし %(same)d件。",
            created=report.created,
            updated=report.updated,
            same=report.unchanged,
        ),
        "success",
    )
    if report.created_leaders:
        flash(_("DX推進リーダーを%(n)d人新しく登録しました。", n=report.created_leaders), "success")
    if report.errors:
        flash(
            _("エラーのあった %(count)d行は取り込んでいません。", count=report.error_rows),
            "warning",
        )
    return redirect(url_for(page.done_endpoint))


def _refused(page: ImportPage, report: ImportReport, staged: uploads.StagedFile):
    form = page.upload_form(formdata=None)
    return _render(
        page, page.template, form, report, staged.filename, staged.token, staged.options
    ), 400
