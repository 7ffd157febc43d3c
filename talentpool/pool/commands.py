"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail, format_of, import_mode_option
from talentpool.cli_options import dry_run_option, file_argument, out_option, prefecture_option
from talentpool.extensions import db


@click.command("import-talent")
@file_argument()
@prefecture_option(
    "Import into this prefecture only (2-digit or 6-digit code); rows naming "
    "another prefecture are errors. Without it each row's prefecture_code decides.",
    required=False,
)
@dry_run_option("Check the file and report; write nothing.")
@import_mode_option
@with_appcontext
def import_talent_command(file: Path, prefecture_code: str | None, dry_run: bool, mode) -> None:
    """Import pool talent from .xlsx/CSV: all rows or none (exit 1 on any row error), or with
    --valid-only the rows without errors."""

    from talentpool.services.imports import ImportMode, error_lines
    from talentpool.services.pool.talent_import import apply_import, plan_pool_import
    from talentpool.tabular import parse_prefecture_code

    if prefecture_code is not None:
        try:
            prefecture_code = parse_prefecture_code(prefecture_code)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--prefecture") from None
    plan = plan_pool_import(file.read_bytes(), file.name, prefecture_code=prefecture_code)
    for note in plan.notes:
        click.echo(f"note: {note}")
    for line in error_lines(plan.errors):
        click.echo(line, err=True)
    for line in error_lines(plan.warnings):
        click.echo(f"warning: {line}", err=True)
    summary = (
        f"{len(plan.rows)} good rows "
        f"({plan.created} new, {plan.updated} updated, {plan.unchanged} unchanged)"
    )
    if plan.errors and mode == ImportMode.all_or_nothing:
        db.session.rollback()
        click.echo(f"{summary}, {plan.error_rows} rows with errors: nothing imported", err=True)
        raise SystemExit(1)
    if dry_run or not (plan.created or plan.updated):
        db.session.rollback()
        click.echo(f"{'dry run: ' if dry_run else ''}{summary}; nothing written")
    else:
        commit_or_fail(lambda: apply_import(plan, mode=mode))
        click.echo(f"imported {summary}")


@click.command("export-talent")
@prefecture_option("2-digit or 6-digit prefecture code.")
@out_option()
@click.option("--all", "include_inactive", is_flag=True, help="Include inactive profiles.")
@click.option("--codes", is_flag=True, help="English headers and codes instead of Japanese.")
@with_appcontext
def export_talent_command(
    prefecture_code: str, out: Path, include_inactive: bool, codes: bool
) -> None:
    """Write a prefecture's pool as the web export does (active profiles, ふりがな order)."""
    from sqlalchemy import select

    from talentpool.models import Prefecture, Talent
    from talentpool.services.pool.talent_format import POOL_HEADER, export_file, export_options
    from talentpool.services.pool.talent_search import ProfileFilter, apply_filter
    from talentpool.tabular import parse_prefecture_code

    fmt = format_of(out)
    try:
        code = parse_prefecture_code(prefecture_code)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--prefecture") from None
    prefecture = db.session.scalar(select(Prefecture).where(Prefecture.code == code))
    if prefecture is None:
        raise click.ClickException(f"prefecture {code} is not loaded (talentpool seed-reference)")
    query = apply_filter(
        select(Talent).where(Talent.prefecture_id == prefecture.id),
        Talent,
        ProfileFilter(active=None if include_inactive else True),
    )
    profiles = list(db.session.scalars(export_options(query)))
    out.write_bytes(export_file(profiles, POOL_HEADER, fmt, codes=codes))
    click.echo(f"wrote {len(profiles)} talent of {prefecture.code} to {out}")


COMMANDS = [import_talent_command, export_talent_command]
