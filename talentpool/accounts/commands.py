"""Command-line commands of this area (registered by talentpool.cli)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from talentpool.cli import commit_or_fail
from talentpool.extensions import db


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
    from talentpool.services.accounts.users import create_user

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
    user = commit_or_fail(
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


COMMANDS = [create_user_command]
