"""Migration 0011 makes an older file's households findable by one- and two-character terms, and
its downgrade gives the search text back as it was."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine

from app.households.service import search_households
from db import migrate
from db.engine import Database
from db.models import Community, Household, Resident


def _texts(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT household_id, text FROM household_search").all())


def _household(db: Database) -> str:
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="桂花里", building="1", room="101", head_name="周敏")
        s.add(household)
        s.flush()
        s.add(Resident(household_id=household.id, name="周敏", id_number="33010219800101123X"))
        s.commit()
        return household.id


def test_downgrade_and_upgrade_rewrite_the_search_text_and_its_index(db_path):
    db = Database.open(db_path)
    household_id = _household(db)
    padded = _texts(db.engine)[household_id]
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(migrate._config(conn), "0010")
    older = _texts(engine)[household_id]
    assert older == padded[:-2] and older.endswith("123X")
    with engine.begin() as conn:  # the 0010 program's triggers derive the very same text
        conn.exec_driver_sql("UPDATE household SET head_name = head_name")
        assert _texts(engine)[household_id] == older
        hits = conn.exec_driver_sql("SELECT rowid FROM household_fts WHERE household_fts MATCH '\"23X\"'").all()
        assert len(hits) == 1
        assert not conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'household_fts_terms'").first()
    engine.dispose()

    db = Database.open(db_path)  # upgrades the older file to 0011
    try:
        assert _texts(db.engine)[household_id] == padded
        for term in ["周", "敏", "X", "3X", "桂花里"]:
            assert [r.id for r in search_households(db, text=term)] == [household_id], term
    finally:
        db.close()


def test_a_new_database_pads_the_search_text_of_what_is_saved(db):
    with db.session() as s:
        community = Community(name="阳光社区")
        s.add(community)
        s.flush()
        household = Household(community_id=community.id, estate="老街", room="3", head_name="孙")
        s.add(household)
        s.flush()
        s.add(Resident(household_id=household.id, name="孙", phone="13800000001"))
        s.commit()
    with db.engine.connect() as conn:
        [text] = conn.exec_driver_sql("SELECT text FROM household_search").scalars().all()
    assert text.endswith("13800000001   ")  # resident's phone, an empty ID number, the pad
