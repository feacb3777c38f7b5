"""Door-to-door visits (入户走访), one row per visit: the 走访台账 kind of the Excel import.

The household is found by its address (社区 + 小区/楼栋/单元/房号, or one 住址 cell) and made when
missing, by the households kind's own functions (its cells, its checks, its writer): a visit row
is a household-only row of that kind plus the visit. 见面人员 names residents of that household;
a name with no resident there is added as one (name only, as a household row naming a person is).
走访民警 must be an officer account here (a name without one is a problem line of that row, as in
the other kinds); a blank one is refused as the visit form refuses it. 走访日期 with 时间 (or one
cell holding both) is the officer's local time. 走访事由, 同行人员, 发现情况, 社情民意, 安全隐患,
需跟进事项 are checked by the visit form's own ``visit_problems``. 走访计划 is found by name, made
when missing (starting on its first visit of the file) with the visited households in it.
矛盾纠纷编号 links the stored dispute of that number to the visit (a number not stored here is a
problem line: import the 矛盾纠纷台账 first, or clear the cell).

Match: a living visit to the same household on the same day by the same officer. Update changes
the matched visit to the row's non-empty fields and notes the people met it did not list yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from app.core.errors import UserError
from app.core.timeutil import local_day
from app.core.vocab import VISIT_PURPOSES
from app.households.campaigns import Criteria, campaign_problems
from app.households.visits import VisitValues, visit_problems
from app.imports import cells
from app.imports.kinds import Planned
from app.imports.kinds import households as homes
from app.imports.kinds.lookups import Officers, Reader, chunks, filled, plain, split_list
from app.imports.mapping import Field
from db.models import Campaign, CampaignHousehold, Dispute, Resident, Visit, VisitResident

KIND = "visits"
TITLE = "入户走访记录"
TABLES = ("visit", "visit_resident", "household", "resident", "community", "grid", "campaign",
          "campaign_household", "dispute", "audit_entry")

_HOUSEHOLD_KEYS = ("community", "grid", "address", "estate", "building", "unit", "room", "kind", "household_tags",
                   "head_name", "household_phone")
FIELDS: tuple[Field, ...] = (
    Field("visited_on", "走访日期", required=True, aliases=("走访时间", "入户日期", "入户时间", "日期")),
    Field("time", "时间", aliases=("走访时刻", "时刻")),
    *(field for field in homes.FIELDS if field.key in _HOUSEHOLD_KEYS),
    Field("officer", "走访民警", aliases=("民警", "走访人", "走访人员", "社区民警", "责任民警")),
    Field("companions", "同行人员", aliases=("陪同人员", "同行", "随同人员")),
    Field("purposes", "走访事由", aliases=("事由", "走访目的", "走访类型")),
    Field("met", "见面人员", aliases=("见面人", "被走访人", "接待人")),
    Field("findings", "发现情况", aliases=("走访情况", "走访结果", "情况")),
    Field("requests", "社情民意", aliases=("群众诉求", "意见建议", "诉求")),
    Field("hazards", "安全隐患", aliases=("隐患", "发现隐患")),
    Field("follow_up", "需跟进事项", aliases=("跟进事项", "后续跟进", "需跟进")),
    Field("dispute_number", "矛盾纠纷编号", aliases=("纠纷编号",)),
    Field("campaign", "走访计划", aliases=("专项行动", "走访活动")),
)
_LABEL = {f.key: f.label for f in FIELDS}
_TEXTS = ("findings", "requests", "hazards", "follow_up")
# visit_problems fields whose message ("最多1000个字") needs the column's name; the others name it themselves
_UNNAMED = ("companions", *_TEXTS)
_NO_HEAD = "（无户主）"  # stands in for a blank 户主 while the households kind reads the row (see _household)


@dataclass(frozen=True)
class Draft:
    household: homes.Draft  # the household alone, as the households kind reads the row
    people: tuple[homes.Draft, ...]  # one per 见面人员, as a households row naming that person
    visit: VisitValues  # household_id, officer_id and campaign_id are found when written
    timed: bool  # the row gave the time of day (else the visit is at 00:00 of its day)
    officer: str
    campaign: str
    dispute_number: str
    given: frozenset[str]

    @property
    def address_key(self) -> tuple:
        return self.household.address_key

    @property
    def day(self) -> date:
        return local_day(self.visit.visited_at)


def _household(values: dict, sheet: str, epoch_1904: bool) -> tuple[homes.Draft | None, list[str]]:
    """The row's household read by the households kind. That kind asks a row standing for a household
    alone to name its 户主; a visit row stands for its visit, so a blank 户主 is let through."""
    cells_ = {key: values[key] for key in _HOUSEHOLD_KEYS if key in values}
    headless = not cells.text(cells_.get("head_name"))
    if headless:
        cells_["head_name"] = _NO_HEAD
    draft, problems = homes.convert(cells_, sheet=sheet, epoch_1904=epoch_1904)
    if draft is not None and headless:
        draft = replace(draft, household=replace(draft.household, head_name=""), given=draft.given - {"head_name"})
    return draft, problems


def convert(values: dict[str, object], *, sheet: str, epoch_1904: bool) -> tuple[Draft | None, list[str]]:
    read = Reader(values, _LABEL)
    problems = read.problems
    household, found = _household(values, sheet, epoch_1904)
    problems += found
    people: list[homes.Draft] = []
    met = tuple(dict.fromkeys(split_list(plain(values.get("met")))))
    if household is not None:
        for name in met:  # each name as the households kind reads a row naming a person there
            person, found = homes.convert({**{k: values[k] for k in _HOUSEHOLD_KEYS if k in values}, "name": name},
                                          sheet=sheet, epoch_1904=epoch_1904)
            problems += [f"见面人员{name}：{message}" for message in found if message not in problems]
            if person is not None:
                people.append(person)
    when = read("visited_on", cells.moment, epoch_1904=epoch_1904)
    clock = read("time", cells.clock)
    if when is None and "visited_on" not in read.failed:
        problems.append("请填写走访日期")
    timed = clock is not None or (when is not None and when.time() != time())
    if when is not None and clock is not None:
        when = datetime.combine(when.date(), clock)
    officer = plain(values.get("officer"))
    if not officer:
        problems.append("请填写走访民警")  # the visit form asks for one (a name checked against the accounts later)
    campaign = plain(values.get("campaign"))
    if campaign and (message := campaign_problems(name=campaign, starts_on=date.min, ends_on=None,
                                                  criteria=Criteria()).get("name")):
        problems.append(f"走访计划：{message}")
    visit = VisitValues(
        household_id="", visited_at=(when or datetime.now()).astimezone(),
        companions=plain(values.get("companions")).replace("\n", " "),
        purposes=tuple(split_list(cells.text(values.get("purposes")))),
        **{name: plain(values.get(name)) for name in _TEXTS})
    for field, message in visit_problems(visit).items():
        if field == "visited_at" and when is None:
            continue
        problems.append(f"{_LABEL[field]}：{message}" if field in _UNNAMED else message)
    if problems:
        return None, list(dict.fromkeys(problems))
    return Draft(household=household, people=tuple(people), visit=visit, timed=timed, officer=officer,
                 campaign=campaign, dispute_number=(cells.text(values.get("dispute_number")) or "").upper(),
                 given=filled(values)), []


def file_key(draft: Draft):
    """The same household, officer and day (and time, where the file gives it) is the same visit."""
    when = draft.visit.visited_at if draft.timed else draft.day
    return draft.address_key, when, draft.officer


def refuse(conn, drafts: Sequence[Draft]) -> dict[int, list[str]]:
    """Rows whose 走访民警 has no account here, or whose 矛盾纠纷编号 is not stored here."""
    officers = Officers(conn)
    disputes = _disputes(conn, {d.dispute_number for d in drafts if d.dispute_number})
    out: dict[int, list[str]] = {}
    for index, draft in enumerate(drafts):
        reasons = []
        if reason := officers.find(draft.officer, role="走访民警")[1]:
            reasons.append(reason)
        if draft.dispute_number and draft.dispute_number not in disputes:
            reasons.append(f"矛盾纠纷编号“{draft.dispute_number}”不在本机：请先导入矛盾纠纷台账，或清空该格")
        if reasons:
            out[index] = reasons
    return out


def _disputes(conn, numbers: set[str]) -> dict[str, tuple[str, str | None, str | None]]:
    """纠纷编号 -> (id, visit id, household id) of the living disputes of those numbers."""
    d = Dispute.__table__.c
    found: dict[str, tuple[str, str | None, str | None]] = {}
    for group in chunks(numbers):
        for row in conn.execute(select(d.id, d.number, d.visit_id, d.household_id)
                                .where(d.number.in_(group), d.deleted.is_(False)).order_by(d.created_at)):
            found.setdefault(row.number, (row.id, row.visit_id, row.household_id))
    return found


def _stored_visits(conn, household_ids: Sequence[str], officers: Officers) -> dict[tuple, tuple[str, str]]:
    """(household id, local day, officer id) -> (visit id, label) of the living visits to those households."""
    v = Visit.__table__.c
    stored: dict[tuple, tuple[str, str]] = {}
    for group in chunks(set(household_ids)):
        for row in conn.execute(select(v.id, v.household_id, v.visited_at, v.officer_id)
                                .where(v.household_id.in_(group), v.deleted.is_(False)).order_by(v.visited_at)):
            key = (row.household_id, local_day(row.visited_at), row.officer_id)
            who = officers.names.get(row.officer_id or "", "")
            stored.setdefault(key, (row.id, f"{row.visited_at.astimezone():%Y-%m-%d %H:%M} {who}的走访".strip()))
    return stored


def match(conn, drafts: Sequence[Draft]) -> dict[int, tuple[str, str]]:
    """The living visit to the same household on the same day by the same officer."""
    households = homes._stored_households(conn, {d.address_key for d in drafts})
    if not households:
        return {}
    officers = Officers(conn)
    stored = _stored_visits(conn, [hid for hid, _label in households.values()], officers)
    found: dict[int, tuple[str, str]] = {}
    for index, draft in enumerate(drafts):
        if draft.address_key not in households:
            continue
        household_id, where = households[draft.address_key]
        officer_id = officers.find(draft.officer, role="走访民警")[0]
        if (visit := stored.get((household_id, draft.day, officer_id))) is not None:
            found[index] = (visit[0], f"{where}：{visit[1]}")
    return found


def write(writer, planned: Sequence[Planned]) -> None:
    """The households (found, or made by the households kind with the people met), then each visit as
    the visit form saves it, its people met noted, its dispute linked, its campaign found or made."""
    conn = writer.conn
    officers = Officers(conn)
    whole = _FileWide(planned)
    household_ids, residents = _households(writer, whole)
    campaigns = _Campaigns(writer, whole.campaign_starts)
    disputes = _disputes(conn, whole.dispute_numbers)
    noted = _noted(conn, whole.updated)
    for item in planned:
        draft, v = item.draft, item.draft.visit
        officer_id, reason = officers.find(draft.officer, role="走访民警")
        if reason:
            raise UserError(reason)  # checking refuses these rows first; a bypass must not guess
        household_id = household_ids[draft.address_key]
        campaign_id = campaigns.get(draft.campaign, household_id, officer_id) if draft.campaign else None
        columns = {"household_id": household_id, "visited_at": v.visited_at.astimezone(UTC), "officer_id": officer_id,
                   "companions": v.companions.strip(),
                   "purposes": ",".join(p for p in VISIT_PURPOSES if p in v.purposes),  # as record_visit orders them
                   **{name: getattr(v, name).strip() or None for name in _TEXTS}, "campaign_id": campaign_id}
        if item.action == "update" and item.match_id:
            visit_id = item.match_id
            writer.update(Visit, visit_id, {column: columns[column] for key, column in _UPDATED.items()
                                            if key in draft.given})
        else:
            visit_id = writer.add(Visit, columns)
        for person in draft.people:
            resident_id = residents[(household_id, person.resident.name)]
            if (visit_id, resident_id) not in noted:
                writer.add(VisitResident, {"visit_id": visit_id, "resident_id": resident_id, "met": True})
                noted.add((visit_id, resident_id))
        if draft.dispute_number and (dispute := disputes.get(draft.dispute_number)) and dispute[1] is None:
            writer.update(Dispute, dispute[0], {"visit_id": visit_id, "household_id": dispute[2] or household_id})
            disputes[draft.dispute_number] = (dispute[0], visit_id, dispute[2] or household_id)


# row field -> Visit column an update changes when the row fills it in
_UPDATED = {"visited_on": "visited_at", "time": "visited_at", "officer": "officer_id", "companions": "companions",
            "purposes": "purposes", **{name: name for name in _TEXTS}, "campaign": "campaign_id"}


class _FileWide:
    """What the write needs of the whole file, gathered in one pass (the rows stream from the check's
    spill each time they are read): the households kind's rows, the names met, the campaigns' first
    days, the dispute numbers, the visits an update changes."""

    def __init__(self, planned: Sequence[Planned]) -> None:
        self.households: list[Planned] = []
        self.people: dict[tuple, Planned] = {}  # (address key, name) -> the households row naming him there
        self.campaign_starts: dict[str, date] = {}
        self.dispute_numbers: set[str] = set()
        self.updated: list[str] = []
        for item in planned:
            draft = item.draft
            self.households.append(Planned(item.index, draft.household, "add"))
            for person in draft.people:
                self.people.setdefault((draft.address_key, person.resident.name), Planned(item.index, person, "add"))
            if name := draft.campaign:
                self.campaign_starts[name] = min(self.campaign_starts.get(name, draft.day), draft.day)
            if draft.dispute_number:
                self.dispute_numbers.add(draft.dispute_number)
            if item.action == "update" and item.match_id:
                self.updated.append(item.match_id)


def _households(writer, whole: _FileWide) -> tuple[dict[tuple, str], dict[tuple[str, str], str]]:
    """Address key -> household id, and (household id, name) -> resident id for every person met: the
    households kind's ``write`` makes what is missing (a stored household is only found, never changed)."""
    conn = writer.conn
    keys = {item.draft.address_key for item in whole.households}
    stored = homes._stored_households(conn, keys)
    named = _residents(conn, [hid for hid, _label in stored.values()])
    missing = [item for (key, name), item in whole.people.items()
               if (stored.get(key, (None,))[0], name) not in named]
    if missing or len(stored) < len(keys):
        homes.write(writer, [*whole.households, *missing])
        writer.flush()  # what it queued is read back below
        stored = homes._stored_households(conn, keys)
        named = _residents(conn, [hid for hid, _label in stored.values()])
    return {key: hid for key, (hid, _label) in stored.items()}, named


def _residents(conn, household_ids: list[str]) -> dict[tuple[str, str], str]:
    """(household id, name) -> the living resident of that name there (the oldest)."""
    r = Resident.__table__.c
    found: dict[tuple[str, str], str] = {}
    for group in chunks(household_ids):
        for row in conn.execute(select(r.id, r.household_id, r.name).where(r.household_id.in_(group),
                                                                         r.deleted.is_(False))
                                .order_by(r.created_at, r.id)):
            found.setdefault((row.household_id, row.name), row.id)
    return found


def _noted(conn, visit_ids: list[str]) -> set[tuple[str, str]]:
    """(visit id, resident id) already noted on the visits an update changes."""
    vr = VisitResident.__table__.c
    found: set[tuple[str, str]] = set()
    for group in chunks(visit_ids):
        found |= {(row.visit_id, row.resident_id) for row in conn.execute(
            select(vr.visit_id, vr.resident_id).where(vr.visit_id.in_(group), vr.deleted.is_(False)))}
    return found


class _Campaigns:
    """Living campaigns by name (the oldest of a name), made once when missing: starting on the first
    day the file visits for it, with no end; each visited household put in it (as a campaign lists
    the households it visits), assigned to the officer who visited it."""

    def __init__(self, writer, starts: dict[str, date]) -> None:
        self.writer, self.starts = writer, starts
        c, ch = Campaign.__table__.c, CampaignHousehold.__table__.c
        self.ids: dict[str, str] = {}
        for row in writer.conn.execute(select(c.id, c.name).where(c.deleted.is_(False)).order_by(c.created_at)):
            self.ids.setdefault(row.name, row.id)
        self.members: set[tuple[str, str]] = set()
        for group in chunks(set(self.ids[name] for name in self.starts if name in self.ids)):
            self.members |= {(row.campaign_id, row.household_id) for row in writer.conn.execute(
                select(ch.campaign_id, ch.household_id).where(ch.campaign_id.in_(group), ch.deleted.is_(False)))}

    def get(self, name: str, household_id: str, officer_id: str | None) -> str:
        if name not in self.ids:
            starts = self.starts[name]
            self.ids[name] = self.writer.add(Campaign, {
                "name": name, "starts_on": starts, "ends_on": None, "notes": None, "closed": False,
                "criteria": {"grid_ids": [], "tags": [], "kinds": [], "not_visited_days": None,
                             "chosen_on": starts.isoformat()}})
        campaign_id = self.ids[name]
        if (campaign_id, household_id) not in self.members:
            self.writer.add(CampaignHousehold, {"campaign_id": campaign_id, "household_id": household_id,
                                                "officer_id": officer_id})
            self.members.add((campaign_id, household_id))
        return campaign_id

