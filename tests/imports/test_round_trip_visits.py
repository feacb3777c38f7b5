"""The round trip of the 走访台账: exported, then imported as visits into an EMPTY database (only the
officers' accounts), it gives back the same visits, and the same ledger column by column.

The demo's visits have no people met and no campaign: a small hand-made station adds those, and a
household whose address cannot be split from one cell (幸福巷12号: no 楼栋), which the ledger's
小区/楼栋/单元/房号 columns bring back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.core.text import format_address
from app.disputes import ledger as dispute_ledger
from app.households import ledger as visits_ledger
from app.households.campaigns import Criteria, create_campaign, list_campaigns
from app.households.residents import ResidentValues, save_resident
from app.households.service import HouseholdValues, save_household
from app.households.visits import VisitValues, record_visit
from app.imports import mapping, reading
from app.imports.service import check, fields
from db.engine import Database
from db.models import Community, Household, Officer, Resident, Visit, VisitResident
from tests.support.cli import DEMO_DAY
from tests.support.imports import START
from tests.support.imports import import_ledger as _import

FIRST = DEMO_DAY - timedelta(days=365 * 5)  # the ledger's longest range: it holds every demo visit


def _ledger(db: Database, start: date, end: date) -> list[list]:
    """The ledger's rows without their 序号, in a stable order (visits of the same minute keep no order)."""
    return sorted(row[1:] for row in visits_ledger.visit_ledger_rows(db, start=start, end=end))


def _visits(db: Database) -> list[tuple]:
    """Each living visit on the fields the ledger carries (the time to the minute, as printed)."""
    v, h, c, o = Visit.__table__.c, Household.__table__.c, Community.__table__.c, Officer.__table__.c
    vr, r = VisitResident.__table__.c, Resident.__table__.c
    with db.connect() as conn:
        met: dict[str, list[str]] = {}
        for row in conn.execute(select(vr.visit_id, r.name).join(Resident.__table__, r.id == vr.resident_id)
                                .where(vr.deleted.is_(False), vr.met.is_(True))):
            met.setdefault(row.visit_id, []).append(row.name)
        rows = conn.execute(select(v.id, v.visited_at, v.companions, v.purposes, v.findings, v.requests, v.hazards,
                                   v.follow_up, c.name.label("community"), h.estate, h.building, h.unit, h.room,
                                   o.name.label("officer"))
                            .join(Household.__table__, h.id == v.household_id)
                            .join(Community.__table__, c.id == h.community_id)
                            .outerjoin(Officer.__table__, o.id == v.officer_id).where(v.deleted.is_(False))).all()
    return sorted((row.visited_at.astimezone().strftime("%Y-%m-%d %H:%M"), row.community,
                   format_address(row.estate, row.building, row.unit, row.room), row.officer, row.companions,
                   row.purposes, row.findings, row.requests, row.hazards, row.follow_up,
                   tuple(sorted(met.get(row.id, [])))) for row in rows)


def _compare_column_by_column(before: list[list], after: list[list]) -> None:
    headers = [c.header for c in visits_ledger.COLUMNS][1:]
    assert len(after) == len(before)
    for at, header in enumerate(headers):
        assert [row[at] for row in after] == [row[at] for row in before], header


def test_the_visits_ledger_imports_back_to_the_same_visits_and_the_same_ledger(empty, demo, tmp_path):
    db, officer_id = empty
    # the disputes first (the 走访台账 names them by number), then the visits that found them
    dispute_ledger.write_ledger(demo, start=START, end=DEMO_DAY, path=tmp_path / "d.xlsx", on=DEMO_DAY)
    _import(db, "disputes", tmp_path / "d.xlsx", officer_id)
    path = tmp_path / "走访台账.xlsx"
    exported = visits_ledger.write_ledger(demo, start=FIRST, end=DEMO_DAY, path=path)
    result, summary = _import(db, "visits", path, officer_id)
    assert [(row.line, row.problems) for row in result.rows if row.problems] == []
    assert result.counts["good"] == exported > 100 and result.counts["matched"] == 0
    before, after = _ledger(demo, FIRST, DEMO_DAY), _ledger(db, FIRST, DEMO_DAY)
    _compare_column_by_column(before, after)
    assert _visits(db) == _visits(demo)
    # every demo visit is in it, and the comparison means something: disputes found on visits (linked back),
    # several officers, purposes and household kinds
    assert len(_visits(demo)) == exported
    headers = [c.header for c in visits_ledger.COLUMNS][1:]  # _ledger leaves 序号 out
    column = {header: [row[at] for row in before] for at, header in enumerate(headers)}
    assert any(column["矛盾纠纷编号"]) and len(set(column["走访民警"])) > 1
    assert len(set(column["走访事由"])) > 1 and len(set(column["住户类型"])) > 1
    assert summary.added > exported  # the households came with them


def test_importing_the_same_ledger_again_matches_every_visit(empty, demo, tmp_path):
    db, officer_id = empty
    path = tmp_path / "走访台账.xlsx"
    start = DEMO_DAY - timedelta(days=60)
    visits_ledger.write_ledger(demo, start=start, end=DEMO_DAY, path=path)
    first, _summary = _import(db, "visits", path, officer_id)
    info = reading.sheets(path)[0]
    again = check(db, kind="visits", path=path, sheets=[info.name], header_row=info.header_row,
                  mapping=mapping.guess(info.headers, fields("visits")))
    assert again.counts["matched"] == again.counts["good"] == first.counts["good"] > 0
    assert all(row.action == "skip" for row in again.rows)  # left alone, as matched rows are by default
    headers = [c.header for c in visits_ledger.COLUMNS]
    matched = [row for row in again.rows if row.match_id]
    assert len(matched) == again.counts["matched"]
    for row in matched:  # the officer reads which visit: the address, the day and who visited
        for header in ("住址", "走访日期", "走访民警"):
            assert row.values[headers.index(header)] in row.match_label


def _station(db: Database) -> None:
    """Two households: an apartment with two residents, and a house without 楼栋 (its address cannot be
    split from one cell); visits that met people, one under a campaign."""
    when = datetime(2026, 11, 10, 1, 30, tzinfo=UTC)
    with db.session() as session:
        officer = Officer(username="zhao", name="赵警官", role="officer", active=True)
        session.add(officer)
        session.commit()
        officer_id = officer.id
    flat = save_household(db, values=HouseholdValues(community="阳光社区", grid="一网格", estate="阳光花园",
                                                     building="2", unit="1", room="101", head_name="张伟"))
    house = save_household(db, values=HouseholdValues(community="幸福社区", estate="幸福巷12号", kind="rented"))
    zhang = save_resident(db, household_id=flat, values=ResidentValues(name="张伟", relation="户主"))
    li = save_resident(db, household_id=flat, values=ResidentValues(name="李娜", relation="配偶"))
    campaign_id = create_campaign(db, name="冬季敲门行动", starts_on=date(2026, 11, 1), criteria=Criteria(),
                                  today=date(2026, 11, 5))
    record_visit(db, now=when + timedelta(days=1), values=VisitValues(
        household_id=flat, visited_at=when, officer_id=officer_id, purposes=("日常走访", "反诈宣传"),
        companions="辅警王强", met={zhang: True, li: True}, findings="一切正常", requests="希望加装路灯",
        hazards="楼道堆物", follow_up="一周后回访", campaign_id=campaign_id))
    record_visit(db, now=when + timedelta(days=1), values=VisitValues(
        household_id=house, visited_at=when + timedelta(hours=2), officer_id=officer_id, purposes=("信息采集",),
        findings="租户二人，已登记"))


def test_people_met_campaigns_and_a_house_without_a_building_come_back_and_travel_by_sync(db, tmp_path, _template_db):
    import shutil

    _station(db)
    path = tmp_path / "走访台账.xlsx"
    assert visits_ledger.write_ledger(db, start=date(2026, 11, 1), end=date(2026, 11, 30), path=path) == 2
    target_path = tmp_path / "target.sqlite3"
    shutil.copy(_template_db, target_path)
    target = Database.open(target_path)
    try:
        with target.session() as session:
            session.add(Officer(username="zhao", name="赵警官", role="officer", active=True))
            session.commit()
        result, _summary = _import(target, "visits", path, None)
        assert [(row.line, row.problems) for row in result.rows if row.problems] == []
        _compare_column_by_column(_ledger(db, date(2026, 11, 1), date(2026, 11, 30)),
                                  _ledger(target, date(2026, 11, 1), date(2026, 11, 30)))
        assert _visits(target) == _visits(db)
        visits = _visits(target)
        assert ("张伟", "李娜") in [visit[-1] for visit in visits] and "幸福巷12号" in [visit[2] for visit in visits]
        assert [c.name for c in list_campaigns(target)] == ["冬季敲门行动"]
        # stamped like typed visits: a full sync file carries them to another laptop, which checks every
        # row by the forms' rules and ends with the same ledger
        from tests.support.sync import Courier, make_device

        other = make_device(_template_db, tmp_path, "B02")
        try:
            courier = Courier(tmp_path)
            summary = courier.bring(other, courier.export(target, full=True))
            assert summary.tables["visit"].added == 2 and summary.tables["visit_resident"].added == 2
            assert _ledger(other, date(2026, 11, 1), date(2026, 11, 30)) == \
                _ledger(target, date(2026, 11, 1), date(2026, 11, 30))
        finally:
            other.close()
    finally:
        target.close()
