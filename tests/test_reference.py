"""Reference data: 47 prefectures, 1,741 municipalities with valid codes; seeding is idempotent."""

from sqlalchemy import func, select

from talentpool.extensions import db
from talentpool.lgcode import is_valid
from talentpool.models import Municipality, Prefecture, TaxonomyTerm, TrainingProgram


def test_counts_codes_and_kinds(app, db):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Prefecture)) == 47
        assert db.session.scalar(select(func.count()).select_from(Municipality)) == 1741
        codes = db.session.scalars(select(Municipality.lg_code)).all()
        assert len(set(codes)) == 1741
        assert all(is_valid(code) for code in codes)
        kinds = dict(
            db.session.execute(
                select(Municipality.kind, func.count()).group_by(Municipality.kind)
            ).all()
        )
        assert kinds == {"city": 792, "town": 743, "village": 183, "ward": 23}
        sapporo = db.session.scalar(select(Municipality).where(Municipality.lg_code == "011002"))
        assert sapporo.name == "札幌市" and sapporo.prefecture.code == "01"
        assert sapporo.name_kana == "サッポロシ"
        assert db.session.scalar(select(func.count()).select_from(TaxonomyTerm)) == 22
        names = set(db.session.scalars(select(TrainingProgram.name)))
        assert {"DX推進リーダー育成研修", "行政実務研修"} <= names


def test_seed_reference_twice_changes_nothing(app, runner):
    # The session app already ran it once; two more runs must report and change nothing.
    for _ in range(2):
        result = runner.invoke(args=["seed-reference"])
        assert result.exit_code == 0, result.output
        assert "nothing changed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Prefecture)) == 47
        assert db.session.scalar(select(func.count()).select_from(Municipality)) == 1741


def test_seed_reference_repairs_an_edited_row(app, runner):
    with app.app_context():
        morioka = db.session.scalar(select(Municipality).where(Municipality.lg_code == "032018"))
        morioka.name = "間違い"
        db.session.commit()
    result = runner.invoke(args=["seed-reference"])
    assert "updated 1 municipality" in result.output
    with app.app_context():
        assert (
            db.session.scalar(select(Municipality.name).where(Municipality.lg_code == "032018"))
            == "盛岡市"
        )
