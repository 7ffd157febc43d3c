"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail, format_of, import_mode_option
from talentpool.cli_options import dry_run_option, file_argument, out_option, prefecture_option
from talentpool.extensions import db


@click.command("import-requests")
@file_argument()
@prefecture_option("2-digit prefecture code; rows may only name its municipalities.")
@dry_run_option()
@click.option("--publish", is_flag=True, help="Open newly created requests (default: draft).")
@import_mode_option
@with_appcontext
def import_requests_command(
    file: Path, prefecture_code: str, dry_run: bool, publish: bool, mode
) -> None:
    """Import support requests from .xlsx or CSV (upsert on external_id)."""
    from talentpool.services.imports import ImportMode, error_lines
    from talentpool.services.requests.files import import_requests, scope_for_prefecture

    def run():
        scope = scope_for_prefecture(prefecture_code)
        return import_requests(
            file.read_bytes(), file.name, scope, mode=mode, dry_run=dry_run, publish=publish
        )

    report = commit_or_fail(run)
    if report.file_error:
        raise click.ClickException(report.file_error)
    for note in report.notes:
        click.echo(f"note: {note}")
    for line in error_lines(report.errors):
        click.echo(line, err=True)
    verb = "would import" if dry_run else ("imported" if report.committed else "imported nothing")
    click.echo(
        f"{verb}: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged; {report.error_rows} rows with errors"
    )
    if report.errors and (mode == ImportMode.all_or_nothing or report.unusable):
        raise SystemExit(1)


@click.command("export-requests")
@prefecture_option("2-digit prefecture code.")
@out_option()
@click.option("--codes", is_flag=True, help="English headers and codes instead of Japanese.")
@with_appcontext
def export_requests_command(prefecture_code: str, out: Path, codes: bool) -> None:
    """Write a prefecture's support requests as the web export does (all states, newest
    change first)."""
    from sqlalchemy import select

    from talentpool.models import SupportRequest
    from talentpool.services.requests.files import export_file, scope_for_prefecture
    from talentpool.services.requests.search import RequestFilters, apply_filters

    fmt = format_of(out)
    scope = commit_or_fail(lambda: scope_for_prefecture(prefecture_code))
    query = apply_filters(
        select(SupportRequest).where(SupportRequest.prefecture_id == scope.prefecture_id),
        RequestFilters(),
    )
    items = list(db.session.scalars(query))
    out.write_bytes(export_file(items, fmt, codes=codes))
    click.echo(f"wrote {len(items)} requests to {out}")


COMMANDS = [import_requests_command, export_requests_command]
