"""The demo's people and places: officers and communities, grids, households with their
residents, then the visits to them. Every later stage draws on what these make."""

from __future__ import annotations

from itertools import product

from app.core.vocab import VISIT_PURPOSES
from app.demo import data as data
from app.demo.state import HISTORY_DAYS, Demo
from db.models import Community, Grid, Household, Officer, Resident, Visit


def officers_and_communities(demo: Demo) -> None:
    rng, s = demo.rng, demo.s
    demo.w.officer_id = _officer(demo, "admin", "admin", None, None)[0]
    names = [f"{name}社区" for name in rng.sample(data.COMMUNITIES, s.communities)]
    demo.communities = [(demo.w.add(Community, {"name": name, "code": f"330106{i + 1:03d}000",
                                                "police_room": f"{name}警务室"}), name)
                        for i, name in enumerate(names)]
    demo.comm_officers = [[] for _ in demo.communities]
    demo.comm_aux = [[] for _ in demo.communities]
    for i, badge in enumerate(rng.sample(range(100_000, 1_000_000), s.officers)):
        demo.comm_officers[i % s.communities].append(_officer(demo, "officer", f"jy{badge}", str(badge), i))
    for i in range(1, s.auxiliaries + 1):
        _id, name = _officer(demo, "auxiliary", f"fj{i:03d}", f"FJ{i:04d}", i)
        demo.comm_aux[i % s.communities].append(name)
    demo.progress("民警与社区", 1, 1)


def _officer(demo: Demo, role: str, username: str, badge: str | None, n: int | None) -> tuple[str, str]:
    """An account; officer or auxiliary number n works in community n (mod the communities)."""
    p = demo.people.person(demo.rng.randint(24, 55))
    room = None if n is None else f"{demo.communities[n % len(demo.communities)][1]}警务室"
    oid = demo.w.add(Officer, {"username": username, "name": p["name"], "role": role, "badge_no": badge,
                               "phone": p["phone"], "police_room": room, "active": True})
    return oid, p["name"]


def households(demo: Demo) -> None:
    rng, total = demo.rng, demo.s.households
    shares = [rng.uniform(0.7, 1.3) for _ in demo.communities]
    targets = [int(total * x / sum(shares)) for x in shares]
    targets[-1] += total - sum(targets)
    estate_names = [p + s for p in data.ESTATE_PREFIXES for s in data.ESTATE_SUFFIXES]
    rng.shuffle(estate_names)
    demo.comm_estates = [[] for _ in demo.communities]
    demo.grid_workers = [[] for _ in demo.communities]
    for c, target in enumerate(targets):
        grid_size = max(50, min(400, target // 3))  # a grid worker looks after a few hundred homes
        for i, flat in enumerate(_flats(demo, estate_names, c, target)):
            if i % grid_size == 0:
                grid_id = _grid(demo, c, i // grid_size + 1)
            _household(demo, c, grid_id, *flat)
            if len(demo.homes) % 1000 == 0:
                demo.progress("住户与人员", len(demo.homes), total)
    demo.progress("住户与人员", total, total)


def _flats(demo: Demo, names: list[str], c: int, target: int):
    """(estate, building, unit, floor, room) for a community, estate by estate, until the target is met.

    An estate holds at most a third of the target, so even a small station has several."""
    made = 0
    while True:
        n = sum(map(len, demo.comm_estates))
        estate = names[n % len(names)] + (f"{n // len(names) + 1}期" if n >= len(names) else "")
        demo.comm_estates[c].append(estate)
        rng = demo.rng
        units, floors, per_floor = rng.randint(1, 4), rng.choice((6, 7, 11, 18, 26, 28)), rng.randint(2, 4)
        buildings = min(rng.randint(3, 30), -(-target // (3 * units * floors * per_floor)))
        for b, u, f, r in product(range(1, buildings + 1), range(1, units + 1), range(1, floors + 1),
                                  range(1, per_floor + 1)):
            yield estate, str(b), str(u), f, f"{f}{r:02d}"
            made += 1
            if made == target:
                return


def _grid(demo: Demo, c: int, n: int) -> str:
    worker = demo.people.name()
    demo.grid_workers[c].append(worker)
    return demo.w.add(Grid, {"community_id": demo.communities[c][0],
                             "name": f"{demo.communities[c][1]}第{n}网格",
                             "grid_worker": worker, "grid_worker_phone": demo.people.phone()})


def _household(demo: Demo, c: int, grid_id: str, estate: str, building: str, unit: str, floor: int,
               room: str) -> None:
    rng, people, r = demo.rng, demo.people, demo.rng.random
    kind = "shop" if floor == 1 and r() < 0.3 else data.HOUSEHOLD_KINDS.pick(rng)
    members, tags = [], []
    if kind != "vacant":
        (lo, hi), others, tag = data.FAMILIES[kind].pick(rng)
        members = people.family(lo + int(r() * (hi - lo + 1)), others, migrant=kind == "rented" and r() < 0.8)
        if tag:
            tags.append(tag)
    if kind == "rented":
        tags += ["出租屋", "流动人口"] if members[0]["migrant"] else ["出租屋"]
    tags += [tag for tag, per_mille in data.EXTRA_TAGS.items() if r() * 1000 < per_mille]
    # The head of a rented or empty flat is its owner, who lives elsewhere.
    head = members[0] if kind in ("owner", "shop") else {"name": people.name(), "phone": people.phone()}
    hid = demo.w.add(Household, {
        "community_id": demo.communities[c][0], "grid_id": grid_id, "estate": estate,
        "building": building, "unit": unit, "room": room, "kind": kind, "tags": ",".join(tags),
        "head_name": head["name"], "phone": head["phone"]})
    demo.homes.append((hid, c, f"{estate}{building}栋{unit}单元{room}室"))
    home, add, rate = len(demo.homes) - 1, demo.w.add, demo.sample_rate
    for m in members:
        row = {"household_id": hid, "name": m["name"], "id_number": m["id_number"],
               "gender": m["gender"], "birth_date": m["birth_date"], "ethnicity": m["ethnicity"],
               "phone": m["phone"], "relation": "租户" if kind == "rented" else m["relation"],
               "hukou_place": m["hukou"], "occupation": m["occupation"], "tags": ""}
        add(Resident, row)
        if r() < rate:
            demo.resident_sample.append((row, home))


def visits(demo: Demo) -> None:
    rng, total, r, pick = demo.rng, demo.s.visits, demo.rng.random, demo.pick
    homes, add, comm_aux, grid_workers, comm_officers = demo.homes, demo.w.add, demo.comm_aux, demo.grid_workers, \
        demo.comm_officers
    purpose_pick, findings_of = data.VISIT_PURPOSES.pick, data.VISIT_FINDINGS
    for n in range(1, total + 1):
        h = int(r() * len(homes))
        hid, c, _address = homes[h]
        chosen = {purpose_pick(rng)}
        if r() < 0.35:
            chosen.add(purpose_pick(rng))
        purposes = [p for p in VISIT_PURPOSES if p in chosen] if len(chosen) > 1 else list(chosen)
        hazard = pick(data.VISIT_HAZARDS) if r() < 0.08 else None
        companions = [f"辅警{pick(comm_aux[c])}"] if comm_aux[c] and r() < 0.6 else []
        if r() < 0.3:
            companions.append(f"网格员{pick(grid_workers[c])}")
        visited_at = demo.at(demo.day_ago(1, HISTORY_DAYS), demo.minute_in(data.VISIT_HOURS))
        vid = add(Visit, {
            "household_id": hid, "visited_at": visited_at,
            "officer_id": pick(comm_officers[c])[0], "companions": "、".join(companions),
            "purposes": ",".join(purposes), "hazards": hazard,
            "findings": "".join(pick(findings_of[p]) for p in purposes),
            "requests": pick(data.VISIT_REQUESTS) if r() < 0.06 else None,
            "follow_up": f"督促整改：{hazard}" if hazard and r() < 0.5 else None})
        if "矛盾纠纷排查" in chosen and len(demo.visit_sample) < demo.s.disputes:
            demo.visit_sample.append((vid, h, visited_at))
        if n % 5000 == 0:
            demo.progress("入户走访", n, total)
    demo.progress("入户走访", total, total)
