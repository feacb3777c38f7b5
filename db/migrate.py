"""Creating and upgrading the database file with Alembic (never ``create_all``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from db.errors import StorageError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision, also known here so an up-to-date file opens without loading Alembic
# (~0.2 s of start-up); a test keeps it equal to the migration scripts' head.
HEAD = "0014"

# SQL-only objects the models do not describe (the full-text indexes, their shadow tables and
# their term lists household_fts_terms, dispute_fts_terms):
# autogenerate and the schema comparison leave them alone.
SQL_ONLY_PREFIX = ("household_fts", "dispute_fts")


def include_object(_obj, name, type_, _reflected, _compare_to) -> bool:
    return not (type_ == "table" and name and name.startswith(SQL_ONLY_PREFIX))


def _config(connection=None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def needs_upgrade(engine: Engine) -> bool:
    """True for an empty or older file; StorageError for a file from a newer program."""
    current = current_revision(engine)
    if current is None:
        with engine.connect() as conn:
            if inspect(conn).get_table_names():
                raise StorageError("这个文件不是警务工作台的数据库 (no schema version)")
        return True
    if current == HEAD:
        return False
    if current not in known_revisions():
        raise StorageError(f"数据库来自更新版本的程序 (schema {current})，请先升级程序")
    return True


def upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_config(conn), "head")
