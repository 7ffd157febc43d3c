"""Personal-data duties: a talent downloads their own data; a coordinator anonymises a
departed talent. Both are recorded in the audit trail."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from talentpool import scoping
from talentpool.extensions import db
from talentpool.models import AuditEvent
from talentpool.permissions import COORDINATOR, TALENT, ensure_found, require_role
from talentpool.pool import bp
from talentpool.pool.forms import AnonymizeForm
from talentpool.pool.views import render_detail, talent_or_404
from talentpool.services import DomainError, NotAllowed
from talentpool.services.pool import personal_data
from talentpool.services.pool.anonymize import anonymize_talent
from talentpool.web.actions import commit_or_rollback
from talentpool.web.downloads import file_response


@bp.route("/me/data.<any(json, xlsx):fmt>")
@require_role(*TALENT)
def my_data(fmt: str):
    """Everything the pool keeps about me, as JSON or an Excel workbook."""
    talent = ensure_found(db.session.scalar(scoping.talent_for(current_user)))
    data = personal_data.collect(talent)
    body = personal_data.as_json(data) if fmt == "json" else personal_data.as_xlsx(data)
    db.session.add(
        AuditEvent(
            actor_id=current_user.id,
            prefecture_id=talent.prefecture_id,
            action="data_export",
            entity="talent",
            entity_id=str(talent.id),
            changes={"format": [None, fmt]},
        )
    )
    db.session.commit()
    return file_response(body, "my_data", fmt)


@bp.route("/<int:talent_id>/anonymize", methods=["POST"])
@require_role(*COORDINATOR)
def anonymize(talent_id: int):
    """Anonymise a departed talent (irreversible; refused while anything is in progress)."""
    talent = talent_or_404(talent_id)
    form = AnonymizeForm()
    if not form.validate_on_submit():
        return render_detail(talent, 400, anonymize_form=form)
    try:
        commit_or_rollback(lambda: anonymize_talent(current_user, talent))
    except DomainError as error:
        form.confirm.errors = [*form.confirm.errors, error.message]
        status = 403 if isinstance(error, NotAllowed) else 409
        return render_detail(talent_or_404(talent_id), status, anonymize_form=form)
    flash(
        _("匿名化しました。氏名・連絡先・自由記述は削除され、派遣の実績は残っています。"), "success"
    )
    return redirect(url_for("pool.detail", talent_id=talent.id))
