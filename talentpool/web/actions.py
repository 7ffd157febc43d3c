"""How a view runs a service: commit its work, or roll it back and show the user why.

`run` is for a form (or a button that redirects): the refusal goes beside the field it names,
else it is flashed. A page that shows the refusal its own way (a problem list, a 403 or 409)
calls `commit_or_rollback` and catches the DomainError itself. `form_page` shows the form
again, with 400 when it was posted and refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

from flask import flash, render_template, request
from flask_wtf import FlaskForm

from talentpool.database import commit_or_rollback
from talentpool.services.errors import DomainError

__all__ = ["attach", "commit_or_rollback", "first_field", "form_page", "run"]

T = TypeVar("T")


def run(
    form: FlaskForm | None, action: Callable[[], T], *, field: str | None = None
) -> T | Literal[True] | None:
    """Run `action` and commit: its result (True when it returns nothing), or None when the
    domain refused it. Refused, nothing stays; the message goes beside the form's field the
    error names (else beside `field`), or is flashed as an error when the form has neither."""
    try:
        result = commit_or_rollback(action)
    except DomainError as error:
        if not attach(form, error, field):
            flash(str(error.message), "error")
        return None
    return True if result is None else result


def attach(form: FlaskForm | None, error: DomainError, field: str | None = None) -> bool:
    """Show `error` beside the field it names (else beside `field`); False when neither is
    on the form, so the caller shows it elsewhere."""
    if form is None:
        return False
    name = error.field if error.field and error.field in form else field
    if not name or name not in form:
        return False
    target = form[name]
    target.errors = [*target.errors, error.message]
    return True


def first_field(form: FlaskForm) -> str:
    """The form's first visible field: where a refusal goes on a form whose top is the place
    to read it (a profile form, say)."""
    return next(f.short_name for f in form if f.type not in ("CSRFTokenField", "HiddenField"))


def form_page(template: str, **context) -> tuple[str, int]:
    """A form's page: 200 when asked for, 400 when a posted form comes back to be corrected."""
    return render_template(template, **context), 400 if request.method == "POST" else 200
