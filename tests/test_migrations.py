"""Migrations build exactly the models' schema, on a fresh database of each backend, and
their files sort in the order of the revision chain."""

import logging
import re
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, inspect, select, text

from talentpool import create_app
from talentpool.config import PROJECT_ROOT, overrides_for_tests
from talentpool.extensions import db
from talentpool.migrating import alembic_config, upgrade
from talentpool.models import Base, Municipality, Prefecture
from tests.conftest import _postgres_database


@pytest.fixture
def fresh_uri(database_uri, tmp_path) -> Iterator[str]:
    """An empty database of the session's backend, of its own (not the create_all one)."""
    if database_uri.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        yield from _postgres_database()


def _drift(uri: str) -> list:
    engine = create_engine(uri)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_migration_files_sort_in_chain_order():
    """`ls migrations/versions` reads as the chain from base to head: a file's number is its
    place in the chain, and its name carries its revision id (as the number, or as a
    `__rev<id>` suffix for the ids handed out before the files were put in order)."""
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    chain = list(reversed(list(script.walk_revisions("base", "heads"))))
    files = sorted(p.name for p in (PROJECT_ROOT / "migrations" / "versions").glob("*.py"))
    assert [r.module.__file__.rsplit("/", 1)[-1] for r in chain] == files
    for revision in chain:
        name = revision.module.__file__.rsplit("/", 1)[-1]
        assert re.fullmatch(r"\d{8}_\d{4}_\w+\.py", name), name
        assert name.endswith(f"__rev{revision.revision}.py") or name.split("_")[1] == (
            revision.revision
        ), name


def test_upgrade_downgrade_to_base_and_upgrade_again(fresh_uri):
    """Every downgrade runs, back to an empty database, and the chain builds it again."""
    upgrade(fresh_uri)
    command.downgrade(alembic_config(fresh_uri), "base")
    engine = create_engine(fresh_uri)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(fresh_uri)
    assert _drift(fresh_uri) == []


def test_upgrade_head_matches_models_and_seeds_twice(fresh_uri):
    upgrade(fresh_uri)
    diff = _drift(fresh_uri)
    assert diff == [], f"models and migrations differ: {diff}"

    app = create_app(overrides_for_tests(fresh_uri))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-reference"])
    assert first.exit_code == 0, first.output
    assert "created 47 prefecture" in first.output
    assert "created 1741 municipality" in first.output
    second = runner.invoke(args=["seed-reference"])
    assert "nothing changed" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Prefecture)) == 47
        assert db.session.scalar(select(func.count()).select_from(Municipality)) == 1741
        db.session.remove()
        db.engine.dispose()


def test_a_downgrade_that_drops_data_says_so(fresh_uri, caplog):
    """Downgrading below a feature drops its tables: each one holding rows is named, with
    its row count, so nobody loses data without a word (README: back up first)."""
    uri = fresh_uri
    upgrade(uri)
    engine = create_engine(uri)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO user_account (email, name, role, is_enabled, session_version, "
                "created_at) VALUES ('a@example.jp', 'A', 'national_admin', true, 0, "
                "CURRENT_TIMESTAMP)"
            )
        )
        user_id = connection.execute(text("SELECT id FROM user_account")).scalar()
        connection.execute(
            text("INSERT INTO mail_opt_out (user_id, kind) VALUES (:u, 'offer_received')"),
            {"u": user_id},
        )
        connection.execute(
            text(
                "INSERT INTO outbox_message (recipient, subject, body_text, created_at, "
                "next_attempt_at, attempts) VALUES ('a@example.jp', 's', 'b', "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)"
            )
        )
    engine.dispose()
    with caplog.at_level(logging.WARNING, logger="talentpool.migrations"):
        command.downgrade(alembic_config(uri), "0009")
    warnings = [r.getMessage() for r in caplog.records if r.name == "talentpool.migrations"]
    # mail_opt_out held a row; staged_upload was empty; tables copied by SQLite's batch
    # mode (outbox_message) are not dropped for good and are not named.
    assert warnings == [
        "dropping table mail_opt_out with 1 row(s): this data is lost "
        "(restore it from a backup taken before the downgrade)"
    ]
    upgrade(uri)  # and back up again


def test_invitation_migration_keeps_the_newest_of_duplicate_open_invitations(fresh_uri):
    """Before 0060 one address could hold several open invitations; the new unique index
    needs one, so the older ones count as resent (replaced by the newest)."""
    uri = fresh_uri
    upgrade(uri, "0009")
    engine = create_engine(uri)
    rows = [
        ("a@example.jp", "h1", None),
        ("a@example.jp", "h2", None),
        ("a@example.jp", "h3", "2026-01-02 00:00:00"),  # used: stays as it is
        ("b@example.jp", "h4", None),
    ]
    with engine.begin() as connection:
        for email, token, used in rows:
            connection.execute(
                text(
                    "INSERT INTO invitation (email, name, role, token_hash, expires_at,"
                    " used_at, created_at) VALUES (:e, 'x', 'talent', :t,"
                    " '2026-01-01 00:00:00', :u, '2025-12-01 00:00:00')"
                ),
                {"e": email, "t": token, "u": used},
            )
    upgrade(uri)
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT token_hash, revoked_at IS NOT NULL, replaced_by_id"
                " FROM invitation ORDER BY id"
            )
        ).all()
    engine.dispose()
    newest = 2
    assert [tuple(r) for r in found] == [
        ("h1", True, newest),
        ("h2", False, None),
        ("h3", False, None),
        ("h4", False, None),
    ]
