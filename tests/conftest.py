from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"  # optional: only for tests marked `shared`


@pytest.fixture(scope="session")
def extractor():
    from litmine.extract.pipeline import Extractor

    return Extractor.load()


@pytest.fixture(scope="session")
def real_abstracts() -> list[str]:
    """Title + abstract of the 600+ real MEDLINE records in the shipped update-file excerpt."""
    from litmine.parse import read_records
    from litmine.record import Paper

    sample = Path(__file__).resolve().parents[1] / "data" / "samples" / "medline16n0902_update_excerpt.xml.gz"
    texts = [f"{p.title}\n\n{p.abstract}" for p in read_records(sample) if isinstance(p, Paper) and p.abstract]
    assert len(texts) > 500
    return texts


@pytest.fixture(autouse=True)
def reports_dir(tmp_path, monkeypatch) -> Path:
    """Reports that searches and flows write go to the test's folder, never the project's."""
    monkeypatch.setenv("LITMINE_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path / "reports"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "litmine.duckdb"


def pytest_collection_modifyitems(config, items):
    if not SHARED.is_dir():
        skip = pytest.mark.skip(reason="the shared folder is not present (optional evaluation data)")
        for item in items:
            if "shared" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def replay(tmp_path, monkeypatch):
    """A replay server, with each test's rate-limit slots in its own folder."""
    from replay import ReplayServer

    monkeypatch.setenv("LITMINE_RATE_DIR", str(tmp_path / "rate"))
    server = ReplayServer()
    yield server
    if hasattr(server, "httpd"):
        server.stop()


FAST = {"backoff": 0.01, "timeout": 1.0}  # client settings that keep retry tests quick


@pytest.fixture(scope="session")
def prefect_api():
    """One temporary Prefect server for the whole session (it takes ~20 s to start)."""
    import sys

    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the flows/ package
    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()


def contents(db: Path) -> tuple:
    """What analysts see of the papers, their facts, mentions and authors: equal for two
    databases that hold the same loads, whatever crashes and retries it took to get there."""
    from litmine.store.db import Warehouse

    with Warehouse(db).reader() as con:
        return tuple(con.execute(q).fetchall() for q in (
            "SELECT paper_id, title, abstract, pub_date, text_hash FROM paper ORDER BY ALL",
            "SELECT paper_id, category, concept_id FROM entity ORDER BY ALL",
            "SELECT paper_id, section, start_char, concept_id, role, relation FROM mention ORDER BY ALL",
            "SELECT paper_id, position, last_name FROM author ORDER BY ALL"))


def query(db: Path, sql: str) -> list[tuple]:
    """Rows of a query on the published database, read-only, as analysts read it."""
    from litmine.store.db import Warehouse

    with Warehouse(db).reader() as con:
        return con.execute(sql).fetchall()


@contextmanager
def writer_held(db: Path):
    """The database's writer held by a thread of this process, as another litmine process
    would hold it (DuckDB's lock is per process: a subprocess sees it)."""
    import threading

    from litmine.store.db import Warehouse

    entered, release = threading.Event(), threading.Event()

    def hold():
        with Warehouse(db).writer():
            entered.set()
            release.wait(30)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert entered.wait(20)
        yield
    finally:
        release.set()
        t.join()


@pytest.fixture
def disk_full(monkeypatch):
    """disk_full(True): publishing fails as on a full disk (ENOSPC while copying the working
    copy); disk_full(False): there is room again."""
    import litmine.store.db as store

    real = store.shutil.copyfile

    def copy(src, dst, *a, **kw):
        if str(dst).endswith(".publishing"):
            raise OSError(28, "No space left on device")
        return real(src, dst, *a, **kw)

    return lambda full: monkeypatch.setattr(store.shutil, "copyfile", copy if full else real)


def stored(db: Path) -> tuple:
    """Every stored value a load writes, but its timestamps and run ids: equal for a serial and a
    parallel load of the same files."""
    from litmine.store.db import Warehouse

    with Warehouse(db).reader() as con:
        return tuple(con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall() for table, cols in (
            ("paper", "* EXCLUDE (updated_at)"), ("author", "*"), ("entity", "*"), ("mention", "*"),
            ("extraction", "paper_id, extractor_version, text_hash"),
            ("source_record", "source, source_id, paper_id, raw_hash"),
            ("quarantine", "input, position, reason, raw"), ("deletion", "pmid, paper_id")))
