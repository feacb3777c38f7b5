"""Which households hold every search term: found through the trigram index whatever the term's length.

Every term narrows through the full-text index ``household_fts`` (trigrams of the search text):
three or more characters by MATCH; one or two by the index's own term list
(``household_fts_terms``, an fts5vocab table, migration 0011): the households of the trigrams
that begin with the term, a range of terms read in order (the search text ends in two spaces,
so a term at its very end begins a trigram too). Measured at station scale (50,000 households)
against the alternatives: a second FTS5 table cannot help, as no built-in tokenizer splits
Chinese into single characters or pairs (one of our own would be C, to build for Windows too);
the trigram table's own LIKE falls back to a scan under three characters (and on SQLite 3.40
returns nothing for two); prefix queries (``"张伟"*``) match nothing with the trigram tokenizer;
a (term, household) table of one- and two-character grams would hold ~90 rows per household
(4.5 million at a station) where the term list costs no storage at all.

An index lists every household holding a term, and a common one (王, 3栋) is held by thousands:
reading them all costs more than finding the first page in address order. So each term's
candidates are first counted up to ``COMMON`` (cheap, a bounded read); none means no household
at all. When every term is common the first page is looked for among the first ``WINDOW``
households in list order; if it is not there (a deep page, or terms common apart but rare
together), how many it found there says how far a scan in list order would go. Within ``WALK``
households, walking the list's index and looking each household up in the rarest term's
candidates finds the page without reading a row it does not show (~0.1 us a household passed,
where reading a candidate's row costs 2-4 us: 0571 at a city, 2,600 candidates, 9 ms -> 3 ms).
Past that, the rarest term's households are read if they are fewer than the scan would pass, else
the scan runs. Fewer than ``COMMON`` candidates are read, unless they are enough for a walk to
find a page sooner (a room number's 1,000 at a station: 2.6 ms to read, 1.3 to walk for).
Whatever narrowed the rows, ``instr`` on the search text decides, so the results are exactly
those of a plain scan.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, String, bindparam, func, select, tuple_

from app.core import trigram
from app.core.trigram import Candidates
from db.models import HouseholdSearch

INDEX = "household_fts"  # the trigram index over household_search (made by the first migration)
COMMON = 1000  # candidates past which a term is common: ~0.3 ms to count, 1-3 ms to read
WINDOW = 4000  # households at the head of the list in which a common term's page is looked for (~1.5 ms)
WALK = 40000  # households a walk looking them up in the candidates may pass (~3 ms at a city)
READ_WALKED = 40  # reading a candidate costs about as much as walking past this many households (measured)
READ_COST = 4  # reading a candidate costs about as much as scanning this many rows (measured)

S = HouseholdSearch.__table__.c


def candidates(term: str) -> Candidates | None:
    """Which households may hold ``term`` (all that do, and maybe more), or None when the index cannot tell."""
    return trigram.candidates(INDEX, term)


def rarest(conn, terms: list[str]) -> tuple[Candidates | None, int]:
    """The candidates of the term with the fewest (None when no term has an index), and how many
    (counted up to ``COMMON``)."""
    return trigram.rarest(conn, INDEX, terms, common=COMMON)


def page(conn, terms: list[str], run, *, offset: int, limit: int, descending: bool, in_list_order: bool):
    """The rows of one page of living households holding every term, in the cheapest way found:
    ``run(ids=..., within=..., walk=...)`` runs the page's query narrowed to candidates
    (``Candidates``) and/or to the head of the list (the last household's (sort_key, id) in it,
    ``head_of_list``); ``walk``: in list order, looking each household up in the candidates.
    ``in_list_order``: the page follows the address order of household_search."""
    if not terms:
        return run()
    ids, count = rarest(conn, terms)
    if ids is not None and count == 0:
        return []  # no household holds the rarest term
    if not in_list_order or limit <= 0:
        return run(ids=ids)
    if count < COMMON:
        # Few: read them, unless walking the list for them passes fewer households than reading
        # them costs (if they are spread evenly; a walk stops at WALK, and they are read then).
        walked = (offset + limit) * households(conn) // max(count, 1)
        if walked > min(count * READ_WALKED, WALK):
            return run(ids=ids)
        far = head_of_list(conn, descending=descending, window=WALK)
        rows = run(ids=ids, within=far, walk=True)
        return rows if far is None or len(rows) == limit else run(ids=ids)
    head = head_of_list(conn, descending=descending)  # every term is common: most likely here
    rows = run(within=head)
    if head is None or len(rows) == limit:
        return rows
    # Not among the first households. A scan in list order would pass about this many rows, at the
    # rate the page's households showed among them; reading a candidate costs a few rows' scan.
    scan = (offset + limit) * WINDOW // max(offset + len(rows), 1)
    if ids is None:
        return run()
    if scan <= WALK:
        far = head_of_list(conn, descending=descending, window=WALK)
        rows = run(ids=ids, within=far, walk=True)
        if far is None or len(rows) == limit:
            return rows
    if trigram.count(conn, ids, scan // READ_COST) >= scan // READ_COST:
        return run()
    return run(ids=ids)


def households(conn) -> int:
    """About how many households the list holds, deleted ones too: the last search row's id (rows
    are never removed, only marked deleted), read off the primary key; kept as the head is."""
    return _kept(conn, "households", lambda: conn.execute(_last_id).scalar() or 0)


_last_id = select(func.max(S.id))


def _kept(conn, key, read):
    """``read()``, kept on the connection until a write: by another connection (``PRAGMA
    data_version``) or by this one (``total_changes``)."""
    driver = conn.connection.driver_connection
    stamp = (driver.execute("PRAGMA data_version").fetchone()[0], driver.total_changes)
    kept = conn.info.setdefault("household_search", {})
    if kept.get(key, (None,))[0] != stamp:
        kept[key] = (stamp, read())
    return kept[key][1]


@cache
def _head_select(descending: bool):
    order = [S.sort_key.desc(), S.id.desc()] if descending else [S.sort_key, S.id]
    return select(S.sort_key, S.id).order_by(*order).offset(bindparam("window", type_=Integer)).limit(1)


def head_of_list(conn, *, descending: bool, window: int | None = None) -> tuple[str, int] | None:
    """The (sort_key, id) of the ``window``-th (``WINDOW``) household in list (address) order, the
    last of the head of the list, or None when there are no more than that. Deleted households
    count: the sort key's index alone is read (40,000 at a city: 1 ms; with the rows, to skip the
    deleted, 290 ms). Kept until a write (``_kept``). Any boundary gives exact pages (it bounds a
    prefix of the list); a stale one would only size the head less well."""
    window = window or WINDOW

    def read():
        last = conn.execute(_head_select(descending), {"window": window - 1}).first()
        return None if last is None else (last[0], last[1])

    return _kept(conn, ("head", descending, window), read)


def matching(query, terms: int, *, ids: str | None = None, within: bool = False, walk: bool = False,
             descending: bool = False):
    """``query`` (over household_search) kept to living households whose text holds ``terms``
    terms (parameters ``term0``, ``term1``...), among the candidates of kind ``ids`` (None: all)
    and, ``within``, in the head of the list (parameters ``head_key``, ``head_id``). ``walk``: the
    candidates are looked up as the list's index is walked (``id + 0``: not by their ids)."""
    query = query.where(S.deleted.is_(False))
    if ids is not None:
        query = query.where((S.id + 0 if walk else S.id).in_(trigram.candidates_select(INDEX, ids)))
    if within:
        keys = tuple_(S.sort_key, S.id)
        last = tuple_(bindparam("head_key", type_=String), bindparam("head_id", type_=Integer))
        query = query.where(keys >= last if descending else keys <= last)
    for n in range(terms):
        query = query.where(func.instr(S.text, bindparam(f"term{n}", type_=String)) > 0)
    return query


def parameters(terms: list[str], ids: Candidates | None = None, within: tuple[str, int] | None = None) -> dict:
    """The parameters of a statement ``matching`` built for these terms, candidates and head."""
    bound = {f"term{n}": term for n, term in enumerate(terms)}
    if ids is not None:
        bound.update(ids.params)
    if within is not None:
        bound["head_key"], bound["head_id"] = within
    return bound
