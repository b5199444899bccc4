"""The DuckDB warehouse file: migrations, one writer, many never-blocked readers.

A DuckDB file open read-write in one process blocks every other process, readers
included. So the writer never opens the file analysts use: it works on a private
working copy next to it (`.NAME.work`), and after each committed load publishes a
snapshot with an atomic rename onto `NAME` (a flow of several writer steps publishes
once, after the last). Readers that already have the old file
open keep reading it; new readers see the new run whole. A second writer fails fast
with a clear message instead of waiting.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

try:  # the FTS extension ships as a PyPI wheel built for the pinned DuckDB version
    import duckdb_extension_fts as _fts
except ImportError:  # pragma: no cover - optional
    _fts = None

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"


class WarehouseError(RuntimeError):
    pass


class Warehouse:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.work_path = self.path.with_name(f".{self.path.name}.work")

    # -- writing ----------------------------------------------------------------
    @contextmanager
    def writer(self, publish: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection on the working copy; published when the block exits cleanly,
        unless `publish` is False: a run of several steps (nightly) publishes once, at its end."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.work_path.exists() and self.path.exists():
            shutil.copyfile(self.path, self.work_path)  # adopt a published file (e.g. copied from elsewhere)
        try:
            con = duckdb.connect(str(self.work_path))
        except duckdb.IOException as exc:
            raise WarehouseError(f"{self.path}: another litmine process is writing this database ({exc})") from exc
        try:
            migrate(con)
            yield con
            if publish:  # only the published file is searched: unpublished steps skip the rebuild
                refresh_search_index(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if publish:
            self.publish()

    def publish(self) -> None:
        """Atomically replace the analysts' file with the working copy."""
        tmp = self.path.with_name(f".{self.path.name}.publishing")
        shutil.copyfile(self.work_path, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    # -- reading ----------------------------------------------------------------
    def reader(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection on the published file: a write attempt raises."""
        if not self.path.exists():
            raise WarehouseError(f"{self.path}: no database yet (run `litmine demo` or `litmine import FILE...`)")
        con = duckdb.connect(str(self.path), read_only=True)
        load_fts(con)
        return con


def fts_extension_path() -> Path | None:
    if _fts is None:
        return None
    found = sorted(Path(_fts.__file__).parent.glob(f"extensions/v{duckdb.__version__}/fts.duckdb_extension"))
    return found[0] if found else None


def load_fts(con: duckdb.DuckDBPyConnection) -> bool:
    """Load the full-text search extension from its wheel (no download)."""
    path = fts_extension_path()
    if path is None:
        return False
    con.execute(f"LOAD '{path}'")
    return True


def refresh_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the BM25 index over titles and abstracts when papers changed since it was built."""
    stamp = con.execute("SELECT max(updated_at)::VARCHAR || count(*) FROM paper").fetchone()[0] or "empty"
    if get_meta(con, "fts_stamp") == stamp or not load_fts(con):
        return
    con.execute("PRAGMA create_fts_index('paper', 'paper_id', 'title', 'abstract', overwrite=1)")
    set_meta(con, "fts_stamp", stamp)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the numbered DDL files in sql/schema/ not yet recorded; re-create the views."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
    done = {v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()}
    for path in sorted((SQL_DIR / "schema").glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        if version in done:
            continue
        con.execute("BEGIN")
        try:
            con.execute(path.read_text())
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    con.execute((SQL_DIR / "views.sql").read_text())
    return max(done | {0} | {int(p.name[:3]) for p in (SQL_DIR / "schema").glob("[0-9][0-9][0-9]_*.sql")})


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
