"""Which disputes may hold a search term: found through the trigram index, whatever the term's length.

The shape of the household search (app/households/search.py), over migration 0013's
``dispute_search`` (one row of search text per dispute), its trigram index ``dispute_fts`` and
that index's term list ``dispute_fts_terms``: a term of three or more characters by MATCH, of one
or two as the range of the index's terms that begin with it (the text ends in two spaces, so a
term at its very end begins a trigram too).

A term held by few disputes (a phone, an ID or dispute number, a place, a word found nowhere) is
answered by reading its candidates alone, where walking the list read every dispute looking for
it (280-480 ms at a city). A common one (王) is answered as before, walking the list's order and
stopping at the page's end: reading its thousands of candidates would cost more. So the rarest
term's candidates are counted first, up to ``COMMON`` (a bounded read); none means no dispute. A
sort no index gives (kind, status, community, next revisit) sorts every match whatever the term:
its candidates are read then, common or not, as households do for their other sorts.
Whatever narrowed the rows, ``instr`` on the search text decides, so the results are exactly those
of the plain match.
"""

from __future__ import annotations

from app.core import trigram
from app.core.trigram import Candidates

INDEX = "dispute_fts"  # the trigram index over dispute_search (migration 0013)
# Candidates past which a term is common: reading them (a dispute_search row and a dispute each,
# ~3 us) then costs more than the walk finding a page in list order (a page of 40 among 1%).
COMMON = 1000


def candidates(term: str) -> Candidates | None:
    """Which disputes may hold ``term`` (all that do, and maybe more), or None when the index cannot tell."""
    return trigram.candidates(INDEX, term)


def candidates_select(kind: str):
    """The SELECT of dispute_search ids that the index's read of ``kind`` gives (``Candidates.params``)."""
    return trigram.candidates_select(INDEX, kind)


def narrowing(conn, terms: list[str], *, in_list_order: bool) -> Candidates | None | bool:
    """How a page of disputes holding every term is best found: the candidates to read
    (``Candidates``), None to walk the list (no term is rare, or none has an index), or False when
    no dispute holds the rarest term (nothing to run). ``in_list_order``: the page's order is an
    index's, walked to the page's end; in any other, every match is sorted, and reading the
    candidates (even 王's 16,000 at a city: ~60 ms) costs less than reading every dispute (~150 ms)."""
    if not terms:
        return None
    ids, count = trigram.rarest(conn, INDEX, terms, common=COMMON)
    if ids is None or (in_list_order and count >= COMMON):
        return None
    return ids if count else False
