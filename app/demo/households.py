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
    rng, people = demo.rng, demo.people
    kind = "shop" if floor == 1 and demo.chance(0.3) else data.HOUSEHOLD_KINDS.pick(rng)
    members, tags = [], []
    if kind != "vacant":
        ages, others, tag = data.FAMILIES[kind].pick(rng)
        members = people.family(rng.randint(*ages), others, migrant=kind == "rented" and demo.chance(0.8))
        tags += [tag] if tag else []
    if kind == "rented":
        tags += ["出租屋"] + (["流动人口"] if members[0]["migrant"] else [])
    tags += [tag for tag, per_mille in data.EXTRA_TAGS.items() if rng.randrange(1000) < per_mille]
    # The head of a rented or empty flat is its owner, who lives elsewhere.
    head = members[0] if kind in ("owner", "shop") else {"name": people.name(), "phone": people.phone()}
    hid = demo.w.add(Household, {
        "community_id": demo.communities[c][0], "grid_id": grid_id, "estate": estate,
        "building": building, "unit": unit, "room": room, "kind": kind, "tags": ",".join(tags),
        "head_name": head["name"], "phone": head["phone"]})
    demo.homes.append((hid, c, f"{estate}{building}栋{unit}单元{room}室"))
    for m in members:
        row = {"household_id": hid, "name": m["name"], "id_number": m["id_number"],
               "gender": m["gender"], "birth_date": m["birth_date"], "ethnicity": m["ethnicity"],
               "phone": m["phone"], "relation": "租户" if kind == "rented" else m["relation"],
               "hukou_place": m["hukou"], "occupation": m["occupation"], "tags": ""}
        demo.w.add(Resident, row)
        if demo.chance(demo.sample_rate):
            demo.resident_sample.append((row, len(demo.homes) - 1))


def visits(demo: Demo) -> None:
    rng, total = demo.rng, demo.s.visits
    for n in range(1, total + 1):
        h = rng.randrange(len(demo.homes))
        hid, c, _address = demo.homes[h]
        chosen = {data.VISIT_PURPOSES.pick(rng) for _ in range(1 + demo.chance(0.35))}
        purposes = [p for p in VISIT_PURPOSES if p in chosen]
        hazard = rng.choice(data.VISIT_HAZARDS) if demo.chance(0.08) else None
        companions = [f"辅警{rng.choice(demo.comm_aux[c])}"] if demo.comm_aux[c] and demo.chance(0.6) else []
        companions += [f"网格员{rng.choice(demo.grid_workers[c])}"] if demo.chance(0.3) else []
        visited_at = demo.at(demo.day_ago(1, HISTORY_DAYS), demo.minute_in(data.VISIT_HOURS))
        vid = demo.w.add(Visit, {
            "household_id": hid, "visited_at": visited_at,
            "officer_id": rng.choice(demo.comm_officers[c])[0], "companions": "、".join(companions),
            "purposes": ",".join(purposes), "hazards": hazard,
            "findings": "".join(rng.choice(data.VISIT_FINDINGS[p]) for p in purposes),
            "requests": rng.choice(data.VISIT_REQUESTS) if demo.chance(0.06) else None,
            "follow_up": f"督促整改：{hazard}" if hazard and demo.chance(0.5) else None})
        if "矛盾纠纷排查" in chosen and len(demo.visit_sample) < demo.s.disputes:
            demo.visit_sample.append((vid, h, visited_at))
        if n % 5000 == 0:
            demo.progress("入户走访", n, total)
    demo.progress("入户走访", total, total)
