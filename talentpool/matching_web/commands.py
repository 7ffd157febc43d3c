"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail
from talentpool.cli_options import input_option, out_option, prefecture_option


@click.command("match")
@input_option(
    "--talent",
    "talent_path",
    "Talent file in the pool import format (.xlsx or CSV, UTF-8 or CP932).",
)
@input_option("--requests", "requests_path", "Requests file in the requests import format.")
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
@prefecture_option("2-digit prefecture code for talent rows without one.", required=False)
@out_option(
    "Proposals CSV to write: request_id,talent_id,rank,score,reason (UTF-8 BOM).", dest="out_path"
)
def match_command(
    talent_path, requests_path, top, plan_mode, fairness, prefecture_code, out_path
) -> None:
    """Match talent to requests from two files; needs no database and no SECRET_KEY."""
    from talentpool.services.matching.match_files import FileProblem, match_files

    if not out_path.resolve().parent.is_dir():
        raise click.ClickException(f"no folder for the output file: {out_path.parent}")
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
    out_path.write_bytes(output.csv())
    mode = "plan" if plan_mode else f"top {top}"
    click.echo(
        f"{output.talent} talent, {output.requests} requests ({mode}): "
        f"wrote {output.proposals} proposals to {out_path}"
    )


@click.command("reindex")
@prefecture_option("2-digit code: only this prefecture.", required=False)
@with_appcontext
def reindex_command(prefecture_code: str | None) -> None:
    """Rebuild the matcher's stored analysis of every talent's text."""
    from sqlalchemy import select

    from talentpool.extensions import db
    from talentpool.models import Prefecture
    from talentpool.services.matching.match_index import reindex

    prefecture_id = None
    if prefecture_code:
        prefecture_id = db.session.scalar(
            select(Prefecture.id).where(Prefecture.code == prefecture_code.zfill(2))
        )
        if prefecture_id is None:
            raise click.ClickException(f"unknown prefecture code {prefecture_code}")
    count = commit_or_fail(lambda: reindex(prefecture_id))
    click.echo(f"reindexed {count} talent")


#: Commands that need the app (and its database); `match` needs neither (talentpool.cli).
COMMANDS = [reindex_command]
