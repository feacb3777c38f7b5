"""The one registry of the program's areas: each area's tab, commands, listings and worklist.

``app/cli``, the listing, the 工作台 and ``ui/shell/main_window`` read this list; adding an area is
its own package plus one entry here (docs/ARCHITECTURE.md). The UI parts are named, not imported
(``"module:Class"``): ``app/`` never imports ``ui/``.

What an area's package provides (tests/test_areas.py holds every area to it):
  cli        ``add_parsers(commands, *, reports, ledgers)``; documents through
             ``app.cli.common.add_report`` (a function returning ``app.output.pdf.Rendered``),
             ledgers through ``add_ledger`` (``<area>/ledger.py``: ``write_ledger(db, *, start, end, path) -> int``)
  listing    ``app.<key>.listing.SPECS``: one entry per name in ``list_tables``
  worklist   ``fn(db, *, on, soon_days, since, limit) -> list[app.today.AgendaItem]`` (a page: app.today.agenda)
  tally      ``fn(db, *, on, soon_days) -> app.today.Tally``: its whole worklist counted without listing it,
             for an area whose worklist runs long (else app.today.tally counts the worklist's items)
  upkeep     ``fn(db, *, on) -> str``: housekeeping after the station's check (the window's background
             check, ``cpdesk check``), saying what it did ("" for nothing)
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Area:
    key: str  # the area's package under app/ (and ui/)
    title: str  # its tab's title
    tab: str | None = None  # "ui.<area>.tab:Class"; None while the area is not built (a placeholder tab)
    cli: str | None = None  # module with add_parsers(commands, *, reports, ledgers)
    list_tables: dict[str, str] = field(default_factory=dict)  # ``cpdesk list`` name -> table
    worklist: str | None = None  # "module:function"(db, *, on, soon_days, since, limit) -> list[app.today.AgendaItem]
    tally: str | None = None  # "module:function"(db, *, on, soon_days) -> app.today.Tally of the whole worklist
    opens: tuple[str, ...] = ()  # tables whose records this area's tab shows (a worklist row's double-click)
    upkeep: str | None = None  # "module:function"(db, *, on) -> str, run after the start-up check


AREAS: tuple[Area, ...] = (
    Area("today", "工作台", tab="ui.today.tab:TodayTab"),
    Area("households", "入户走访", tab="ui.households.tab:HouseholdsTab", cli="app.households.cli",
         list_tables={"households": "household", "residents": "resident", "visits": "visit"},
         opens=("household",)),
    Area("disputes", "矛盾纠纷", tab="ui.disputes.tab:DisputesTab", cli="app.disputes.cli",
         list_tables={"disputes": "dispute", "agreements": "agreement", "revisits": "revisit"},
         worklist="app.disputes.revisits:revisits_due", tally="app.disputes.revisits:revisit_tally",
         opens=("dispute",)),
    Area("patrol", "义警巡逻", tab="ui.patrol.tab:PatrolTab", cli="app.patrol.cli",
         list_tables={"teams": "volunteer_team", "volunteers": "volunteer", "routes": "patrol_route",
                      "shifts": "shift"},
         worklist="app.patrol.worklist:patrol_worklist", opens=("shift", "volunteer", "volunteer_team")),
    Area("enterprises", "一企一警", tab="ui.enterprises.tab:EnterprisesTab", cli="app.enterprises.cli",
         list_tables={"enterprises": "enterprise", "inspections": "inspection", "rectifications": "rectification",
                      "hire-checks": "hire_check"},
         worklist="app.enterprises.worklist:enterprise_worklist",
         opens=("enterprise", "inspection", "rectification", "enterprise_request", "hire_check"),
         upkeep="app.enterprises.upkeep:purge_expired"),
)
# Commands of the whole station rather than of one area (sync, show, check/backup/restore/device/init).
STATION_CLI: tuple[str, ...] = ("app.sync.cli", "app.cli.show", "app.cli.station", "app.imports.cli")


def by_key(key: str) -> Area:
    return next(area for area in AREAS if area.key == key)


def list_tables() -> dict[str, str]:
    """Every ``cpdesk list`` table, in the areas' order."""
    return {name: table for area in AREAS for name, table in area.list_tables.items()}


def cli_modules() -> tuple[str, ...]:
    return tuple(area.cli for area in AREAS if area.cli) + STATION_CLI


def upkeep(db, *, on) -> list[str]:
    """Every area's housekeeping (hire checks past their keep-until day purged…), in the areas' order:
    what each did, in words."""
    return [said for area in AREAS if area.upkeep if (said := resolve(area.upkeep)(db, on=on))]


def resolve(name: str):
    """What a "module:function" string here names (imported only when it is needed)."""
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)
