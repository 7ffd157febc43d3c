"""Every file the app hands out goes through `file_response`: one header, one naming rule."""

from __future__ import annotations

from flask import Response

from talentpool.services.clock import today

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",  # Flask adds "; charset=utf-8" to text types
    "json": "application/json",
    "ics": "text/calendar",
}


def file_response(body: bytes | str, stem: str, fmt: str, *, dated: bool = True) -> Response:
    """A download named `<stem>_<YYYYMMDD>.<fmt>`, dated today in Japan.

    `dated=False` for a file whose stem already names what it covers (e.g. a fiscal year).
    The name is ASCII, so every browser keeps it.
    """
    name = f"{stem}_{today():%Y%m%d}.{fmt}" if dated else f"{stem}.{fmt}"
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
