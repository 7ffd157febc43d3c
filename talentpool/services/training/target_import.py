"""Training targets from a sheet (団体コード, 目標人数, optional 年度) of one prefecture.

The same `ImportReport` as every import; the targets page imports at once, all rows or none.
A blank target removes the municipality's target for that year.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from talentpool.extensions import db
from talentpool.models import Municipality
from talentpool.services.import_changes import FieldChange, RowChange, shown
from talentpool.services.imports import ImportMode, ImportReport, keeps, read_rows
from talentpool.services.training import progress
from talentpool.tabular import Column, RowError, Schema, parse_int, parse_lg_code

TARGET_SCHEMA = Schema(
    [
        Column(
            "municipality_code",
            ("市町村コード",),
            required=True,
            parser=parse_lg_code,
            label_ja=_l("団体コード"),
        ),
        Column(
            "target_count",
            ("目標", "target"),
            parser=parse_int(min=0, max=progress.MAX_TARGET),
            label_ja=_l("目標人数"),
        ),
        Column("fiscal_year", (), parser=parse_int(min=2019, max=2100), label_ja=_l("年度")),
    ],
    unique=("municipality_code",),
)


def import_targets(
    data: bytes,
    filename: str,
    *,
    prefecture_id: int,
    year: int,
    mode: ImportMode = ImportMode.all_or_nothing,
    dry_run: bool = False,
) -> ImportReport:
    """Check a targets file and, unless `dry_run` or refused by `mode`, set the targets; a row
    without 年度 is for `year`. The caller commits."""
    report = ImportReport()
    rows = read_rows(data, filename, TARGET_SCHEMA, report)
    labels = {c.key: c.label for c in TARGET_SCHEMA.columns}
    municipalities = {
        m.lg_code: m
        for m in db.session.scalars(
            select(Municipality).where(Municipality.prefecture_id == prefecture_id)
        )
    }
    by_year: dict[int, dict[int, int | None]] = {}
    for row in rows:
        code = row.values["municipality_code"]
        municipality = municipalities.get(code)
        if municipality is None:
            message = _l("%(code)sはこの都道府県の市町村ではありません。", code=code)
            report.errors.append(
                RowError(row.row_number, labels["municipality_code"], str(message))
            )
            continue
        row_year = row.values.get("fiscal_year") or year
        by_year.setdefault(row_year, {})[municipality.id] = row.values.get("target_count")
        report.rows.append(RowChange(row.row_number, code, municipality.name, "unchanged"))
    _compare(report, by_year, municipalities, labels)
    report.errors.sort(key=lambda e: e.row)
    if keeps(report, mode, dry_run):
        for row_year, counts in by_year.items():
            progress.set_targets(prefecture_id, row_year, counts)
        report.committed = True
    return report


def _compare(report: ImportReport, by_year, municipalities, labels) -> None:
    """Each row's action against the stored target of its year."""
    ids = {m.lg_code: m.id for m in municipalities.values()}
    stored = {y: progress.targets(list(counts), y) for y, counts in by_year.items()}
    for change in report.rows:
        municipality_id = ids[change.key]
        for row_year, counts in by_year.items():
            if municipality_id not in counts:
                continue
            before, after = stored[row_year].get(municipality_id), counts[municipality_id]
            if before == after:
                continue
            change.action = "create" if before is None else "update"
            change.changes = [FieldChange(labels["target_count"], shown(before), shown(after))]
