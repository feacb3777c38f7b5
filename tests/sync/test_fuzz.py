"""Fuzzing the importer: well-sealed files (right passphrase, right format) whose rows carry random
invalid values in random fields of random tables. Every one is refused in one line, as a UserError,
and leaves the database exactly as it was; no other exception escapes."""

from __future__ import annotations

import hashlib
import os
import reprlib
from datetime import date

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.core.errors import UserError
from app.demo.build import build_demo
from app.disputes.status import transition
from app.households.campaigns import Criteria, create_campaign
from app.sync.container import SyncError
from app.sync.export import _read
from app.sync.importer import import_file
from app.sync.rows import TEXT_CAP
from app.sync.rules import VOCABULARIES
from app.sync.tables import SPECS, STAMP_RX
from db.models import SYNCED_MODELS, Dispute, Household, Resident, Visit, VisitResident
from tests.support.sync import PASSPHRASE, make_device, write_file

EXAMPLES = int(os.environ.get("CPDESK_FUZZ_EXAMPLES", "200"))  # more for a deeper search
MODELS = {model.__tablename__: model for model in SYNCED_MODELS}
WIRE_NULLABLE = {"updated_at", "clocks"}  # null on the wire means "as created" (app.sync.tables.to_file)
# Columns whose format the forms check (ID numbers GB 11643, phones).
ID_NUMBERS = {("resident", "id_number"), ("dispute_party", "id_number")}
PHONES = {("resident", "phone"), ("household", "phone"), ("dispute_party", "phone")}


def sample(rows: dict[str, list[list]], per_table: int = 2) -> dict[str, list[list]]:
    """The first rows of every table plus every row they refer to: a small file that imports as it is."""
    keep = {name: {row[0] for row in table[:per_table]} for name, table in rows.items()}
    by_id = {name: {row[0]: row for row in table} for name, table in rows.items()}
    changed = True
    while changed:
        changed = False
        for name in rows:
            for i, parent in SPECS[name].fks:
                for row_id in list(keep[name]):
                    ref = by_id[name][row_id][i]
                    if ref is not None and ref not in keep[parent]:
                        keep[parent].add(ref)
                        changed = True
    return {name: [row for row in table if row[0] in keep[name]] for name, table in rows.items() if keep[name]}


def digest(db) -> str:
    """Every table of the database file, local ones included."""
    h = hashlib.sha256()
    with db.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for name in names:
            h.update(name.encode())
            for row in sorted(map(repr, conn.exec_driver_sql(f'SELECT * FROM "{name}"'))):
                h.update(row.encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def world(tmp_path_factory, _template_db):
    """A valid sample of every kind of row, and an empty laptop to throw spoilt copies of it at."""
    folder = tmp_path_factory.mktemp("fuzz")
    source = make_device(_template_db, folder, "S01")
    build_demo(source, scale="small", seed=1)
    with source.session() as s:  # what the demo does not make: ORM writes (audit entries, field clocks)
        household = s.exec(select(Household)).first()
        household.notes = "门口有监控"
        visit = s.exec(select(Visit)).first()
        resident = s.exec(select(Resident).where(Resident.household_id == visit.household_id)).first()
        if resident is not None:
            s.add(VisitResident(visit_id=visit.id, resident_id=resident.id, met=True))
        s.commit()
        pending = s.exec(select(Dispute).where(Dispute.status == "pending")).first().id
    transition(source, dispute_id=pending, to="mediating", reason="双方同意调解")
    create_campaign(source, name="全面走访", starts_on=date.today(), criteria=Criteria())
    rows = sample(_read(source, full=True, progress=lambda *_: None).rows)
    source.close()
    clean = make_device(_template_db, folder, "C03")
    write_file(folder / "clean.cpsync", rows, export_id="c" * 32)
    import_file(clean, path=folder / "clean.cpsync", passphrase=PASSPHRASE)  # the unspoilt sample is fine
    clean.close()
    target = make_device(_template_db, folder, "T02")
    yield rows, target, folder, digest(target)
    target.close()


# --- invalid values, by what the model says a column is ---------------------------------------

def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


_text = st.text(max_size=6)
_deep = st.integers(20, 900).map(_nested)  # deep enough to overflow a recursive walk, not the JSON writer
_not_text = st.one_of(st.integers(), st.booleans(), st.floats(), st.lists(st.integers(), max_size=2),
                      st.dictionaries(_text, st.integers(), max_size=2), _deep)
_not_int = st.one_of(_text, st.booleans(), st.floats(), st.lists(st.integers(), max_size=2),
                     st.dictionaries(_text, st.integers(), max_size=2), _deep)
_nul = st.tuples(_text, _text).map(lambda p: p[0] + "\x00" + p[1])
_surrogate = st.tuples(_text, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)).map("".join)
_letters = _text.map(lambda s: "x" + s)  # a letter: never a date, a time or a number
_DATES = ["2026-02-30", "2026-13-01", "0000-01-01", "1899-12-31", "2200-01-01", "2026-1-1", "", "２０２６-01-01"]
_DATETIMES = ["2026-02-30 00:00:00", "2026-01-01T00:00:00", "0000-01-01 00:00:00", "2026-01-01 24:00:00",
              "2026-01-01 00:00:00+08:00", "9999-12-31 23:59:59", "2026-01-01 00:00:00.1234567"]
_TIMES = ["24:00:00", "10:61:00", "10:00", "10:00:00+08:00"]


def invalid_values(table: str, column: str):
    spec, model = SPECS[table], MODELS[table]
    i = spec.index[column]
    kind, limit = spec.kinds[i], getattr(model.__table__.columns[column].type, "length", None)
    choices = []
    if not spec.nullable[i] and column not in WIRE_NULLABLE:
        choices.append(st.none())
    if column == "clocks":
        return st.one_of(st.lists(_text, max_size=2), st.integers(), _text, st.just({}),
                         st.just({"*": "bad"}), st.just({"*": ["0" * 12 + "-0000-" + "a" * 12, None], "nope": []}))
    if column == "hlc":
        return st.one_of(_not_text, _text.filter(lambda s: not STAMP_RX.fullmatch(s)))
    if kind in ("text", "date", "datetime", "time"):
        choices += [_not_text, _nul, _surrogate]
    if kind == "text":
        too_long = (limit or TEXT_CAP) + 1
        choices.append(st.just("字" * too_long) if limit is None else st.text(
            alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            min_size=too_long, max_size=too_long + 4))
        if column == "id":
            choices.append(st.sampled_from(["", "x" * 33]))
        elif any(i == fk for fk, _parent in spec.fks):
            choices.append(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32))  # nowhere
        if (table, column) in VOCABULARIES:
            choices.append(_text.map(lambda s: "✗" + s))
        if (table, column) in ID_NUMBERS:
            choices.append(st.sampled_from(["12345", "110105194912310021", "11010519491231002Y", "abc"]))
        if (table, column) in PHONES:
            choices.append(st.sampled_from(["abc", "123", "1380013800", "+8613800138000"]))
    elif kind == "date":
        choices += [st.sampled_from(_DATES), _letters]
    elif kind == "datetime":
        choices += [st.sampled_from(_DATETIMES), _letters]
    elif kind == "time":
        choices += [st.sampled_from(_TIMES), _letters]
    elif kind == "int":
        choices += [_not_int, st.integers(min_value=2**63), st.integers(max_value=-(2**63) - 1)]
        if (table, column) == ("dispute_party", "age"):
            choices.append(st.integers(121, 10_000))
    elif kind == "bool":
        choices += [_not_int.filter(lambda v: v not in (0, 1) or type(v) is not int),
                    st.integers().filter(lambda v: v not in (0, 1))]
    elif kind == "json":
        shape = model.model_fields[column].annotation
        choices += [st.one_of(st.integers(), _text, st.booleans(), st.floats(allow_nan=False),
                              st.lists(st.integers(), max_size=2) if shape is dict else st.just({"a": 1})),
                    st.just({"k": "\x00"} if shape is dict else ["\ud800"]),
                    _deep.map(lambda v: {"k": v} if shape is dict else v)]
    return st.one_of(*choices)


@st.composite
def spoilt(draw, rows: dict[str, list[list]]):
    """A copy of ``rows`` with one to three values (or a whole row) made invalid."""
    rows = {name: [list(row) for row in table] for name, table in rows.items()}
    whole: set[tuple[str, int]] = set()  # rows spoilt whole: a second change could undo the first
    for _ in range(draw(st.integers(1, 3))):
        table = draw(st.sampled_from(sorted(rows)))
        n = draw(st.integers(0, len(rows[table]) - 1))
        row = rows[table][n]
        if (table, n) in whole:
            continue
        if draw(st.integers(0, 19)) == 0:  # now and then the row itself is wrong
            whole.add((table, n))
            rows[table][n] = draw(st.sampled_from([row[:-1], row + [None], {"id": row[0]}, row[0], None]))
            note(f"{table} row {n}: {reprlib.repr(rows[table][n])}")
            continue
        column = draw(st.sampled_from(SPECS[table].columns))
        rows[table][n][SPECS[table].index[column]] = value = draw(invalid_values(table, column))
        note(f"{table} row {n} {column}: {reprlib.repr(value)}")
    return rows


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_file_with_an_invalid_row_is_refused_in_one_line_and_changes_nothing(world, data):
    rows, target, folder, before = world
    bad = data.draw(spoilt(rows))
    path = folder / "bad.cpsync"
    write_file(path, bad, escape=data.draw(st.booleans()))
    with pytest.raises(UserError) as caught:
        import_file(target, path=path, passphrase=PASSPHRASE)
    error = caught.value
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    assert isinstance(error, SyncError) and error.kind in ("invalid", "missing", "too_big"), message
    assert digest(target) == before
