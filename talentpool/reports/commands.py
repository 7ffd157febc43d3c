"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from talentpool.extensions import db


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


COMMANDS = [report_group]
