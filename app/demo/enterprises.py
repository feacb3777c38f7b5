"""The demo's 一企一警: enterprises with their 包企民警 (every change dated), the liaison log and
requests, inspections on the checklist of their day with the flow each failed one went through
(notice, re-check, passed or handed to enforcement), and hire checks, purged past their keep-until day.

The first six enterprises are the station's landmarks (a chemical warehouse 涉危化, a blasting
company 涉爆, a factory, a logistics park, two shops), each with a story that puts every state of
the flow in even the small demo; the rest are drawn at random."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count

from sqlalchemy import select

from app.core.validation import uscc_check_char
from app.core.vocab import HAZARDOUS_CATEGORIES
from app.demo import data as data
from app.demo import enterprise_data as ed
from app.demo.enterprise_flow import Inspector
from app.demo.state import HISTORY_DAYS, Demo
from app.enterprises.common import derived_id
from app.enterprises.hire_checks import KEEP_DAYS, hash_id, masked
from db.models import Enterprise, EnterpriseRequest, HireCheck, LiaisonAssignment, LiaisonVisit, Officer

ORG_CHARS = data.ORG_CODE_CHARS
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@dataclass
class Firm:
    id: str
    name: str
    category: str
    trade: ed.Trade
    rep: dict  # 法定代表人
    head: dict  # 保卫负责人
    liaisons: list[tuple[date, str, str]] = field(default_factory=list)  # (from, officer id, name), oldest first

    def liaison_on(self, day: date) -> tuple[str, str]:
        """The 包企民警 of that day (id, name)."""
        current = self.liaisons[0]
        for change in self.liaisons:
            if change[0] <= day:
                current = change
        return current[1], current[2]

    def met(self, rng) -> str:
        people = [f"{self.head['name']}（保卫负责人）", f"{self.rep['name']}（法定代表人）"]
        return "、".join(people[:rng.randint(1, 2)])


@dataclass(frozen=True)
class Landmark:
    category: str
    trade: str
    word: str  # of its name
    inspections: tuple[tuple[int, tuple[str, ...], int, str], ...]  # (days ago, failed items, days to put right, flow)
    requests: tuple[tuple[int, int, bool], ...] = ()  # (raised days ago, days to answer, answered)
    hires: tuple[tuple[int, str | None, bool], ...] = ()  # scripted hire checks (app.demo.enterprises._hire_checks)


# Every state of the flow (app.demo.enterprise_flow.FLOWS), an open and an overdue request, whatever the seed.
LANDMARKS = (
    Landmark("chemicals", "化工仓储", "恒信", ((25, ("双人保管", "录像保存不少于90天"), 15, "open"),),
             ((5, 15, False),)),
    Landmark("explosives", "爆破工程", "安泰",
             ((12, (), 0, ""), (100, ("双锁管理", "出入库检查、登记制度落实"), 15, "enforcement"))),
    Landmark("key", "精密机械制造", "鼎盛",
             ((20, ("巡查制度落实，巡查记录完整", "消防器材配置齐全并在有效期内"), 15, "reported"),
              (75, ("录像保存不少于90天",), 30, "passed")),
             hires=((420, "clear", False), (20, "flagged", False), (9, "referred", False))),
    Landmark("security_key", "物流园管理", "汇通", ((2, ("视频监控覆盖出入口、周界和重要部位",), 30, "notice_due"),),
             ((40, 15, False), (90, 30, True)), hires=((2, None, True), (1, None, False))),
    Landmark("general", "超市", "佳禾",
             ((5, ("疏散通道、安全出口畅通",), 30, "open"),
              (9, ("用火用电安全，无私拉乱接", "应急照明、疏散指示标志完好"), 30, "partly"))),
    Landmark("general", "便利店", "优品", ((200, (), 0, ""),)),
)

NEW_LIAISON = (0, 2, 3)  # landmarks whose 包企民警 changed, whatever the seed (the others: by chance)


def enterprises(demo: Demo) -> None:
    rng, total = demo.rng, demo.s.enterprises
    demo.w.flush()  # the officers are in the database: the admin signs the notices
    with_names = {oid: name for officers in demo.comm_officers for oid, name in officers}
    admin = demo.w.conn.execute(select(Officer.__table__.c.name).where(Officer.__table__.c.role == "admin")).scalar()
    inspector = Inspector(demo, list(with_names.items()), issuer=admin or "所长")
    codes: set[str] = set()
    names: set[str] = set()
    applicants: list[tuple[dict, bool]] = []  # (person asked about, purged since): some apply again
    for n in range(total):
        mark = LANDMARKS[n] if n < len(LANDMARKS) else None
        category = mark.category if mark else ed.CATEGORIES.pick(rng)
        trades = ed.TRADES[category]
        trade = next(t for t in trades if t.name == mark.trade) if mark else rng.choice(trades)
        firm = _firm(demo, category, trade, mark and mark.word, codes, names, with_names, changed=n in NEW_LIAISON)
        _liaison_log(demo, firm, mark.requests if mark else None)
        for days_ago, failed, days, flow in mark.inspections if mark else ():
            inspector.inspect(firm, demo.today - timedelta(days=days_ago), failed=failed, days=days, flow=flow or None)
        if mark is None or category != "general":  # a landmark's other inspections: as any firm's
            _inspect_at_random(demo, inspector, firm, skip=[d for d, *_ in mark.inspections] if mark else [])
        _hire_checks(demo, firm, applicants, mark.hires if mark else ())
        if n % 250 == 0:
            demo.progress("一企一警", n, total)
    inspector.number_and_write()
    demo.progress("一企一警", total, total)


def _firm(demo: Demo, category: str, trade: ed.Trade, word: str | None, codes: set[str], names: set[str],
          officers: dict[str, str], *, changed: bool) -> Firm:
    rng, people = demo.rng, demo.people
    code = _credit_code(demo, codes)
    name = f"杭州{word or rng.choice(data.ENTERPRISE_WORDS)}{trade.name}有限公司"
    # Taken: a two-word name; past a few thousand firms those run short too (fewer than 14,000),
    # so then a branch office (分公司) on one of the roads, and in the end a numbered one.
    for attempt in count():
        if name not in names:
            break
        name = f"杭州{demo.pick(data.ENTERPRISE_WORDS)}{demo.pick(data.ENTERPRISE_WORDS)}{trade.name}有限公司"
        if attempt >= 3:
            name += f"{demo.pick(data.ROADS)}分公司" if attempt < 20 else f"第{attempt}分公司"
    names.add(name)
    c = rng.randrange(len(demo.communities))
    rep, head = people.person(rng.randint(32, 62)), people.person(rng.randint(30, 58))
    current = rng.choice(demo.comm_officers[c] or [next(iter(officers.items()))])
    registered = demo.today - timedelta(days=rng.randint(800, 2500))
    firm = Firm(derived_id("enterprise", code), name, category, trade, rep, head,
                [(registered, current[0], current[1])])
    others = [o for o in officers.items() if o[0] != current[0]]
    if others and (changed or demo.chance(0.3)):  # the officer before, until a change of posts
        before = rng.choice(others)
        firm.liaisons = [(registered, before[0], before[1]), (demo.day_ago(60, 450), current[0], current[1])]
    for k, (day, officer_id, _name) in enumerate(firm.liaisons):
        demo.w.add(LiaisonAssignment, {"enterprise_id": firm.id, "officer_id": officer_id, "assigned_on": day,
                                       "notes": "民警岗位调整，工作已交接" if k else "登记时确定"})
    staff, guards = rng.randint(*trade.staff), rng.randint(*trade.guards)
    demo.w.add(Enterprise, {
        "id": firm.id, "credit_code": code, "category": category, "name": name,
        "address": f"杭州市西湖区{rng.choice(data.ROADS)}{rng.randint(1, 999)}号", "industry": trade.industry,
        "legal_rep": rep["name"], "phone": rep["phone"] if demo.chance(0.6) else f"0571-8{rng.randrange(10**7):07d}",
        "security_head": head["name"], "security_phone": head["phone"], "employees": staff, "guards": guards,
        "community_id": demo.communities[c][0], "liaison_officer_id": current[0], "tags": ",".join(trade.tags),
        "notes": rng.choice(("", "", "厂区夜间有人值守。", "节假日停工期间需加强巡查。")) or None})
    return firm


def _credit_code(demo: Demo, taken: set[str]) -> str:
    """A 统一社会信用代码 of an enterprise (91) registered in Hangzhou, its organisation code checked
    as GB 11714 checks it and the whole as GB 32100 does."""
    rng = demo.rng
    while True:
        body = "MA2" + "".join(rng.choices(ORG_CHARS, k=5)) if demo.chance(0.7) else f"{rng.randrange(10**8):08d}"
        total = sum((int(ch) if ch.isdigit() else ord(ch) - 55) * w for ch, w in zip(body, _ORG_WEIGHTS))
        check = 11 - total % 11
        first17 = f"91{rng.choice(list(data.LOCAL_AREAS))}{body}{'X' if check == 10 else check % 11}"
        if first17 not in taken:
            taken.add(first17)
            return first17 + uscc_check_char(first17)


def _liaison_log(demo: Demo, firm: Firm, requests) -> None:
    """Contacts of every kind over two years; a request heard at some (the landmarks' as scripted)."""
    rng, today = demo.rng, demo.today
    busy = firm.category != "general"
    for _ in range(rng.randint(6, 14) if busy else rng.randint(1, 4)):
        kind = ed.LIAISON_KINDS.pick(rng)
        day = demo.day_ago(1, HISTORY_DAYS)
        visit_id = _visit(demo, firm, day, kind, rng.choice(ed.LIAISON_TEXTS[kind]))
        if requests is None and kind == "opinions" and demo.chance(0.6):
            due = day + timedelta(days=rng.choice((7, 15, 30)))
            answered = due < today - timedelta(days=10) or demo.chance(0.5)
            _request(demo, firm, day, due, answered, visit_id)
    for raised_ago, due_after, answered in requests or ():
        day = today - timedelta(days=raised_ago)
        visit_id = _visit(demo, firm, day, "opinions", ed.LIAISON_TEXTS["opinions"][0])
        _request(demo, firm, day, day + timedelta(days=due_after), answered, visit_id)


def _visit(demo: Demo, firm: Firm, day: date, kind: str, text: str) -> str:
    return demo.w.add(LiaisonVisit, {"enterprise_id": firm.id, "visited_on": day, "kind": kind,
                                     "officer_id": firm.liaison_on(day)[0], "contact": firm.met(demo.rng),
                                     "notes": text})


def _request(demo: Demo, firm: Firm, day: date, due: date, answered: bool, visit_id: str) -> None:
    rng = demo.rng
    content, answer = rng.choice(ed.REQUESTS)
    answered_on = day + timedelta(days=rng.randint(1, max(1, (due - day).days))) if answered else None
    if answered_on is not None and answered_on > demo.today:
        answered_on = None
    demo.w.add(EnterpriseRequest, {
        "enterprise_id": firm.id, "raised_on": day, "content": content, "due_on": due,
        "officer_id": firm.liaison_on(day)[0], "liaison_visit_id": visit_id, "answered_on": answered_on,
        "answer": answer if answered_on else None})


def _inspect_at_random(demo: Demo, inspector: Inspector, firm: Firm, skip: list[int] = ()) -> None:
    """涉爆 and 涉危化 firms about quarterly, key units twice a year (a period with a scripted
    inspection has no other), the others now and then."""
    rng = demo.rng
    if firm.category == "general":
        days = [rng.randint(15, HISTORY_DAYS) for _ in range(rng.randint(0, 2))]
    else:
        span = 91 if firm.category in HAZARDOUS_CATEGORIES else 182
        days = [q * span + rng.randint(3, span - 6) for q in range(HISTORY_DAYS // span)
                if not any(q * span <= d < (q + 1) * span for d in skip)]
    for days_ago in days:
        failing = rng.choice((1, 1, 1, 2, 2, 3)) if demo.chance(0.3) else 0
        inspector.inspect(firm, demo.today - timedelta(days=days_ago), failed=failing,
                          days=rng.choice((15, 15, 30)))


def _hire_checks(demo: Demo, firm: Firm, applicants: list[tuple[dict, bool]], scripted=()) -> None:
    """Requests over two years, most answered within days, a few about someone checked before for
    another firm; those past their keep-until day purged. ``scripted``: (days ago, result or None
    for not answered yet, about someone whose earlier check was purged) besides."""
    rng, people, today = demo.rng, demo.people, demo.today
    many = firm.category != "general" or firm.trade.staff[1] >= 100
    plans = [(rng.randint(0, HISTORY_DAYS - 1), "", False) for _ in range(
        rng.randint(1, 5) if many else rng.choice((0, 0, 1, 2)))]
    for days_ago, result, again in [*plans, *scripted]:
        requested = today - timedelta(days=days_ago)
        # The first purged applicant, looked for only when asked: a list of every purged one made
        # for each check grew with the station (quadratic: it stalled the city build).
        purged_before = next((person for person, purged in applicants if purged), None) if again else None
        if purged_before is not None:
            person = purged_before
        elif applicants and demo.chance(0.05):
            person = rng.choice(applicants)[0]
        else:
            person = people.person(rng.randint(18, 52), area=people.area(migrant=demo.chance(0.7)))
        answered = requested + timedelta(days=rng.randint(1, 5))
        if result is None or answered > today or (not result and days_ago < 7 and demo.chance(0.5)):
            answered = None
        result = (result or ed.HIRE_RESULTS.pick(rng)) if answered else None
        job = rng.choice(firm.trade.jobs)
        keep_until = requested + timedelta(days=KEEP_DAYS)
        row = {"enterprise_id": firm.id, "name": person["name"], "id_number": person["id_number"],
               "phone": person["phone"], "job": job, "requested_on": requested,
               "basis": ed.BASIS.get(job, ed.CONSENT), "checked_on": answered, "result": result,
               "officer_id": firm.liaison_on(answered)[0] if answered else None, "keep_until": keep_until,
               "notes": {"flagged": ed.HIRE_FLAG_NOTES[days_ago % 2], "referred": "已移交相关部门处理。"}.get(result)}
        if keep_until < today:  # what the start-up purge has done: the last four and a salted hash kept
            salt = rng.getrandbits(128).to_bytes(16, "big")
            row.update(id_number=masked(person["id_number"]), phone=None)
            demo.w.later(row, "id_hash", hash_id, person["id_number"], salt)  # PBKDF2: the other core
        applicants.append((person, keep_until < today))
        demo.w.add(HireCheck, row)
