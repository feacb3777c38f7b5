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
candidates are first counted up to ``COMMON`` (cheap, a bounded read); the rarest term's
households are then the only ones read. When every term is common the first page is looked for
among the first ``WINDOW`` households in list order; if it is not there (a deep page, or terms
common apart but rare together), how many it found there says how far a scan in list order would
go, and the rarest term's households are read only if they are fewer (counted up to that).
Whatever narrowed the rows, ``instr`` on the search text decides, so the results are exactly
those of a plain scan.
"""

from __future__ import annotations

from sqlalchemy import column, func, literal_column, select, table, tuple_

from db.models import HouseholdSearch

TRIGRAM = 3  # the full-text index MATCHes terms of at least this many characters
COMMON = 1000  # candidates past which a term is common: ~0.3 ms to count, 1-3 ms to read
WINDOW = 4000  # households at the head of the list in which a common term's page is looked for (~1.5 ms)
READ_COST = 4  # reading a candidate costs about as much as scanning this many rows (measured)
_LAST_CHAR = chr(0x10FFFF)  # after every character: "x" <= term < "x" + this = terms beginning "x"

S = HouseholdSearch.__table__.c
_FTS = table("household_fts")  # SQL-only: made by the first migration
_TERMS = table("household_fts_terms", column("term"), column("doc"))  # SQL-only: migration 0011


def candidates(term: str):
    """A SELECT of the household_search ids that may hold ``term`` (all that do, and maybe
    more), or None when the index cannot tell."""
    if len(term) >= TRIGRAM:
        return (select(literal_column("rowid")).select_from(_FTS)
                .where(literal_column("household_fts").op("MATCH")('"' + term.replace('"', '""') + '"')))
    # The index folds case as it reads the text; a term whose lower case Python and SQLite may
    # disagree on (outside ASCII) is left to the scan rather than risk missing a household.
    if any(not ch.isascii() and ch.lower() != ch for ch in term):
        return None
    folded = term.lower()
    return select(_TERMS.c.doc).where(_TERMS.c.term >= folded, _TERMS.c.term < folded + _LAST_CHAR)


def _count(conn, ids, cap: int) -> int:
    """How many candidates ``ids`` gives, counted no further than ``cap``."""
    return conn.execute(select(func.count()).select_from(ids.limit(cap).subquery())).scalar()


def rarest(conn, terms: list[str]) -> tuple[object | None, bool]:
    """The candidates of the term with the fewest (None when no term has an index), and
    whether they are few (under ``COMMON``, so reading them all is cheap)."""
    best, fewest = None, None
    for term in terms:
        ids = candidates(term)
        if ids is None:
            continue
        n = _count(conn, ids, COMMON)
        if fewest is None or n < fewest:
            best, fewest = ids, n
        if n == 0:
            break
    return best, fewest is not None and fewest < COMMON


def page(conn, terms: list[str], run, *, offset: int, limit: int, descending: bool, in_list_order: bool):
    """The rows of one page of living households holding every term, in the cheapest way found:
    ``run(ids=..., within=...)`` runs the page's query narrowed to candidates or to a condition.
    ``in_list_order``: the page follows the address order of household_search."""
    if not terms:
        return run()
    ids, few = rarest(conn, terms)
    if few or not in_list_order or limit <= 0:
        return run(ids=ids)
    head = head_of_list(conn, descending=descending)  # every term is common: most likely here
    rows = run(within=head)
    if head is None or len(rows) == limit:
        return rows
    # Not among the first households. A scan in list order would pass about this many rows, at the
    # rate the page's households showed among them; reading a candidate costs a few rows' scan.
    scan = (offset + limit) * WINDOW // max(offset + len(rows), 1)
    if ids is None or _count(conn, ids, scan // READ_COST) >= scan // READ_COST:
        return run()
    return run(ids=ids)


def head_of_list(conn, *, descending: bool) -> object | None:
    """A condition keeping the first ``WINDOW`` living households in list (address) order, or
    None when there are no more than that. Read off the sort key's index alone."""
    keys = tuple_(S.sort_key, S.id)
    order = [S.sort_key.desc(), S.id.desc()] if descending else [S.sort_key, S.id]
    last = conn.execute(select(S.sort_key, S.id).where(S.deleted.is_(False)).order_by(*order)
                        .offset(WINDOW - 1).limit(1)).first()
    if last is None:
        return None
    return keys >= tuple_(*last) if descending else keys <= tuple_(*last)


def matching(query, terms: list[str], ids=None, within=None):
    """``query`` (over household_search) kept to living households among ``ids`` (a SELECT of
    household_search ids; None: all) and ``within`` (a condition) whose text holds every term."""
    query = query.where(S.deleted.is_(False))
    if ids is not None:
        query = query.where(S.id.in_(ids))
    if within is not None:
        query = query.where(within)
    for term in terms:
        query = query.where(func.instr(S.text, term) > 0)
    return query
