"""The confirmation step of irreversible actions, in plain HTML (no JavaScript).

A form posts to its action as usual; without ``confirmed=1`` the view answers with a page
that says what will happen and repeats the same POST (the same fields) with ``confirmed=1``.
Only the second POST acts.
"""

from __future__ import annotations

from flask import render_template, request


def confirmed() -> bool:
    """Whether this POST is the confirmed second one."""
    return request.form.get("confirmed") == "1"


def ask(*, title: object, message: object, button: object, back: str, details=()):
    """The confirmation page for the current POST (200): `details` are lines shown as a list."""
    fields = [
        (name, value)
        for name, values in request.form.lists()
        if name not in ("csrf_token", "confirmed")
        for value in values
    ]
    return render_template(
        "confirm.html",
        title=title,
        message=message,
        button=button,
        back=back,
        details=list(details),
        action=request.path,
        fields=fields,
    )
