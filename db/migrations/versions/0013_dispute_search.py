"""dispute search: the dispute list's search text, kept by triggers, and a trigram index over it

The 矛盾纠纷 list matched each term with ``instr`` over a dispute's number, place and facts and its
living parties' names, phones and ID numbers: a term found in few disputes or none (a phone, an ID
number, a dispute number) read every dispute and its parties (280-480 ms at a city). As households
do (migrations 0001 and 0011), each dispute now has one row of search text, ``dispute_search``, and
a trigram index over it, ``dispute_fts`` (external content), with its term list
``dispute_fts_terms`` (fts5vocab) for one- and two-character terms; app/disputes/search.py reads them.

The text holds each field as the list matched it: the number and the parties' fields upper-cased,
place and facts as written (they were matched as written), separated by single spaces; a term
never holds a space (app.core.text.search_terms splits on whitespace), so ``instr`` on the text
finds exactly what ``instr`` on each field found, never a term spanning two fields. It ends in two
spaces so that its last characters begin a trigram too (0011).

Filling the search rows and the index for existing disputes, one pass each: 0.3 s at a station
(5,000 disputes), 3.6 s at a city (100,000 disputes, 225,000 parties; a copy, 2 cores). The
bulk load of a demo build or a full import does the same work once (db/bulk_load.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The search text of the dispute ``{did}``; the insert trigger's statement below is what
# db/bulk_load.py runs for every dispute at once.
_SEARCH_TEXT = """
    upper(d.number) || ' ' || coalesce(d.place, '') || ' ' || d.facts || ' ' ||
      coalesce((SELECT group_concat(upper(coalesce(p.name, '')) || ' ' || upper(coalesce(p.phone, '')) || ' ' ||
                                    upper(coalesce(p.id_number, '')), ' ')
                FROM dispute_party p WHERE p.dispute_id = d.id AND p.deleted = 0), '') || '  '
  FROM dispute d WHERE d.id = {did}"""
_REFRESH = """
  UPDATE dispute_search SET text = (SELECT """ + _SEARCH_TEXT + """) WHERE dispute_id = {did};"""

TRIGGERS = {
    "dispute_search_after_insert": f"""AFTER INSERT ON dispute BEGIN
        INSERT INTO dispute_search (dispute_id, text) SELECT d.id, {_SEARCH_TEXT.format(did='NEW.id')}; END""",
    # Only the matched columns: a status or risk change (most updates) leaves the text alone.
    "dispute_search_after_update": f"""AFTER UPDATE OF number, place, facts ON dispute BEGIN
        {_REFRESH.format(did='NEW.id')} END""",
    "dispute_search_after_delete": """AFTER DELETE ON dispute BEGIN
        DELETE FROM dispute_search WHERE dispute_id = OLD.id; END""",
    "dispute_party_search_after_insert": f"""AFTER INSERT ON dispute_party BEGIN
        {_REFRESH.format(did='NEW.dispute_id')} END""",
    "dispute_party_search_after_update": f"""AFTER UPDATE OF name, phone, id_number, deleted, dispute_id
        ON dispute_party BEGIN {_REFRESH.format(did='NEW.dispute_id')} END""",
    "dispute_party_search_after_move": f"""AFTER UPDATE OF dispute_id ON dispute_party
        WHEN OLD.dispute_id IS NOT NEW.dispute_id BEGIN {_REFRESH.format(did='OLD.dispute_id')} END""",
    "dispute_party_search_after_delete": f"""AFTER DELETE ON dispute_party BEGIN
        {_REFRESH.format(did='OLD.dispute_id')} END""",
}
FTS_TRIGGERS = {
    "dispute_fts_after_insert": """AFTER INSERT ON dispute_search BEGIN
        INSERT INTO dispute_fts (rowid, text) VALUES (NEW.id, NEW.text); END""",
    "dispute_fts_after_update": """AFTER UPDATE OF text ON dispute_search
        WHEN OLD.text IS NOT NEW.text BEGIN
        INSERT INTO dispute_fts (dispute_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
        INSERT INTO dispute_fts (rowid, text) VALUES (NEW.id, NEW.text); END""",
    "dispute_fts_after_delete": """AFTER DELETE ON dispute_search BEGIN
        INSERT INTO dispute_fts (dispute_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text); END""",
}
FTS_TABLE = """CREATE VIRTUAL TABLE dispute_fts USING fts5(
    text, content='dispute_search', content_rowid='id', tokenize='trigram')"""
VOCAB_TABLE = "CREATE VIRTUAL TABLE dispute_fts_terms USING fts5vocab(dispute_fts, 'instance')"


def upgrade() -> None:
    op.create_table(
        "dispute_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["dispute_id"], ["dispute.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dispute_search_dispute_id", "dispute_search", ["dispute_id"], unique=True)
    op.execute(FTS_TABLE)
    op.execute(VOCAB_TABLE)
    # Existing disputes in one pass each (rows in the order the triggers would have made them),
    # then the index whole, not a trigger firing per row.
    op.execute("INSERT INTO dispute_search (dispute_id, text) SELECT d.id, "
               + _SEARCH_TEXT.format(did="d.id") + " ORDER BY d.rowid")
    op.execute("INSERT INTO dispute_fts (dispute_fts) VALUES ('rebuild')")
    for name, body in {**TRIGGERS, **FTS_TRIGGERS}.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in {**TRIGGERS, **FTS_TRIGGERS}:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS dispute_fts_terms")
    op.execute("DROP TABLE IF EXISTS dispute_fts")
    op.drop_index("ix_dispute_search_dispute_id", table_name="dispute_search")
    op.drop_table("dispute_search")
