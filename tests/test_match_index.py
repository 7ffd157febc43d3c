"""The matcher's stored analysis of talent text (talent_text_index): written with every
change of a talent's text, rebuilt when it does not fit, rebuilt by `talentpool reindex`."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from sqlalchemy import delete, insert, select, update

from talentpool.extensions import db
from talentpool.matching.documents import ANALYSIS_VERSION, Analysed, analyse
from talentpool.models import Prefecture, Talent, TalentTextIndex
from talentpool.services.matching import bridge as matching
from talentpool.services.matching.match_index import analyses_for, text_hash

EXPERIENCE = "ガバクラ移行のPMOを担当した。書かない窓口の導入も支援した。"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry(talent_id: int) -> TalentTextIndex | None:
    return db.session.scalar(
        select(TalentTextIndex)
        .where(TalentTextIndex.talent_id == talent_id)
        .execution_options(populate_existing=True)
    )


def _spoil(talent_id: int, **values) -> None:
    """Change a stored entry behind the matcher's back (as old data or bulk SQL would)."""
    db.session.execute(
        update(TalentTextIndex).where(TalentTextIndex.talent_id == talent_id).values(**values)
    )


def test_creating_a_talent_writes_its_entry(app, factory):
    person = factory.talent(experience=EXPERIENCE, qualifications="PMP")
    with app.app_context():
        entry = _entry(person.id)
        text = f"{EXPERIENCE}\nPMP"
        assert entry is not None
        assert entry.text_hash == _sha(text) == text_hash(db.session.get(Talent, person.id))
        assert entry.version == ANALYSIS_VERSION
        assert Analysed.decode(text, entry.terms) == analyse(text)
        assert "ガバメントクラウド" in entry.terms  # canonical form (synonym table)


def test_a_talent_made_without_qualifications_is_indexed_by_its_experience(app, factory):
    prefecture_id = factory.prefecture("03").id
    with app.app_context():
        person = Talent(prefecture_id=prefecture_id, name="資格 なし", kind="external")
        person.experience = EXPERIENCE  # qualifications left to the column default
        db.session.add(person)
        db.session.commit()
        entry = _entry(person.id)
        assert entry.text_hash == _sha(EXPERIENCE)
        assert text_hash(person) == entry.text_hash  # so the entry is found, not rebuilt
        assert analyses_for([person]) == [analyse(EXPERIENCE)]


def test_editing_the_text_rewrites_the_entry_and_other_edits_leave_it(app, factory):
    person = factory.talent(experience=EXPERIENCE)
    with app.app_context():
        _spoil(person.id, terms="kept")
        db.session.commit()
        row = db.session.get(Talent, person.id)
        row.available_hours_per_month = 10
        row.name = "改名 済子"
        db.session.commit()
        assert _entry(person.id).terms == "kept"  # hours are not text: nothing rewritten

        row.experience = "オンライン申請の導入を支援"
        db.session.commit()
        entry = _entry(person.id)
        assert entry.text_hash == _sha("オンライン申請の導入を支援")
        assert entry.terms == analyse("オンライン申請の導入を支援").encode()

        row.qualifications = "情報処理安全確保支援士"
        db.session.commit()
        text = "オンライン申請の導入を支援\n情報処理安全確保支援士"
        assert _entry(person.id).text_hash == _sha(text)
        assert _entry(person.id).version == ANALYSIS_VERSION


@pytest.mark.parametrize(
    "spoil",
    [
        {"text_hash": "0" * 64},  # written for another text
        {"version": "sudachi-old-1"},  # written by another analyser
        {"terms": "one line\twithout\tthe\tright shape"},  # does not fit the text
    ],
    ids=["wrong hash", "old version", "broken terms"],
)
def test_an_entry_that_does_not_fit_is_rebuilt(app, factory, spoil):
    person = factory.talent(experience=EXPERIENCE)
    with app.app_context():
        _spoil(person.id, **spoil)
        row = db.session.get(Talent, person.id)
        assert analyses_for([row]) == [analyse(EXPERIENCE)]
        entry = _entry(person.id)  # written back in the same transaction
        assert (entry.text_hash, entry.version) == (_sha(EXPERIENCE), ANALYSIS_VERSION)
        assert entry.terms == analyse(EXPERIENCE).encode()


def test_a_talent_inserted_with_bulk_sql_gets_an_entry_on_demand(app, factory):
    indexed = factory.talent(experience="住民記録システムの標準化")
    with app.app_context():
        prefecture_id = db.session.get(Talent, indexed.id).prefecture_id
        new_id = db.session.execute(
            insert(Talent.__table__)
            .values(
                prefecture_id=prefecture_id,
                name="一括 登録",
                name_kana="",
                kind="external",
                experience=EXPERIENCE,
                qualifications="",
                available_hours_per_month=20,
                work_style="hybrid",
                active=True,
                cio_candidate=False,
                search_text="",
            )
            .returning(Talent.__table__.c.id)
        ).scalar_one()
        assert _entry(new_id) is None  # no flush of a Talent object: no listener
        rows = [db.session.get(Talent, indexed.id), db.session.get(Talent, new_id)]
        assert analyses_for(rows) == [analyse("住民記録システムの標準化"), analyse(EXPERIENCE)]
        entry = _entry(new_id)
        assert (entry.text_hash, entry.version) == (_sha(EXPERIENCE), ANALYSIS_VERSION)


def test_a_fitting_entry_is_read_not_recomputed(app, factory):
    person = factory.talent(experience="窓口の受付を担当")
    with app.app_context():
        fresh = analyse("窓口の受付を担当")
        marked = Analysed(
            fresh.sentences, fresh.canonical, (("stored-word",),), fresh.found
        ).encode()
        _spoil(person.id, terms=marked)
        (found,) = analyses_for([db.session.get(Talent, person.id)])
        assert found.words == ["stored-word"]  # what the store holds, for this text


def test_prepare_pool_ranks_with_the_stored_analysis(app, factory):
    person = factory.talent(experience=EXPERIENCE)
    other = factory.talent(experience="小売店舗のPOSレジ導入と在庫管理")
    with app.app_context():
        db.session.execute(delete(TalentTextIndex).where(TalentTextIndex.talent_id == other.id))
        pool = matching.prepare_pool(factory.prefecture("03").id)
        position = pool.index.position
        assert pool.index.analysed[position[str(person.id)]] == analyse(EXPERIENCE)
        assert _entry(other.id) is not None  # the missing one was rebuilt on the way


def test_deleting_a_talent_deletes_its_entry(app, factory):
    person = factory.talent(experience=EXPERIENCE)
    with app.app_context():
        db.session.delete(db.session.get(Talent, person.id))
        db.session.commit()
        assert _entry(person.id) is None


def test_reindex_command_rebuilds_every_entry(app, factory, runner):
    iwate = [factory.talent("03", experience=f"窓口改革 {i}件目") for i in range(3)]
    tokyo = factory.talent("13", experience="ガバメントクラウド移行")
    with app.app_context():
        for person in (*iwate, tokyo):
            _spoil(person.id, version="old", terms="")
        db.session.commit()

    result = runner.invoke(args=["reindex", "--prefecture", "03"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        count = db.session.scalar(
            select(db.func.count())
            .select_from(Talent)
            .where(Talent.prefecture_id == factory.prefecture("03").id)
        )
        assert f"reindexed {count} talent" in result.output
        for person in iwate:
            entry = _entry(person.id)
            assert entry.version == ANALYSIS_VERSION
            assert entry.terms == analyse(person.experience).encode()
        assert _entry(tokyo.id).version == "old"  # another prefecture: left alone

    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _entry(tokyo.id).version == ANALYSIS_VERSION
        assert _entry(tokyo.id).terms == analyse("ガバメントクラウド移行").encode()

    result = runner.invoke(args=["reindex", "--prefecture", "99"])
    assert result.exit_code != 0 and "unknown prefecture code 99" in result.output


@pytest.mark.postgres
def test_two_pages_rebuilding_the_same_entries_at_once_both_succeed(pg_app):
    """After an analyser upgrade every entry is stale; two coordinators open a matching
    page at the same moment and both rebuild (and commit) the same entries. The second
    insert meets the first one's row: it must give way, not fail the page."""
    with pg_app.app_context():
        prefecture_id = db.session.scalar(select(Prefecture.id))
        person = Talent(prefecture_id=prefecture_id, name="競合 試験", kind="external")
        person.experience = EXPERIENCE
        db.session.add(person)
        db.session.commit()
        talent_id = person.id
        db.session.execute(delete(TalentTextIndex).where(TalentTextIndex.talent_id == talent_id))
        db.session.commit()
        db.session.remove()

    first_wrote = threading.Event()
    results: dict[str, object] = {}

    def page(name: str) -> None:
        with pg_app.app_context():
            try:
                if name == "second":
                    first_wrote.wait(10)
                found = analyses_for([db.session.get(Talent, talent_id)])
                if name == "first":
                    first_wrote.set()
                    time.sleep(1.0)  # the second page is now waiting on this row
                db.session.commit()
                results[name] = found
            except Exception as error:  # noqa: BLE001 - the test reports what failed
                db.session.rollback()
                results[name] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=page, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == {"first": [analyse(EXPERIENCE)], "second": [analyse(EXPERIENCE)]}
    with pg_app.app_context():
        entry = _entry(talent_id)
        assert (entry.text_hash, entry.version) == (_sha(EXPERIENCE), ANALYSIS_VERSION)
        db.session.remove()
