"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from talentpool.cli import import_mode_option
from talentpool.cli_options import dry_run_option, file_argument, prefecture_option
from talentpool.extensions import db


@click.command("import-training")
@file_argument("path")
@prefecture_option("2-digit prefecture code whose municipalities the file may touch.")
@dry_run_option()
@import_mode_option
@with_appcontext
def import_training_command(path: Path, prefecture_code: str, dry_run: bool, mode) -> None:
    """Import DX leaders' enrolments/completions from an .xlsx or CSV file."""

    from sqlalchemy import select

    from talentpool.models import Prefecture
    from talentpool.services.imports import ImportMode, error_lines
    from talentpool.services.training.files import Scope, import_file

    prefecture = db.session.scalar(
        select(Prefecture).where(Prefecture.code == prefecture_code.zfill(2))
    )
    if prefecture is None:
        raise click.ClickException(f"unknown prefecture code {prefecture_code}")
    report = import_file(
        path.read_bytes(), path.name, Scope(prefecture.id), mode=mode, dry_run=dry_run
    )
    for line in error_lines(report.errors):
        click.echo(f"error: {line}", err=True)
    summary = (
        f"{report.total_rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.created_leaders} new leaders, "
        f"{report.error_rows} rows with errors"
    )
    if report.errors and (mode == ImportMode.all_or_nothing or report.unusable):
        db.session.rollback()
        click.echo(f"{summary}; nothing imported (fix the file, or pass --valid-only)")
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"{summary}; dry run, nothing imported")
        return
    db.session.commit()
    click.echo(f"{summary}; imported")


COMMANDS = [import_training_command]
