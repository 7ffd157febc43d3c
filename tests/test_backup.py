"""export-all / import-all round-trip every row, on SQLite and PostgreSQL."""

import gzip
import json

import pytest

from talentpool.backup import export_all
from talentpool.extensions import db
from talentpool.migrating import upgrade


@pytest.fixture
def fresh_uri(database_uri, tmp_path):
    """An empty, migrated database of the same backend as the session's."""
    if database_uri.startswith("sqlite"):
        uri = f"sqlite:///{tmp_path / 'restored.db'}"
        upgrade(uri)
        yield uri
        return
    from tests.conftest import _postgres_database

    databases = _postgres_database()
    uri = next(databases)
    upgrade(uri)
    yield uri
    databases.close()


def _tables(path):
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)["tables"]


def test_round_trip_of_every_row(app, factory, make_app, fresh_uri, tmp_path):
    coordinator = factory.coordinator("03")
    factory.talent(
        "03", name="バックアップ 太郎", skills=("cloud", "security"), employment_start=None
    )
    factory.request("032018", title="標準化の支援", skills=("standardization",))
    source = tmp_path / "source.json.gz"
    with app.app_context():
        counts = export_all(db.session.connection(), source)
    assert counts["prefecture"] == 47 and counts["municipality"] == 1741
    assert counts["talent_skill"] == 2 and counts["user_account"] == 1

    restored = make_app(SQLALCHEMY_DATABASE_URI=fresh_uri)
    runner = restored.test_cli_runner()
    result = runner.invoke(args=["import-all", str(source)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.json.gz"
    assert runner.invoke(args=["export-all", str(again)]).exit_code == 0
    assert _tables(again) == _tables(source)

    # The restored database works: the coordinator logs in, and new rows get fresh ids.
    client = restored.test_client()
    from tests.factories import PASSWORD

    response = client.post("/login", data={"email": coordinator.email, "password": PASSWORD})
    assert response.status_code == 302
    assert (
        runner.invoke(
            args=[
                "create-user",
                "--email",
                "new@example.jp",
                "--name",
                "新規",
                "--role",
                "national_admin",
            ],
            input="a-fresh-password-1\na-fresh-password-1\n",
        ).exit_code
        == 0
    )

    # Importing twice is refused: the database is no longer empty.
    second = runner.invoke(args=["import-all", str(source)])
    assert second.exit_code != 0 and "not empty" in second.output


def test_import_refuses_a_file_that_is_not_a_backup(make_app, fresh_uri, tmp_path):
    bogus = tmp_path / "bogus.json.gz"
    bogus.write_bytes(b"not gzip at all")
    result = (
        make_app(SQLALCHEMY_DATABASE_URI=fresh_uri)
        .test_cli_runner()
        .invoke(args=["import-all", str(bogus)])
    )
    assert result.exit_code != 0 and "not a talentpool backup" in result.output
