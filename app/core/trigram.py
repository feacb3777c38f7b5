"""Which rows may hold a search term, read from a trigram index whatever the term's length.

The households' (``household_fts``, migrations 0001 and 0011) and the disputes' (``dispute_fts``,
0013) search text each has an FTS5 trigram index and, beside it, that index's term list
(``<index>_terms``, fts5vocab 'instance'). A term of three or more characters is found by MATCH; one
of one or two as the range of the index's terms that begin with it (the search text ends in two
spaces, so a term at its very end begins a trigram too). What the areas do with the candidates
(read them, or walk their list looking them up) is theirs: app/households/search.py,
app/disputes/search.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, String, bindparam, column, func, literal_column, select, table

TRIGRAM = 3  # the full-text index MATCHes terms of at least this many characters
_LAST_CHAR = chr(0x10FFFF)  # after every character: "x" <= term < "x" + this = terms beginning "x"

# The statements are built once and run with parameters: building and keying a SELECT in
# SQLAlchemy costs about as much as SQLite running it (0.1-0.3 ms each, three or four a search).


@dataclass(frozen=True)
class Candidates:
    """The rows of ``index`` that may hold a term: the index read (``kind``: "match" for the full-text
    index, "terms" for its term list) and the statement's parameters for this term."""

    index: str
    kind: str
    params: tuple[tuple[str, str], ...]

    @property
    def select(self):
        """The SELECT of the search table's ids (parameters unbound; see ``statement``)."""
        return candidates_select(self.index, self.kind)

    def statement(self):
        """The SELECT with this term's parameters bound, to compile or EXPLAIN on its own."""
        return self.select.params(dict(self.params))


@cache
def candidates_select(index: str, kind: str):
    """The SELECT of the search table's ids that ``index``'s read of ``kind`` gives."""
    if kind == "match":
        return (select(literal_column("rowid")).select_from(table(index))
                .where(literal_column(index).op("MATCH")(bindparam("cand_match", type_=String))))
    terms = table(f"{index}_terms", column("term"), column("doc"))
    low, high = bindparam("cand_lo", type_=String), bindparam("cand_hi", type_=String)
    return select(terms.c.doc).where(terms.c.term >= low, terms.c.term < high)


def candidates(index: str, term: str) -> Candidates | None:
    """Which rows of ``index`` may hold ``term`` (all that do, and maybe more), or None when the
    index cannot tell."""
    if len(term) >= TRIGRAM:
        return Candidates(index, "match", (("cand_match", '"' + term.replace('"', '""') + '"'),))
    # The index folds case as it reads the text; a term whose lower case Python and SQLite may
    # disagree on (outside ASCII) is left to a scan rather than risk missing a row.
    if any(not ch.isascii() and ch.lower() != ch for ch in term):
        return None
    folded = term.lower()
    return Candidates(index, "terms", (("cand_lo", folded), ("cand_hi", folded + _LAST_CHAR)))


@cache
def _count_select(index: str, kind: str):
    limited = candidates_select(index, kind).limit(bindparam("cap", type_=Integer))
    return select(func.count()).select_from(limited.subquery())


def count(conn, ids: Candidates, cap: int) -> int:
    """How many candidates ``ids`` gives, counted no further than ``cap``."""
    return conn.execute(_count_select(ids.index, ids.kind), {**dict(ids.params), "cap": cap}).scalar()


def rarest(conn, index: str, terms: list[str], *, common: int) -> tuple[Candidates | None, int]:
    """The candidates of the term with the fewest in ``index`` (None when no term has an index), and
    how many (counted up to ``common``; a one- or two-character term counts its places, not its rows)."""
    best, fewest = None, common
    for term in terms:
        ids = candidates(index, term)
        if ids is None:
            continue
        n = count(conn, ids, common)
        if best is None or n < fewest:
            best, fewest = ids, n
        if n == 0:
            break
    return best, fewest
