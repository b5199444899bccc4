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

import errno
import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

try:  # the FTS extension ships as a PyPI wheel built for the pinned DuckDB version
    import duckdb_extension_fts as _fts
except ImportError:  # pragma: no cover - optional
    _fts = None

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"


class WarehouseError(RuntimeError):
    """A warehouse-level failure, said in one line; `exit_code` is the CLI's (README)."""

    exit_code = 2


class WarehouseBusy(WarehouseError):
    exit_code = 3


class WarehousePublishError(WarehouseError):
    exit_code = 4


PUBLISH_ID = "publish_id"  # meta key: the id of the file the working copy last published
_LOCK_PID = re.compile(r"\(PID (\d+)\)")


def notice(message: str) -> None:
    """What the warehouse did on its own (a working copy rebuilt): one line on stderr."""
    print(f"litmine: {message}", file=sys.stderr, flush=True)


class Warehouse:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.work_path = self.path.with_name(f".{self.path.name}.work")

    # -- writing ----------------------------------------------------------------
    @contextmanager
    def writer(self, publish: bool = True,
               on_publish_error: Callable[[duckdb.DuckDBPyConnection, OSError], None] | None = None,
               ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection on the working copy; published when the block exits cleanly,
        unless `publish` is False: a run of several steps (nightly) publishes once, at its end.
        When publishing fails, the working copy keeps the run (the next run publishes it),
        `on_publish_error(con, exc)` may record the failure there, and WarehousePublishError says so."""
        _ensure_folder(self.path.parent)
        con, published_id = self._open_work()
        try:
            migrate(con)
            yield con
            if publish:  # only the published file is searched: unpublished steps skip the rebuild
                refresh_search_index(con)
                set_meta(con, PUBLISH_ID, uuid.uuid4().hex)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        if publish:
            try:
                self.publish()
            except OSError as exc:
                with duckdb.connect(str(self.work_path)) as con:
                    set_meta(con, PUBLISH_ID, published_id)  # still the file analysts have
                    if on_publish_error:
                        on_publish_error(con, exc)
                raise WarehousePublishError(
                    f"{self.path}: could not publish ({exc.strerror or exc}); the run is kept in "
                    f"{self.work_path} and the next run publishes it") from exc

    def publish(self) -> None:
        """Atomically replace the analysts' file with the working copy."""
        tmp = self.path.with_name(f".{self.path.name}.publishing")
        shutil.copyfile(self.work_path, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def _open_work(self) -> tuple[duckdb.DuckDBPyConnection, str | None]:
        """The working copy, checked: made from the published file when missing, rebuilt from it
        when unusable (a crash while copying) or when the published file is no longer the one
        litmine published (restored from a backup). Returns it and the published file's id."""
        published_id = _published_id(self.path)
        if not self.work_path.exists() and self.path.exists():
            self._copy_published()  # adopt a published file (e.g. copied from elsewhere)
        try:
            con = duckdb.connect(str(self.work_path))
            con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                pid = _LOCK_PID.search(str(exc))
                raise WarehouseBusy(f"{self.path}: another litmine process{f' (PID {pid[1]})' if pid else ''} "
                                    f"is writing this database; try again when it has finished") from exc
            notice(f"{self.work_path}: unusable working copy ({_first_line(exc)}); rebuilt from {self.path}")
            return self._fresh_work(), published_id
        if self.path.exists() and _meta(con, PUBLISH_ID) != published_id:
            con.close()
            notice(f"{self.path} changed since litmine last published it (restored from a backup?): "
                   "this run starts from it")
            return self._fresh_work(), published_id
        return con, published_id

    def _fresh_work(self) -> duckdb.DuckDBPyConnection:
        for stale in (self.work_path, self.work_path.with_name(self.work_path.name + ".wal")):
            stale.unlink(missing_ok=True)
        if self.path.exists():
            self._copy_published()
        return duckdb.connect(str(self.work_path))

    def _copy_published(self) -> None:
        """Copy under a temporary name, then rename: a crash never leaves half a working copy."""
        tmp = self.work_path.with_name(self.work_path.name + ".tmp")
        shutil.copyfile(self.path, tmp)
        os.replace(tmp, self.work_path)

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
    """Bring the BM25 index over titles and abstracts up to date (`search_index`), when the
    FTS extension is installed."""
    if load_fts(con):
        from litmine.store import search_index  # imports this module's meta helpers

        search_index.refresh(con)


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


def _ensure_folder(folder: Path) -> None:
    """mkdir -p, but a file in the way is named as such (mkdir says "File exists")."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(existing))
    folder.mkdir(parents=True, exist_ok=True)


def _published_id(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return _meta(con, PUBLISH_ID)
    except duckdb.Error:
        return None


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """get_meta on a file that may predate the meta table."""
    try:
        return get_meta(con, key)
    except duckdb.CatalogException:
        return None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def get_meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str | None) -> None:
    """Set (or with None, remove) a meta value."""
    if value is None:
        con.execute("DELETE FROM meta WHERE key = ?", [key])
    else:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])
