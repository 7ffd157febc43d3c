"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail
from talentpool.extensions import db


@click.command("import-talent")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--prefecture",
    "prefecture_code",
    help="Import into this prefecture only (2-digit or 6-digit code); rows naming "
    "another prefecture are errors. Without it each row's prefecture_code decides.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@with_appcontext
def import_talent_command(file: str, prefecture_code: str | None, dry_run: bool) -> None:
    """Import pool talent from .xlsx/CSV: all rows or none; exits 1 on any row error."""

    from talentpool.services.talent_import import apply_import, plan_pool_import, row_errors_text
    from talentpool.tabular import parse_prefecture_code

    if prefecture_code is not None:
        try:
            prefecture_code = parse_prefecture_code(prefecture_code)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--prefecture") from None
    path = Path(file)
    plan = plan_pool_import(path.read_bytes(), path.name, prefecture_code=prefecture_code)
    for note in plan.notes:
        click.echo(f"note: {note}")
    for line in row_errors_text(plan.errors):
        click.echo(line, err=True)
    summary = f"{len(plan.rows)} good rows ({plan.created} new, {plan.updated} updates)"
    if plan.errors:
        db.session.rollback()
        click.echo(f"{summary}, {plan.error_rows} rows with errors: nothing imported", err=True)
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {summary}; nothing written")
        return
    commit_or_fail(lambda: apply_import(plan))
    click.echo(f"imported {summary}")


COMMANDS = [import_talent_command]
