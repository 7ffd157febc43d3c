"""export-all / import-all round-trip every row, on SQLite and PostgreSQL; a backup taken
while the app writes restores; import-all explains what is wrong in one line."""

import gzip
import json

import pytest
from sqlalchemy import event, func, select

from talentpool.backup import check_references, export_all
from talentpool.extensions import db
from talentpool.migrating import upgrade
from talentpool.models import Talent, talent_area, talent_skill
from talentpool.services.reference import seed_reference
from tests.factories import Factory


@pytest.fixture
def fresh_databases(database_uri, tmp_path):
    """fresh(migrate=True) → the URL of a new, empty database of the session's backend."""
    from tests.conftest import _postgres_database

    made = []

    def fresh(migrate: bool = True) -> str:
        if database_uri.startswith("sqlite"):
            uri = f"sqlite:///{tmp_path / f'fresh{len(made)}.db'}"
            made.append(None)
        else:
            databases = _postgres_database()
            uri = next(databases)
            made.append(databases)
        if migrate:
            upgrade(uri)
        return uri

    yield fresh
    for databases in made:
        if databases is not None:
            databases.close()


@pytest.fixture
def fresh_uri(fresh_databases):
    """An empty, migrated database of the same backend as the session's."""
    return fresh_databases()


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


def test_a_backup_taken_while_talent_is_being_created_restores(make_app, fresh_databases, tmp_path):
    """Before each table the export reads, another connection commits a talent with its
    skills and areas — what four clients did in the field, made deterministic."""
    source = make_app(SQLALCHEMY_DATABASE_URI=fresh_databases())
    with source.app_context():
        seed_reference()
        db.session.commit()
    factory = Factory(source)
    morioka = factory.municipality("032018")

    def create_talent():
        factory.talent("03", skills=("cloud", "security"), areas=[morioka])

    for _ in range(3):
        create_talent()
    written = []

    with source.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def write_meanwhile(conn, cursor, statement, parameters, context, executemany):
        if written and written[-1] == "busy":
            return  # the writer's own statements
        if statement.lstrip().startswith("SELECT") and " ORDER BY " in statement:
            written.append("busy")
            try:
                create_talent()
            finally:
                written[-1] = "done"

    path = tmp_path / "live.json.gz"
    try:
        result = source.test_cli_runner().invoke(args=["export-all", str(path)])
    finally:
        event.remove(engine, "before_cursor_execute", write_meanwhile)
    assert result.exit_code == 0, result.output
    assert "every reference resolves" in result.output
    assert len(written) > 20  # a talent was committed before every table was read
    tables = _tables(path)
    talent_ids = {row[0] for row in tables["talent"]["rows"]}
    assert len(talent_ids) == 4  # the 3 before the export, and the one before `talent` was read
    for name in ("talent_skill", "talent_area"):
        column = tables[name]["columns"].index("talent_id")
        assert {row[column] for row in tables[name]["rows"]} == talent_ids

    target = make_app(SQLALCHEMY_DATABASE_URI=fresh_databases())
    restored = target.test_cli_runner().invoke(args=["import-all", str(path)])
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(Talent)) == 4
        assert db.session.scalar(select(func.count()).select_from(talent_skill)) == 8
        assert db.session.scalar(select(func.count()).select_from(talent_area)) == 4


def test_a_file_with_dangling_references_is_refused(app, factory, make_app, fresh_uri, tmp_path):
    factory.talent("03", skills=("cloud",))
    source = tmp_path / "source.json.gz"
    with app.app_context():
        export_all(db.session.connection(), source)
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    assert check_references(document) == []
    document["tables"]["talent"]["rows"] = []  # the talent gone, its rows left behind
    problems = check_references(document)
    assert sorted(p.split(" → ")[0] for p in problems) == [
        "talent_skill.talent_id",
        "talent_text_index.talent_id",
    ]
    broken = tmp_path / "broken.json.gz"
    with gzip.open(broken, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    result = (
        make_app(SQLALCHEMY_DATABASE_URI=fresh_uri)
        .test_cli_runner()
        .invoke(args=["import-all", str(broken)])
    )
    assert result.exit_code == 1
    assert "inconsistent" in result.output and "nothing was imported" in result.output
    assert "Traceback" not in result.output


def test_import_into_a_database_never_migrated_says_so_in_one_line(
    app, make_app, fresh_databases, tmp_path
):
    source = tmp_path / "source.json.gz"
    with app.app_context():
        export_all(db.session.connection(), source)
    empty = make_app(SQLALCHEMY_DATABASE_URI=fresh_databases(migrate=False))
    result = empty.test_cli_runner().invoke(args=["import-all", str(source)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: this database has no talentpool tables (never migrated): run `talentpool "
        "migrate` first; nothing was imported"
    ]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_constraint_failure_rolls_everything_back_with_one_line(
    app, factory, make_app, fresh_uri, tmp_path
):
    factory.talent("03", name="重複 太郎", external_id="DUP-1")
    factory.talent("03", name="重複 次郎", external_id="DUP-2")
    source = tmp_path / "source.json.gz"
    with app.app_context():
        export_all(db.session.connection(), source)
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        document = json.load(handle)
    talent = document["tables"]["talent"]
    column = talent["columns"].index("external_id")
    for row in talent["rows"]:
        row[column] = "DUP-1"  # two profiles of one prefecture with one external id
    doctored = tmp_path / "doctored.json.gz"
    with gzip.open(doctored, "wt", encoding="utf-8") as handle:
        json.dump(document, handle)
    target = make_app(SQLALCHEMY_DATABASE_URI=fresh_uri)
    result = target.test_cli_runner().invoke(args=["import-all", str(doctored)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("Error: table talent could not be restored: ")
    assert line.endswith("; nothing was imported")
    with target.app_context():  # all rolled back: not even the prefectures stayed
        from talentpool.models import Prefecture

        assert db.session.scalar(select(func.count()).select_from(Prefecture)) == 0
