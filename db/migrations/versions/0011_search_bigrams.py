"""search: one- and two-character terms found through the trigram index's term list

The trigram index ``household_fts`` cannot MATCH a term shorter than three characters, so the
household list scanned ``household_search`` for them (most Chinese names: 张伟, 阳光). Every
place a term occurs is also the start of a trigram, so its households are the documents of the
index's terms that begin with it: ``household_fts_terms`` (fts5vocab, 'instance') reads them as
a range of terms (``term >= 'x' AND term < 'x' || U+10FFFF``), no scan, no new index to keep.

A term in the text's last two characters starts no trigram, so the search text now ends with
two spaces (the triggers below are the first migration's with that one change); existing rows
are padded and the trigram index is rebuilt once (1.3-1.6 s for a 50,000-household station,
7 s on a machine under heavy load; row by row through the trigger: 1.8-2.3 s).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PAD = "'  '"  # SQL: what the search text ends with, so its last characters start a trigram too
VOCAB_TABLE = "CREATE VIRTUAL TABLE household_fts_terms USING fts5vocab(household_fts, 'instance')"


def _search_values(pad: str) -> str:
    """The first migration's search row (sort key, deleted, text) for household ``{hid}``,
    with ``pad`` appended to the text."""
    return """
    h.estate || char(1) || substr('00000000' || h.building, -8) || char(1) ||
      substr('00000000' || h.unit, -8) || char(1) || substr('00000000' || h.room, -8),
    h.deleted,
    upper(
      h.estate ||
      CASE WHEN h.building != '' THEN h.building || '栋' ELSE '' END ||
      CASE WHEN h.unit != '' THEN h.unit || '单元' ELSE '' END ||
      CASE WHEN h.room != '' THEN h.room || '室' ELSE '' END || ' ' ||
      coalesce(h.head_name, '') || ' ' || coalesce(h.phone, '') || ' ' ||
      coalesce((SELECT group_concat(r.name || ' ' || coalesce(r.phone, '') || ' ' ||
                                    coalesce(r.id_number, ''), ' ')
                FROM resident r WHERE r.household_id = h.id AND r.deleted = 0), '')) || """ + pad + """
  FROM household h WHERE h.id = {hid}"""


def _triggers(pad: str) -> dict[str, str]:
    values = _search_values(pad)
    refresh = """
  UPDATE household_search SET (sort_key, deleted, text) = (SELECT """ + values + """)
  WHERE household_id = {hid};"""
    return {
        "household_search_after_insert": f"""AFTER INSERT ON household BEGIN
        INSERT INTO household_search (household_id, sort_key, deleted, text)
        SELECT h.id, {values.format(hid='NEW.id')}; END""",
        "household_search_after_update": f"AFTER UPDATE ON household BEGIN {refresh.format(hid='NEW.id')} END",
        "resident_search_after_insert": f"""AFTER INSERT ON resident BEGIN
        {refresh.format(hid='NEW.household_id')} END""",
        "resident_search_after_update": f"""AFTER UPDATE ON resident BEGIN
        {refresh.format(hid='NEW.household_id')} END""",
        "resident_search_after_move": f"""AFTER UPDATE OF household_id ON resident
        WHEN OLD.household_id IS NOT NEW.household_id BEGIN
        {refresh.format(hid='OLD.household_id')} END""",
    }


# The first migration's, unchanged: recreated after the bulk rewrite of the text.
FTS_UPDATE_TRIGGER = """CREATE TRIGGER household_fts_after_update AFTER UPDATE OF text ON household_search
    WHEN OLD.text IS NOT NEW.text BEGIN
    INSERT INTO household_fts (household_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO household_fts (rowid, text) VALUES (NEW.id, NEW.text); END"""


def _retext(pad: str, rewrite: str) -> None:
    """Swap the search triggers for those padding with ``pad``, rewrite every row's text with
    ``rewrite`` and rebuild the trigram index in one pass (not a delete and insert per row)."""
    for name, body in _triggers(pad).items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("DROP TRIGGER household_fts_after_update")
    op.execute(f"UPDATE household_search SET text = {rewrite}")
    op.execute("INSERT INTO household_fts (household_fts) VALUES ('rebuild')")
    op.execute(FTS_UPDATE_TRIGGER)


def upgrade() -> None:
    _retext(PAD, f"text || {PAD}")
    op.execute(VOCAB_TABLE)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS household_fts_terms")
    _retext("''", "substr(text, 1, length(text) - 2)")
