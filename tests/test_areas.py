"""The one registry of areas (app/areas.py) and the entry points every area provides.

Adding an area is its own package plus one entry in the registry: the CLI, ``cpdesk list`` and
the 工作台 take their commands, tables and worklists from it, and each area answers to the same
contract (``add_parsers``; ``write_ledger(db, *, start, end, path)``; documents as ``Rendered``).
"""

from __future__ import annotations

import importlib
import inspect
import typing
from pathlib import Path

import pytest

from app.areas import AREAS, STATION_CLI, cli_modules, list_tables, resolve
from app.output.pdf import Rendered

ROOT = Path(__file__).resolve().parent.parent
WITH_CLI = [area for area in AREAS if area.cli]


def _keyword_only(function) -> set[str]:
    return {p.name for p in inspect.signature(function).parameters.values() if p.kind is p.KEYWORD_ONLY}


def _subparsers(parser) -> dict:
    return parser._subparsers._group_actions[0].choices


@pytest.mark.parametrize("module", [*(area.cli for area in WITH_CLI), *STATION_CLI])
def test_every_cli_module_adds_its_parsers_one_way(module):
    add_parsers = importlib.import_module(module).add_parsers
    parameters = list(inspect.signature(add_parsers).parameters.values())
    assert [p.name for p in parameters] == ["commands", "reports", "ledgers"]
    assert [p.kind for p in parameters[1:]] == [inspect.Parameter.KEYWORD_ONLY] * 2


def test_the_cli_takes_its_modules_and_list_tables_from_the_registry():
    import app.cli.main
    from app.cli.listing import specs
    from app.cli.main import build_parser

    assert not hasattr(app.cli.main, "AREAS")  # no second list beside the registry
    commands = _subparsers(build_parser())
    parsers = [*commands.values(), *_subparsers(commands["report"]).values(), *_subparsers(commands["ledger"]).values()]
    handlers = {parser.get_default("handler").__module__ for parser in parsers if parser.get_default("handler")}
    assert handlers - {"app.cli.main", "app.cli.common"} == set(cli_modules())
    [table] = [a for a in commands["list"]._actions if a.dest == "table"]
    assert tuple(table.choices) == tuple(list_tables()) and set(specs()) == set(list_tables())


def test_every_report_renders_one_rendered_shape():
    from app.cli.common import cmd_report
    from app.cli.main import build_parser

    reports = _subparsers(_subparsers(build_parser())["report"])
    assert {"visit-sheet", "blank-visit-sheets", "agreement"} <= set(reports)
    for kind, parser in reports.items():
        assert parser.get_default("handler") is cmd_report, kind
        document = resolve(parser.get_default("document"))
        assert typing.get_type_hints(document)["return"] is Rendered, kind
        dests = {action.dest for action in parser._actions}
        required = {p.name for p in inspect.signature(document).parameters.values()
                    if p.kind is p.KEYWORD_ONLY and p.default is p.empty}
        assert required <= dests, kind  # the parser gives every argument the document needs


def test_every_ledger_is_written_by_its_areas_write_ledger():
    from app.cli.common import cmd_ledger
    from app.cli.main import build_parser

    ledgers = _subparsers(_subparsers(build_parser())["ledger"])
    assert {"visits", "disputes", "enterprises", "inspections", "rectifications"} <= set(ledgers)
    modules = {parser.get_default("ledger_module") for parser in ledgers.values()}
    assert all(parser.get_default("handler") is cmd_ledger for parser in ledgers.values())
    # every area's ledger modules (ledger.py, or *_ledger.py for an area with several), with a command or
    # not (the audit log's is exported from its view)
    found = {f"app.{path.parent.name}.{path.stem}" for path in (ROOT / "app").glob("*/*ledger.py")}
    assert modules <= found and "app.audit.ledger" in found
    for module in sorted(found):
        ledger = importlib.import_module(module)
        assert {"start", "end", "path"} <= _keyword_only(ledger.write_ledger), module
        assert typing.get_type_hints(ledger.write_ledger)["return"] is int and ledger.TITLE, module


@pytest.mark.parametrize("area", [area for area in AREAS if area.list_tables], ids=lambda area: area.key)
def test_every_listed_table_is_listed_by_its_own_area(area):
    specs = importlib.import_module(f"app.{area.key}.listing").SPECS
    assert set(specs) == set(area.list_tables)


@pytest.mark.parametrize("area", [area for area in AREAS if area.worklist], ids=lambda area: area.key)
def test_every_worklist_answers_the_agenda_the_same_way(area):
    worklist = resolve(area.worklist)
    assert worklist.__module__.startswith(f"app.{area.key}.")  # the area's own rule, in its own package
    assert _keyword_only(worklist) == {"on", "soon_days", "since", "limit"}


@pytest.mark.parametrize("area", [area for area in AREAS if area.upkeep], ids=lambda area: area.key)
def test_every_upkeep_is_the_areas_own_and_answers_one_way(area):
    upkeep = resolve(area.upkeep)
    assert upkeep.__module__.startswith(f"app.{area.key}.")
    assert _keyword_only(upkeep) == {"on"} and typing.get_type_hints(upkeep)["return"] is str


def test_the_agenda_gathers_the_registered_worklists(db, monkeypatch):
    from datetime import date

    from app.today import agenda

    seen = []
    names = [area.worklist.partition(":") for area in AREAS if area.worklist]
    for module, _, name in names:
        monkeypatch.setattr(importlib.import_module(module), name,
                            lambda db, *, on, soon_days, _name=name, **_page: seen.append((_name, soon_days)) or [])
    assert agenda(db, on=date(2026, 11, 23), soon_days=3) == []
    assert seen == [(name, 3) for _module, _, name in names]
    seen.clear()
    agenda(db, on=date(2026, 11, 23), excluding=("disputes",))
    assert [name for name, _days in seen] == [name for _module, _, name in names if name != "revisits_due"]


def test_the_soon_days_setting_defaults_to_the_worklists_one_value():
    from app.today import SOON_DAYS
    from ui.shell.settings import OPTIONS

    assert OPTIONS["worklist/soon_days"].default == SOON_DAYS


def test_areas_never_import_each_other_in_a_loop():
    """An area may use another's service (a visit registers a dispute) but never the other way too:
    rules both need live in app.core (an address, a search's terms, an age)."""
    import ast
    from graphlib import CycleError, TopologicalSorter

    keys = {area.key for area in AREAS if (ROOT / "app" / area.key).is_dir()}
    uses: dict[str, set[str]] = {key: set() for key in keys}
    for key in keys:
        for path in (ROOT / "app" / key).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                         else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
                uses[key] |= {name.split(".")[1] for name in names
                              if name.startswith("app.") and name.split(".")[1] in keys - {key}}
    try:
        tuple(TopologicalSorter(uses).static_order())
    except CycleError as loop:
        pytest.fail(f"areas import each other in a loop: {loop.args[1]}")
    assert "households" not in uses["disputes"]  # the loop this once was: a visit's dispute, the dispute's address
