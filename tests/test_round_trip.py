"""Export → import changes nothing, for every import kind (pool, national list, requests,
training), in .xlsx and CSV, through the pages, the CLI and arbitrary text (Hypothesis)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from talentpool.extensions import db
from talentpool.models import Enrollment, Municipality, NationalListEntry, SupportRequest, Talent
from talentpool.services.pool.talent import create_talent
from talentpool.services.pool.talent_format import NATIONAL_HEADER, POOL_HEADER, export_file
from talentpool.services.pool.talent_import import plan_national_import, plan_pool_import
from talentpool.services.requests.files import export_file as export_requests
from talentpool.services.requests.files import import_requests, scope_for_prefecture
from talentpool.services.requests.support_requests import create_request
from talentpool.services.training import programs as training
from talentpool.services.training.files import Scope, export_rows, import_file
from talentpool.tabular import write_csv, write_xlsx
from talentpool.text import normalize
from tests.previews import counts

FORMATS = ("xlsx", "csv")
DEMO_PASSWORD = "demo-pass-12345"


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD])
    assert result.exit_code == 0, result.output


def _login(client, email):
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def _preview(client, url, data, fmt):
    return client.post(
        url, data={"file": (io.BytesIO(data), f"export.{fmt}")}, content_type="multipart/form-data"
    )


# --- the demo data, exported and imported back through the pages ---------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_pool_export_imports_back_unchanged(app, client, demo, fmt):
    _login(client, "iwate.coordinator@demo.example.jp")
    exported = client.get(f"/pool/export.{fmt}?active=all")
    page = _preview(client, "/pool/import", exported.data, fmt)
    with app.app_context():
        pool = db.session.scalar(
            select(db.func.count()).select_from(Talent).where(Talent.prefecture.has(code="03"))
        )
    assert counts(page.text) == f"新規 0 / 更新 0 / 変更なし {pool} / エラーのある行 0"
    assert "取り込む必要はありません" in page.text and "取り込みを確定する" not in page.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_national_list_export_imports_back_unchanged(app, client, demo, fmt):
    _login(client, "admin@demo.example.jp")
    exported = client.get(f"/national/export.{fmt}?active=all")
    page = _preview(client, "/national/import", exported.data, fmt)
    with app.app_context():
        entries = db.session.scalar(select(db.func.count()).select_from(NationalListEntry))
    assert counts(page.text) == f"新規 0 / 更新 0 / 変更なし {entries} / エラーのある行 0"


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_export_imports_back_unchanged(app, client, demo, fmt):
    _login(client, "iwate.coordinator@demo.example.jp")
    exported = client.get(f"/requests/export.{fmt}")
    page = _preview(client, "/requests/import", exported.data, fmt)
    with app.app_context():
        requests = db.session.scalar(
            select(db.func.count())
            .select_from(SupportRequest)
            .where(SupportRequest.prefecture.has(code="03"))
        )
    assert counts(page.text) == f"新規 0 / 更新 0 / 変更なし {requests} / エラーのある行 0"


@pytest.mark.parametrize("fmt", FORMATS)
def test_training_export_imports_back_unchanged(client, demo, fmt):
    _login(client, "iwate.coordinator@demo.example.jp")
    exported = client.get(f"/training/export?year=2025&format={fmt}")
    page = _preview(client, "/training/import", exported.data, fmt)
    unchanged = int(re.search(r"変更なし<strong>(\d+)</strong>", page.text).group(1))
    assert unchanged > 0
    assert "受講記録の追加<strong>0</strong>" in page.text
    assert "受講記録の更新<strong>0</strong>" in page.text
    assert "エラーのある行<strong>0</strong>" in page.text


def test_preview_lists_the_changed_fields_old_and_new(app, client, demo):
    _login(client, "iwate.coordinator@demo.example.jp")
    exported = client.get("/pool/export.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exported.data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("稼働可能時間(月)") + 1).value = 200
    sheet.cell(3, header.index("勤務形態") + 1).value = "リモート"
    buffer = io.BytesIO()
    book.save(buffer)
    page = _preview(client, "/pool/import", buffer.getvalue(), "xlsx")
    assert counts(page.text).startswith("新規 0 / 更新 2 / ")
    changes = re.findall(r"<li><strong>([^<]*)</strong>: <del>([^<]*)</del>", page.text)
    assert [label for label, _ in changes] == ["稼働可能時間(月)", "勤務形態"]
    assert "→ <ins>200</ins>" in page.text and "→ <ins>リモート</ins>" in page.text


# --- the CLI: a scheduled export imports back as nothing to do ------------------------------


def test_cli_exports_are_the_web_files_and_import_back_as_nothing(
    app, client, runner, demo, tmp_path
):
    _login(client, "iwate.coordinator@demo.example.jp")
    talent_file = tmp_path / "pool.xlsx"
    done = runner.invoke(args=["export-talent", "--prefecture", "03", "--out", str(talent_file)])
    assert done.exit_code == 0, done.output
    web = client.get("/pool/export.csv")
    csv_file = tmp_path / "pool.csv"
    runner.invoke(args=["export-talent", "--prefecture", "3", "--out", str(csv_file)])
    assert csv_file.read_bytes() == web.data  # the same file as the web export
    dry = runner.invoke(args=["import-talent", str(talent_file), "--prefecture", "03", "--dry-run"])
    assert dry.exit_code == 0 and "(0 new, 0 updated," in dry.output, dry.output

    requests_file = tmp_path / "requests.xlsx"
    done = runner.invoke(
        args=["export-requests", "--prefecture", "03", "--out", str(requests_file)]
    )
    assert done.exit_code == 0, done.output
    web = client.get("/requests/export.csv")
    csv_file = tmp_path / "requests.csv"
    runner.invoke(args=["export-requests", "--prefecture", "03", "--out", str(csv_file)])
    assert csv_file.read_bytes() == web.data
    dry = runner.invoke(
        args=["import-requests", str(requests_file), "--prefecture", "03", "--dry-run"]
    )
    assert dry.exit_code == 0 and "0 new, 0 updated" in dry.output, dry.output

    wrong = runner.invoke(args=["export-talent", "--prefecture", "03", "--out", "x.pdf"])
    assert wrong.exit_code != 0 and ".xlsx or .csv" in wrong.output


# --- arbitrary text ---------------------------------------------------------------------------

#: Text people type or paste, with the starts a spreadsheet treats as formulas (full-width too)
#: and apostrophes. Control characters other than line breaks are left out: .xlsx cannot hold
#: them at all.
_CHARS = st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n") | st.sampled_from(
    list("=+-@'＝＋－＠ 　")
)
_START = st.sampled_from(["", "=", "+", "-", "@", "'", "''", "'=", "＝", " =", "-2+3 "])
TEXT = st.builds(lambda start, rest: start + rest, _START, st.text(_CHARS, max_size=30))


def _line(text: str) -> str:
    return normalize(text) or "x"


def _multiline(text: str) -> str:
    lines = (normalize(line) for line in text.splitlines())
    return "\n".join(lines).strip("\n")


_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(name=TEXT, kana=TEXT, experience=TEXT, qualifications=TEXT, fmt=st.sampled_from(FORMATS))
def test_any_talent_text_survives_export_and_import(
    app, db, name, kana, experience, qualifications, fmt
):
    values = {
        "name": _line(name),
        "name_kana": normalize(kana),
        "experience": _multiline(experience),
        "qualifications": _multiline(qualifications),
        "kind": "external",
    }
    with app.test_request_context():
        savepoint = db.session.begin_nested()
        prefecture = db.session.scalar(select(Municipality.prefecture_id).limit(1))
        from talentpool.models import Prefecture

        code = db.session.get(Prefecture, prefecture).code
        talent = create_talent(prefecture, values)
        db.session.flush()
        query = select(Talent).where(Talent.id == talent.id)
        rows = db.session.scalars(
            query.options(selectinload(Talent.skills), selectinload(Talent.areas))
        )
        data = export_file(rows, POOL_HEADER, fmt)
        plan = plan_pool_import(data, f"x.{fmt}", prefecture_code=code)
        try:
            assert plan.errors == []
            assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 1)
            (row,) = plan.rows
            for key, value in values.items():  # and the file carries the values exactly
                assert (row.values.get(key) or "") == value, key
        finally:
            savepoint.rollback()


@_SETTINGS
@given(name=TEXT, experience=TEXT, fmt=st.sampled_from(FORMATS))
def test_any_national_list_text_survives_export_and_import(app, db, name, experience, fmt):
    with app.test_request_context():
        savepoint = db.session.begin_nested()
        entry = NationalListEntry(
            external_id="HYP-1",
            name=_line(name),
            kind="company",
            experience=_multiline(experience),
        )
        db.session.add(entry)
        db.session.flush()
        plan = plan_national_import(export_file([entry], NATIONAL_HEADER, fmt), f"x.{fmt}")
        try:
            assert plan.errors == [] and (plan.created, plan.updated, plan.unchanged) == (0, 0, 1)
            assert plan.rows[0].values["name"] == entry.name
        finally:
            savepoint.rollback()


@_SETTINGS
@given(title=TEXT, description=TEXT, fmt=st.sampled_from(FORMATS))
def test_any_request_text_survives_export_and_import(app, db, title, description, fmt):
    with app.test_request_context():
        savepoint = db.session.begin_nested()
        try:
            municipality = db.session.scalar(
                select(Municipality).where(Municipality.lg_code == "032018")
            )
            item = create_request(
                municipality_id=municipality.id,
                values={
                    "title": _line(title),
                    "description": description,
                    "hours_per_month": 10,
                    "external_id": "HYP-R",
                },
            )
            data = export_requests([item], fmt)
            report = import_requests(data, f"x.{fmt}", scope_for_prefecture("03"), dry_run=True)
            assert report.errors == [] and report.file_error is None
            assert [o.action for o in report.rows] == ["unchanged"]
        finally:
            savepoint.rollback()


@_SETTINGS
@given(name=TEXT, department=TEXT, certificate=TEXT, fmt=st.sampled_from(FORMATS))
def test_any_training_text_survives_export_and_import(app, db, name, department, certificate, fmt):
    from datetime import date

    from talentpool.models import Audience, TrainingProgram

    with app.test_request_context():
        savepoint = db.session.begin_nested()
        try:
            municipality = db.session.scalar(
                select(Municipality).where(Municipality.lg_code == "032018")
            )
            program = db.session.scalar(
                select(TrainingProgram).where(
                    TrainingProgram.audience == Audience.dx_leader,
                    TrainingProgram.prefecture_id.is_(None),
                )
            )
            leader = training.add_leader(
                municipality_id=municipality.id,
                name=_line(name),
                department=normalize(department)[:100],
                position=None,
                email=None,
            )
            record = training.enroll(
                program=program, dx_leader=leader, enrolled_on=date(2025, 5, 1), past_record=True
            )
            training.complete(
                record,
                completed_on=date(2025, 9, 1),
                certificate_number=normalize(certificate)[:64] or None,
                today=date(2025, 10, 1),
            )
            db.session.flush()
            scope = Scope(municipality.prefecture_id)
            rows = export_rows(scope, 2025)
            from talentpool.services.training.files import EXPORT_HEADERS

            data = (
                write_xlsx(EXPORT_HEADERS, rows)
                if fmt == "xlsx"
                else write_csv(EXPORT_HEADERS, rows)
            )
            count = db.session.scalar(select(db.func.count()).select_from(Enrollment))
            report = import_file(data, f"x.{fmt}", scope, dry_run=True)
            assert report.errors == []
            assert (report.created, report.updated, report.created_leaders) == (0, 0, 0)
            assert report.unchanged == len(rows)
            assert db.session.scalar(select(db.func.count()).select_from(Enrollment)) == count
        finally:
            savepoint.rollback()
