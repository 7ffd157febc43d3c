"""Figures for the hardening of issue 15: reading hostile sparse files, and how long a login
takes for an address with and without an account.

    .venv/bin/python bench/hardening.py [--runs 5]

Reads a 5 KB .xlsx whose only far cell is at row 1,048,576 and its CSV counterpart (a
million empty lines) with the import reader, then logs in with a wrong password through the
test client, with the production hash (scrypt), for an existing and an unknown address.
Prints medians in ms.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402

from talentpool import create_app  # noqa: E402
from talentpool.config import overrides_for_tests  # noqa: E402
from talentpool.extensions import db  # noqa: E402
from talentpool.models import Role  # noqa: E402
from talentpool.services.accounts.users import create_user  # noqa: E402
from talentpool.tabular import TableError, read_table  # noqa: E402


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _sparse_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["管理番号", "氏名"])
    sheet.cell(row=1048576, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(data: bytes, name: str) -> None:
    try:
        read_table(data, name)
    except TableError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    xlsx = _sparse_xlsx()
    csv = ("管理番号,氏名\r\n" + "\r\n" * 1_048_574 + "x\r\n").encode()
    xlsx_ms = _median_ms(lambda: _read(xlsx, "s.xlsx"), runs)
    csv_ms = _median_ms(lambda: _read(csv, "s.csv"), runs)
    print(f"sparse .xlsx ({len(xlsx):,} bytes), read: {xlsx_ms:.1f} ms")
    print(f"sparse CSV ({len(csv):,} bytes), refused: {csv_ms:.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        config = overrides_for_tests(f"sqlite:///{folder}/bench.db") | {
            "PASSWORD_HASH_METHOD": "scrypt",
            "LOGIN_FREE_ATTEMPTS": 10_000,
        }
        app = create_app(config)
        with app.app_context():
            db.create_all()
            create_user(
                email="exists@example.jp",
                name="計測",
                role=Role.national_admin,
                password="bench-password-2026-x",
            )
            db.session.commit()
        client = app.test_client()

        def attempt(email: str):
            return lambda: client.post("/login", data={"email": email, "password": "wrong-pass"})

        attempt("warm-up@example.jp")()
        known = _median_ms(attempt("exists@example.jp"), runs)
        unknown = _median_ms(attempt("nobody@example.jp"), runs)
        print(f"login, wrong password, existing address: {known:.0f} ms")
        print(f"login, wrong password, unknown address:  {unknown:.0f} ms")


if __name__ == "__main__":
    main()
