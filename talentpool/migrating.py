"""Running Alembic from the app (CLI, tests) with the app's database URL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from talentpool.config import PROJECT_ROOT


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    if database_url:
        config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str | None = None, revision: str = "head") -> None:
    """Upgrade the database (the current app's, unless a URL is given)."""
    if database_url is None:
        from flask import current_app

        database_url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    command.upgrade(alembic_config(database_url), revision)
