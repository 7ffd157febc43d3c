"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail


@click.command("lapse-offers")
@with_appcontext
def lapse_offers_command() -> None:
    """Lapse offers past their reply-by date; remind talent of offers due within 2 days (cron)."""
    from talentpool.services.offers.lifecycle import lapse_overdue, warn_lapsing

    lapsed = commit_or_fail(lapse_overdue)
    reminded = commit_or_fail(warn_lapsing)
    click.echo(f"lapsed {lapsed} offer(s); sent {reminded} reply-by reminder(s)")


@click.command("remind-activity")
@with_appcontext
def remind_activity_command() -> None:
    """Remind talent whose active assignment has no activity log for last month (cron)."""
    from talentpool.services.offers.assignments import remind_missing_activity

    sent = commit_or_fail(remind_missing_activity)
    click.echo(f"sent {sent} activity reminder(s)")


@click.command("daily")
@with_appcontext
def daily_command() -> None:
    """Move requests and assignments on with the calendar (cron, daily; idempotent)."""
    from talentpool.services.calendar import follow

    click.echo(str(commit_or_fail(follow)))


COMMANDS = [lapse_offers_command, remind_activity_command, daily_command]
