"""The `talentpool` command: a Flask CLI group bound to the app.

Every command runs a service and commits once; errors print a message and exit non-zero.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from talentpool.extensions import db


def _commit_or_fail(action):
    from talentpool.services import DomainError

    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    return result


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

    report = _commit_or_fail(seed_reference)
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
    from talentpool.services.demo import seed_demo

    logins = _commit_or_fail(lambda: seed_demo(password))
    click.echo(f"demo logins (password for all: {password}):")
    for role, email in logins:
        click.echo(f"  {role:<18} {email}")


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["national_admin", "coordinator", "municipal_officer", "talent"]),
)
@click.option("--prefecture", "prefecture_code", help="2-digit prefecture code (coordinator).")
@click.option(
    "--municipality", "municipality_code", help="6-digit local government code (officer)."
)
@click.password_option()
@with_appcontext
def create_user_command(email, name, role, prefecture_code, municipality_code, password) -> None:
    """Create an account directly (first national admin, or scripted setup)."""
    from sqlalchemy import select

    from talentpool.models import Municipality, Prefecture
    from talentpool.services.accounts import create_user

    prefecture_id = municipality_id = None
    if prefecture_code:
        prefecture = db.session.scalar(
            select(Prefecture).where(Prefecture.code == prefecture_code.zfill(2))
        )
        if prefecture is None:
            raise click.ClickException(f"unknown prefecture code {prefecture_code}")
        prefecture_id = prefecture.id
    if municipality_code:
        municipality = db.session.scalar(
            select(Municipality).where(Municipality.lg_code == municipality_code)
        )
        if municipality is None:
            raise click.ClickException(f"unknown municipality code {municipality_code}")
        municipality_id = municipality.id
    user = _commit_or_fail(
        lambda: create_user(
            email=email,
            name=name,
            role=role,
            password=password,
            prefecture_id=prefecture_id,
            municipality_id=municipality_id,
        )
    )
    click.echo(f"created {user.role} {user.email}")


@click.command("export-all")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_all_command(path: str) -> None:
    """Write every table to PATH (gzip JSON) for backup or moving databases."""
    from pathlib import Path

    from talentpool.backup import export_all

    with db.engine.connect() as connection:
        counts = export_all(connection, Path(path))
    click.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {path}")


@click.command("import-all")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_all_command(path: str) -> None:
    """Restore a file written by export-all into an empty, migrated database."""
    from pathlib import Path

    from talentpool.backup import BackupError, import_all

    try:
        with db.engine.begin() as connection:
            counts = import_all(connection, Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables")


@click.command("import-training")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--prefecture",
    "prefecture_code",
    required=True,
    help="2-digit prefecture code whose municipalities the file may touch.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option("--good-rows-only", is_flag=True, help="Import the rows without errors.")
@with_appcontext
def import_training_command(path, prefecture_code, dry_run, good_rows_only) -> None:
    """Import DX leaders' enrolments/completions from an .xlsx or CSV file."""
    from pathlib import Path

    from sqlalchemy import select

    from talentpool.models import Prefecture
    from talentpool.services.training_files import Scope, import_file

    prefecture = db.session.scalar(
        select(Prefecture).where(Prefecture.code == prefecture_code.zfill(2))
    )
    if prefecture is None:
        raise click.ClickException(f"unknown prefecture code {prefecture_code}")
    file = Path(path)
    report = import_file(
        file.read_bytes(),
        file.name,
        Scope(prefecture.id),
        apply=not dry_run,
        good_rows_only=good_rows_only,
    )
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    summary = (
        f"{report.total_rows} rows: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.created_leaders} new leaders, "
        f"{report.error_rows} rows with errors"
    )
    if report.errors and not good_rows_only:
        db.session.rollback()
        click.echo(f"{summary}; nothing imported (fix the file, or pass --good-rows-only)")
        raise SystemExit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"{summary}; dry run, nothing imported")
        return
    db.session.commit()
    click.echo(f"{summary}; imported")


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
    from pathlib import Path

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
    _commit_or_fail(lambda: apply_import(plan))
    click.echo(f"imported {summary}")


@click.command("lapse-offers")
@with_appcontext
def lapse_offers_command() -> None:
    """Lapse offers past their reply-by date; remind talent of offers due within 2 days (cron)."""
    from talentpool.services.offers import lapse_overdue, warn_lapsing

    lapsed = _commit_or_fail(lapse_overdue)
    reminded = _commit_or_fail(warn_lapsing)
    click.echo(f"lapsed {lapsed} offer(s); sent {reminded} reply-by reminder(s)")


@click.command("remind-activity")
@with_appcontext
def remind_activity_command() -> None:
    """Remind talent whose active assignment has no activity log for last month (cron)."""
    from talentpool.services.assignments import remind_missing_activity

    sent = _commit_or_fail(remind_missing_activity)
    click.echo(f"sent {sent} activity reminder(s)")


@click.command("import-requests")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--prefecture",
    "prefecture_code",
    required=True,
    help="2-digit prefecture code; rows may only name its municipalities.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option(
    "--valid-only",
    is_flag=True,
    help="Import the rows without errors even when other rows have errors.",
)
@click.option("--publish", is_flag=True, help="Open newly created requests (default: draft).")
@with_appcontext
def import_requests_command(
    file: Path, prefecture_code: str, dry_run: bool, valid_only: bool, publish: bool
) -> None:
    """Import support requests from .xlsx or CSV (upsert on external_id)."""
    from talentpool.services.request_io import import_requests, scope_for_prefecture

    def run():
        scope = scope_for_prefecture(prefecture_code)
        return import_requests(
            file.read_bytes(),
            file.name,
            scope,
            dry_run=dry_run,
            mode="valid" if valid_only else "all",
            publish=publish,
        )

    report = _commit_or_fail(run)
    if report.file_error:
        raise click.ClickException(report.file_error)
    for note in report.notes:
        click.echo(f"note: {note}")
    for error in report.errors:
        click.echo(str(error), err=True)
    verb = "would import" if dry_run else ("imported" if report.committed else "imported nothing")
    click.echo(
        f"{verb}: {report.count('create')} new, {report.count('update')} updated, "
        f"{report.count('unchanged')} unchanged; {report.error_rows} rows with errors"
    )
    if report.errors:
        raise SystemExit(1)


@click.command("match")
@click.option(
    "--talent",
    "talent_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Talent file in the pool import format (.xlsx or CSV, UTF-8 or CP932).",
)
@click.option(
    "--requests",
    "requests_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Requests file in the requests import format.",
)
@click.option(
    "--top",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="Proposals per request (ranking mode).",
)
@click.option(
    "--plan",
    "plan_mode",
    is_flag=True,
    help="Write the optimal capacity-respecting plan instead (assigned pairs only).",
)
@click.option("--fairness", is_flag=True, help="Plan: favour requests with no support yet.")
@click.option(
    "--prefecture", "prefecture_code", help="2-digit prefecture code for talent rows without one."
)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Proposals CSV to write: request_id,talent_id,rank,score,reason (UTF-8 BOM).",
)
@with_appcontext
def match_command(
    talent_path, requests_path, top, plan_mode, fairness, prefecture_code, out_path
) -> None:
    """Match talent to requests from two files; no database is used."""
    from talentpool.services.match_files import FileProblem, match_files
    from talentpool.tabular import write_csv

    try:
        output = match_files(
            talent_path,
            requests_path,
            top=top,
            plan=plan_mode,
            fairness=fairness,
            default_prefecture=prefecture_code,
        )
    except FileProblem as problem:
        for error in problem.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(str(problem)) from None
    for note in output.notes:
        click.echo(f"note: {note}", err=True)
    header, *rows = output.rows
    out_path.write_bytes(write_csv(header, rows))
    mode = "plan" if plan_mode else f"top {top}"
    click.echo(
        f"{output.talent} talent, {output.requests} requests ({mode}): "
        f"wrote {len(rows)} proposals to {out_path}"
    )


@click.group("report")
def report_group() -> None:
    """Write reports to files."""


@report_group.command("fiscal")
@click.option("--prefecture", "prefecture_code", required=True, help="2-digit prefecture code.")
@click.option(
    "--year",
    type=click.IntRange(2019, 2100),
    required=True,
    help="Fiscal year by its starting calendar year (2025 = 令和7年度).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@with_appcontext
def report_fiscal_command(prefecture_code: str, year: int, out: Path) -> None:
    """The fiscal-measure workbook (交付税措置の報告書) of one prefecture and fiscal year."""
    from sqlalchemy import select

    from talentpool.models import Prefecture
    from talentpool.services.reports import fiscal, workbook

    prefecture = db.session.scalar(
        select(Prefecture).where(Prefecture.code == prefecture_code.zfill(2))
    )
    if prefecture is None:
        raise click.ClickException(f"unknown prefecture code {prefecture_code}")
    report = fiscal.build(prefecture.id, year)
    out.write_bytes(workbook.write(report))
    click.echo(
        f"wrote {out}: {report.year_label} {prefecture.code} — {len(report.staff)} staff, "
        f"{len(report.cio)} CIO assistants, {len(report.training)} municipalities "
        f"in training, {len(report.recruitment)} recruitment costs"
    )


COMMANDS = [migrate_command, seed_reference_command, seed_demo_command, create_user_command]
COMMANDS += [export_all_command, import_all_command]
COMMANDS += [import_training_command]
COMMANDS += [import_talent_command]
COMMANDS += [lapse_offers_command, remind_activity_command]
COMMANDS += [import_requests_command]
COMMANDS += [match_command]
COMMANDS += [report_group]


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app():
    from talentpool import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def main() -> None:
    """talentpool — デジタル人材プール management commands."""
