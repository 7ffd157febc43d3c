"""The `talentpool` command: a Flask CLI group bound to the app.

Every command runs a service and commits once; errors print a message and exit non-zero.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from talentpool.extensions import db


def commit_or_fail(action):
    """Run a service action and commit; a DomainError becomes a clean CLI error."""
    from talentpool.database import commit_or_rollback
    from talentpool.services import DomainError

    try:
        return commit_or_rollback(action)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None


def format_of(path: Path) -> str:
    """The file format an export's --out path asks for by its ending (.xlsx or .csv)."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise click.BadParameter("the file must end in .xlsx or .csv", param_hint="--out")
    return fmt


def import_mode_option(command):
    """The import commands' `--valid-only` flag, passed on as `mode` (an ImportMode).

    `--good-rows-only`, its old name on import-training, is still understood (hidden).
    """

    @functools.wraps(command)
    def run(*args, valid_only: bool, good_rows_only: bool, **kwargs):
        from talentpool.services.imports import ImportMode

        chosen = valid_only or good_rows_only
        mode = ImportMode.valid_rows_only if chosen else ImportMode.all_or_nothing
        return command(*args, mode=mode, **kwargs)

    run = click.option("--good-rows-only", is_flag=True, hidden=True)(run)
    return click.option(
        "--valid-only",
        is_flag=True,
        help="Import the rows without errors even when other rows have errors "
        "(default: all rows or none).",
    )(run)


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database schema up to date (alembic upgrade head)."""
    from talentpool.migrating import upgrade

    upgrade()
    click.echo("database schema is up to date")


@click.command("seed-reference")
@with_appcontext
def seed_reference_command() -> None:
    """Load prefectures, municipalities, taxonomy and programs (idempotent)."""
    from talentpool.services.reference import seed_reference

    report = commit_or_fail(seed_reference)
    if not report.changed:
        click.echo("reference data already up to date; nothing changed")
        return
    for table, count in sorted(report.created.items()):
        click.echo(f"created {count} {table}")
    for table, count in sorted(report.updated.items()):
        click.echo(f"updated {count} {table}")


@click.command("seed-demo")
@click.option(
    "--password",
    default="demo-password-2025",
    show_default=True,
    help="Password given to every demo account.",
)
@with_appcontext
def seed_demo_command(password: str) -> None:
    """Load the demo data set and one account per role; prints the logins."""
    from talentpool.services.demo.data_set import seed_demo

    logins = commit_or_fail(lambda: seed_demo(password))
    click.echo(f"demo logins (password for all: {password}):")
    for role, email in logins:
        click.echo(f"  {role:<18} {email}")


@click.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_all_command(path: str) -> None:
    """Write every table to PATH (gzip JSON) for backup or moving databases; safe while the
    app is in use (one consistent snapshot, checked before it is kept)."""
    from sqlalchemy.exc import OperationalError

    from talentpool.backup import BackupError, export_consistent

    try:
        counts = export_consistent(db.engine, Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        raise click.ClickException(f"cannot read the database: {_first_line(error)}") from None
    click.echo(
        f"exported {sum(counts.values())} rows from {len(counts)} tables to {path} "
        "(checked: every reference resolves)"
    )


@click.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_all_command(path: str) -> None:
    """Restore a file written by export-all into an empty, migrated database (all or nothing)."""
    from sqlalchemy.exc import OperationalError

    from talentpool.backup import BackupError, import_all

    try:
        with db.engine.begin() as connection:
            counts = import_all(connection, Path(path))
    except BackupError as error:
        raise click.ClickException(f"{error}; nothing was imported") from None
    except OperationalError as error:
        raise click.ClickException(f"cannot reach the database: {_first_line(error)}") from None
    click.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables")


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


COMMANDS = [migrate_command, seed_reference_command, seed_demo_command]
COMMANDS += [export_all_command, import_all_command]
#: Areas whose commands live beside their blueprint, in <area>/commands.py.
AREAS = (
    "accounts",
    "pool",
    "requests",
    "training",
    "offers",
    "notifications",
    "matching_web",
    "reports",
)


def register(app: Flask) -> None:
    from importlib import import_module

    commands = list(COMMANDS)
    for area in AREAS:
        commands += import_module(f"talentpool.{area}.commands").COMMANDS
    for command in commands:
        app.cli.add_command(command)


def _create_app():
    from flask.cli import NoAppException

    from talentpool import create_app

    try:
        return create_app()
    except RuntimeError as error:  # a configuration problem: say it in one line
        raise NoAppException(str(error)) from None


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def _group() -> None:
    """talentpool — デジタル人材プール management commands."""


def _add_standalone_commands() -> None:
    """Commands that need no app, database or SECRET_KEY (the group finds them first)."""
    from talentpool.matching_web.commands import match_command

    _group.add_command(match_command)


_add_standalone_commands()


def main(argv: list[str] | None = None) -> None:
    """The `talentpool` console script: any failure is one line and a non-zero exit."""
    # One BLAS thread per process: the matcher parallelises with processes, and
    # BLAS threads spinning on a busy 2-core machine cost twice the CPU for nothing.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    try:
        code = _group.main(args=argv, prog_name="talentpool", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except click.Abort:
        click.echo("Aborted.", err=True)
        raise SystemExit(1) from None
    except Exception as error:  # noqa: BLE001 - the promise is: never a traceback
        message = " ".join(str(error).split()) or type(error).__name__
        click.echo(f"Error: {type(error).__name__}: {message[:500]}", err=True)
        raise SystemExit(1) from None
    if isinstance(code, int) and code:
        raise SystemExit(code)
    if (argv if argv is not None else sys.argv[1:])[:1] == ["match"]:
        # `match` leaves a heap of millions of small objects (rows, analyses, reasons);
        # freeing them one by one at exit takes longer than reading the talent index
        # (0.4 s of a 6 s run). Its output is written and closed, so end here.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
