"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask.cli import with_appcontext

from talentpool.extensions import db

log = logging.getLogger(__name__)


def _one_pass() -> str | None:
    """Deliver what is due; the summary line, or None when there was nothing to do."""
    from talentpool.mail_delivery import deliver_due

    report = deliver_due()
    db.session.remove()  # a fresh session each pass: nothing read earlier goes stale
    if report.sent or report.retrying or report.given_up or report.left:
        return str(report)
    return None


def run_loop(interval: float, stop: threading.Event) -> None:
    """Deliver, wait `interval` seconds, repeat until `stop` is set; a database or mail-server
    outage only delays the next pass."""
    from sqlalchemy.exc import SQLAlchemyError

    while not stop.is_set():
        try:
            summary = _one_pass()
        except SQLAlchemyError as error:
            db.session.remove()
            log.warning("send-mail: database unavailable, trying again later: %s", error)
        else:
            if summary:
                click.echo(summary)
        stop.wait(interval)


@click.command("send-mail")
@click.option(
    "--loop",
    is_flag=True,
    help="Keep running: deliver, wait --interval seconds, repeat (stops on SIGTERM or Ctrl+C).",
)
@click.option(
    "--interval",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds between passes with --loop.",
)
@with_appcontext
def send_mail_command(loop: bool, interval: int) -> None:
    """Deliver the outbox to MAIL_SERVER, with retries (cron, or --loop as a service)."""
    from flask import current_app

    from talentpool.mail_delivery import pending_count

    if not current_app.config.get("MAIL_SERVER"):
        click.echo(
            f"MAIL_SERVER is not set: {pending_count()} message(s) stay in the outbox "
            "(written to the log when they were made)"
        )
        return
    if not loop:
        click.echo(_one_pass() or "nothing to send")
        return
    stop = threading.Event()
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_args: stop.set())
    click.echo(f"send-mail: delivering every {interval} s until stopped")
    run_loop(interval, stop)


COMMANDS = [send_mail_command]
