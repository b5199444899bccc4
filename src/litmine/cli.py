"""litmine command line: a thin layer over litmine.ingest, litmine.store and litmine.extract."""

from __future__ import annotations

import functools
from contextlib import contextmanager
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.padding import Padding
from rich.table import Table

# DuckDB, the settings model and the pipeline are imported inside the commands that use them:
# `litmine extract` must start fast and needs none of the first two.

app = typer.Typer(help="Literature mining of rare metastasis case reports.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # messages keep file paths whole (copy-paste), the terminal wraps
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"

DbOption = Annotated[Path | None, typer.Option("--db", help="DuckDB file (default: $LITMINE_DB or data/litmine.duckdb)")]


# Exit codes (README): what a script or scheduler can tell apart without reading the message.
EXIT_PARTIAL = 1    # some input failed (a file, batch or lookup); what loaded is published
EXIT_USAGE = 2      # bad arguments or input: an option, a query, a label, no database yet
EXIT_BUSY = 3       # another litmine process is writing the database
EXIT_FILES = 4      # a file or folder cannot be read or written (permission, disk full, not a folder)
EXIT_NETWORK = 5    # a service could not be reached at all


def command(*args, **kwargs):
    """`app.command`, with the failures users meet turned into one line and an exit code;
    anything else is a bug and keeps its traceback."""
    def register(f):
        @functools.wraps(f)
        def run(*a, **kw):
            try:
                return f(*a, **kw)
            except Exception as exc:  # noqa: BLE001 - classified below, re-raised when it is a bug
                code, message = _expected(exc)
                if code is None:
                    raise
                err.print(f"[red]error:[/red] {message}", highlight=False)
                raise typer.Exit(code) from exc
        return app.command(*args, **kwargs)(run)
    return register


def _expected(exc: Exception) -> tuple[int | None, str]:
    from litmine.sources.http import FetchError
    from litmine.store.db import WarehouseError

    duckdb = sys.modules.get("duckdb")  # a DuckDB error can only come once DuckDB is loaded
    if isinstance(exc, WarehouseError):
        return exc.exit_code, str(exc)
    if isinstance(exc, FetchError):
        return EXIT_NETWORK, str(exc)
    if duckdb is not None and isinstance(exc, duckdb.IOException):
        return EXIT_FILES, str(exc).strip().splitlines()[0]
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        return EXIT_FILES, f"{where}: {exc.strerror}" if where and exc.strerror else str(exc)
    return None, ""


def _db(db: Path | None) -> Path:
    from litmine.settings import get_settings

    return db or get_settings().litmine_db


@command("import")
def import_(files: Annotated[list[Path], typer.Argument(help="PubMed XML (.xml/.xml.gz), Semantic Scholar JSON/JSONL or seed record files")],
            db: DbOption = None,
            extract: Annotated[bool, typer.Option(help="Run extraction on new or changed papers")] = True,
            workers: Annotated[int | None, typer.Option(help="extraction processes (default: one per core; 1 = none)")] = None) -> None:
    """Load record files into the database (and extract their case facts)."""
    from litmine.ingest import import_files

    with _record_progress("importing") as (on_chunk, say):
        summary = import_files(files, _db(db), extract=extract, workers=workers, on_chunk=on_chunk,
                               on_file=lambda p: say(f"importing {p}"))
    _print_run(summary)
    if not summary.ok:
        raise typer.Exit(EXIT_PARTIAL)


@command("ingest-files")
def ingest_files_(sources: Annotated[list[str], typer.Argument(help="PubMed baseline/update .xml.gz files, folders, URLs or listing URLs")],
                  db: DbOption = None,
                  cache: Annotated[Path, typer.Option(help="where downloads (and shards prepared on Dask) are kept")] = Path("data/cache"),
                  workers: Annotated[int | None, typer.Option(help="extraction processes (default: one per core; 1 = none)")] = None,
                  dask: Annotated[str | None, typer.Option("--dask", help="Dask scheduler address: files are fetched, parsed and extracted there (default: $LITMINE_DASK_ADDRESS)")] = None) -> None:
    """Load PubMed bulk files; files already loaded (same name and MD5) are skipped."""
    from litmine.ingest import ingest_files
    from litmine.prepare import DaskPreparer
    from litmine.settings import get_settings

    address = dask or get_settings().litmine_dask_address
    preparer = DaskPreparer(address) if address else None
    try:
        with _record_progress("loading") as (on_chunk, say):
            summary = ingest_files(sources, _db(db), cache=cache, workers=workers, preparer=preparer,
                                   on_chunk=on_chunk, on_file=lambda n: say(f"loading {n}"))
    finally:
        if preparer:
            preparer.close()
    _print_run(summary)
    if not summary.ok:
        raise typer.Exit(EXIT_PARTIAL)


@command()
def search(query: Annotated[str, typer.Argument(help="search terms, in each source's own query syntax")],
           source: Annotated[str, typer.Option("--source", help="comma-separated: pubmed,s2,epmc")] = "pubmed",
           since: Annotated[str | None, typer.Option(help="first publication date, YYYY-MM-DD")] = None,
           until: Annotated[str | None, typer.Option(help="last publication date, YYYY-MM-DD")] = None,
           max_records: Annotated[int | None, typer.Option("--max", help="at most this many records per source")] = None,
           reports_dir: Annotated[Path | None, typer.Option(help="where the run's HTML report goes (default: $LITMINE_REPORTS_DIR or reports/)")] = None,
           db: DbOption = None) -> None:
    """Fetch a topic from PubMed / Semantic Scholar / Europe PMC, extract and load it; then write the
    HTML report of the papers this search added or updated and print its path."""
    from datetime import date

    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from litmine.search import run_search

    try:
        dates = [date.fromisoformat(d) if d else None for d in (since, until)]
    except ValueError as exc:
        err.print(f"[red]error:[/red] dates are YYYY-MM-DD ({exc})")
        raise typer.Exit(EXIT_USAGE) from exc
    sources = [s.strip() for s in source.split(",") if s.strip()]
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed} records"),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        tasks = {s: progress.add_task(f"{s}: {query}", total=max_records) for s in sources}
        try:
            summary = run_search(query, _db(db), sources=sources, since=dates[0], until=dates[1],
                                 max_records=max_records, on_batch=lambda s, n: progress.advance(tasks[s], n))
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(EXIT_USAGE) from exc
    _print_run(summary)
    if summary.failed_batches:
        err.print(f"[yellow]{summary.failed_batches} batches failed; they are kept and retried on the next run[/yellow]")
    if summary.added or summary.updated:
        from litmine.report.html import default_path
        from litmine.report.scope import Scope

        summarize(_db(db))
        scope = Scope(run_ids=(summary.run_id,))
        _write_report(_db(db), scope, default_path(scope, reports_dir))
    else:
        err.print("nothing new or updated, so no report: `litmine report --query WORDS` reports what is stored")
    if not summary.ok:
        raise typer.Exit(EXIT_PARTIAL)


@command()
def enrich(refresh_days: Annotated[int, typer.Option(help="ask again about papers looked up longer ago than this")] = 30,
           max_papers: Annotated[int | None, typer.Option("--max", help="at most this many papers")] = None,
           db: DbOption = None) -> None:
    """Add Semantic Scholar's external IDs and citation counts to stored papers (by PMID or DOI)."""
    from litmine.enrich import enrich_s2

    summary = enrich_s2(_db(db), refresh_days=refresh_days, max_papers=max_papers)
    _print_run(summary)
    if summary.failed_batches:
        err.print(f"[yellow]{summary.failed_batches} lookups failed; their papers are asked again next run[/yellow]")
        raise typer.Exit(EXIT_PARTIAL)


@command()
def extract(input: Annotated[Path, typer.Argument(help="JSONL with {id, title, abstract} per line")],
            output: Annotated[Path, typer.Option("-o", "--output", help="JSONL output, one line per input")]) -> None:
    """Extract tumor type, primary site, metastatic sites and treatments from JSONL records."""
    from litmine.ingest import extract_jsonl

    try:
        n = extract_jsonl(input, output)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    err.print(f"extracted {n} records -> {output}")


Format = Annotated[str, typer.Option("--format", help="table | csv | json (JSON lines); with -o, from the file name")]
Output = Annotated[Path | None, typer.Option("-o", "--output", help="write the result to this file")]
MaxRows = Annotated[int, typer.Option(help="rows shown in table format")]


# A query text may start with a "--" comment: unknown "options" are taken as the query text.
@command(context_settings={"ignore_unknown_options": True})
def sql(query: Annotated[str | None, typer.Argument(help="SQL to run (read-only); - reads it from standard input")] = None,
        file: Annotated[Path | None, typer.Option("--file", "-f", help="read the SQL from this file")] = None,
        db: DbOption = None, fmt: Format = "table", output: Output = None, max_rows: MaxRows = 40) -> None:
    """Run SQL on a read-only connection and print the result (the last statement's)."""
    if (query is None) == (file is None):
        err.print("[red]error:[/red] give the SQL as an argument, with --file PATH, or as - to read standard input")
        raise typer.Exit(EXIT_USAGE)
    if file is not None:
        query = file.read_text(encoding="utf-8")  # unreadable: one line and EXIT_FILES, from `command`
    elif query == "-":
        query = sys.stdin.read()
    _run_sql(query, db, fmt, output, max_rows)


@command()
def query(name: Annotated[str, typer.Argument(help="a cookbook query (litmine query list), or list")] = "list",
          set_: Annotated[list[str] | None, typer.Option("--set", help="parameter value, key=value (repeatable)")] = None,
          db: DbOption = None, fmt: Format = "table", output: Output = None, max_rows: MaxRows = 40) -> None:
    """Run a query of the cookbook (sql/queries/) by name, with its parameters set by --set."""
    from litmine.store.cookbook import CookbookError, cookbook, find, parse_assignments

    if name == "list":  # names never cut: they are typed back
        for q in cookbook():
            params = " ".join(f"--set {k}={v.strip(chr(39))}" for k, v in q.parameters.items())  # no quotes
            console.print(f"[bold]{q.name}[/bold]" + (f"  [dim]{params}[/dim]" if params else ""),
                          soft_wrap=True, highlight=False)
            console.print(Padding(q.description, (0, 0, 0, 4), expand=False), highlight=False)  # wrapped lines stay indented
        return
    try:
        q = find(name)
        text = q.with_values(parse_assignments(set_ or []))
    except CookbookError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    _run_sql(text, db, fmt, output, max_rows)


def _run_sql(text: str, db: Path | None, fmt: str, output: Path | None, max_rows: int) -> None:
    import duckdb

    if fmt not in ("table", "csv", "json"):
        err.print(f"[red]error:[/red] --format is table, csv or json, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)
    if output is not None and fmt == "table":
        fmt = "json" if output.suffix.lower() in (".json", ".jsonl") else "csv"
    con = _reader(db)
    try:
        rel = con.sql(text)
        if rel is None:
            return
        if output is None:
            if fmt == "table":
                rel.show(max_width=max(console.width, 120), max_rows=max_rows)
            else:
                _write_rows(rel, fmt, sys.stdout)
            return
        with open(output, "w", encoding="utf-8", newline="") as f:
            n = _write_rows(rel, fmt, f)
        err.print(f"{n} rows -> {output}")
    except duckdb.Error as exc:
        if "read-only" in str(exc).lower():
            err.print(f"[red]refused:[/red] `litmine sql` is read-only; the database changes only through "
                      f"litmine import/search/ingest ({exc})")
        else:
            err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    finally:
        con.close()


def _write_rows(rel, fmt: str, out) -> int:
    import csv
    import json

    rows = rel.fetchall()
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(rel.columns)
        w.writerows(rows)
    else:
        for row in rows:
            out.write(json.dumps(dict(zip(rel.columns, row)), default=str, ensure_ascii=False) + "\n")
    return len(rows)


@command()
def report(output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML file to write (default: a new file under the reports folder)")] = None,
           query_words: Annotated[str | None, typer.Option("--query", help="papers the full-text index finds for these words")] = None,
           run: Annotated[list[str] | None, typer.Option("--run", help="papers this run added or updated (repeatable)")] = None,
           since: Annotated[int | None, typer.Option(help="first publication year")] = None,
           until: Annotated[int | None, typer.Option(help="last publication year")] = None,
           tumor: Annotated[str | None, typer.Option(help="tumor type label; its subtypes count too")] = None,
           site: Annotated[str | None, typer.Option(help="metastatic site label; sites inside it count too (head: scalp)")] = None,
           exact_sites: Annotated[bool, typer.Option("--exact-sites", help="tumor x site matrix by exact site, not body region")] = False,
           db: DbOption = None) -> None:
    """Write a self-contained HTML report: charts, the case table with evidence, novelty and claim checks."""
    from litmine.report.scope import Scope

    scope = Scope(query=query_words, run_ids=tuple(run or ()), since=since, until=until, tumor=tumor, site=site)
    _write_report(_db(db), scope, output, exact_sites=exact_sites)


def _write_report(db: Path, scope, output: Path | None, exact_sites: bool = False) -> Path:
    from litmine.report.html import default_path, write_report
    from litmine.report.scope import ScopeError

    try:  # warehouse and file errors: one line and their own exit code, from `command`
        written = write_report(db, output or default_path(scope), scope, exact_sites=exact_sites)
    except ScopeError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(EXIT_USAGE) from exc
    err.print(f"report of {written.papers} papers ({written.with_facts} with facts, {written.claims} first-report "
              f"claims) written in {written.seconds:.1f} s, {written.bytes / 1e6:.1f} MB:")
    print(written.path)
    return written.path


@command()
def export(view: Annotated[str, typer.Argument(help="table or view to export, e.g. case_facts")],
           output: Annotated[Path, typer.Option("-o", "--output", help="file to write (.parquet or .csv)")],
           db: DbOption = None) -> None:
    """Export a table or view to Parquet or CSV (format from the file extension)."""
    fmt = {".parquet": "parquet", ".csv": "csv"}.get(output.suffix.lower())
    if fmt is None:
        err.print(f"[red]error:[/red] {output}: use a .parquet or .csv file name")
        raise typer.Exit(EXIT_USAGE)
    con = _reader(db)
    try:
        names = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if view not in names:
            err.print(f"[red]error:[/red] no table or view named {view!r} (have: {', '.join(sorted(names))})")
            raise typer.Exit(EXIT_USAGE)
        con.execute(f"COPY (SELECT * FROM \"{view}\") TO '{output}' (FORMAT {fmt}{', HEADER' if fmt == 'csv' else ''})")
        n = con.execute(f"SELECT count(*) FROM \"{view}\"").fetchone()[0]
    finally:
        con.close()
    err.print(f"exported {n} rows of {view} -> {output}")


@command()
def shell(db: DbOption = None) -> None:
    """Open the DuckDB CLI on the database, read-only, with full-text search loaded."""
    import os
    import shutil

    from litmine.store.db import fts_extension_path

    path = _db(db)
    _reader(db).close()  # fails with a clear message when there is no database yet
    exe = shutil.which("duckdb") or str(Path(sys.executable).with_name("duckdb"))
    args = [exe, "-readonly"]
    if fts := fts_extension_path():
        args += ["-cmd", f"LOAD '{fts}'"]
    os.execv(exe, [*args, str(path)])


@command()
def reextract(db: DbOption = None,
              all_papers: Annotated[bool, typer.Option("--all", help="re-extract every paper, not only outdated ones")] = False,
              workers: Annotated[int | None, typer.Option(help="extraction processes (default: one per core; 1 = none)")] = None) -> None:
    """Re-run extraction on stored papers whose results came from another extractor version."""
    from litmine.ingest import reextract as run

    summary = run(_db(db), all_papers=all_papers, workers=workers)
    _print_run(summary)


SHARED_DEFAULT = Path("..") / "shared"  # optional evaluation data beside the project


@command("eval")
def eval_(shared: Annotated[Path, typer.Option(help="folder with eval/ and corpora/")] = SHARED_DEFAULT,
          corpora: Annotated[bool, typer.Option(help="also score mention level on the gold corpora")] = True,
          as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Score the extractor: dev set (document level) and gold corpora (mention level)."""
    import json as _json

    from litmine.evaluate import CORPORA, DEV_SETS, PUBLISHED, score_corpus, score_dev
    from litmine.extract.pipeline import Extractor

    sets = {name: shared / "eval" / f"{name}.jsonl" for name in DEV_SETS if (shared / "eval" / f"{name}.jsonl").exists()}
    scorer = shared / "eval" / "score.py"
    if not sets or not scorer.exists():
        err.print(f"skipped: {shared / 'eval'} has no dev.jsonl and score.py (the evaluation data is optional)")
        return
    extractor = Extractor.load()
    report: dict = {"extractor_version": extractor.version}
    if len(sets) > 1:
        sets["pooled"] = list(sets.values())
    for name, paths in sets.items():
        d = score_dev(extractor, paths, scorer)
        report[name] = {k: v.as_dict() if hasattr(v, "as_dict") else v for k, v in d.items()}
        rows = [[cat, f"{d[cat].p:.3f}", f"{d[cat].r:.3f}", f"{d[cat].f1:.3f}", str(d[cat].tp), str(d[cat].fp),
                 str(d[cat].fn)] for cat in ("tumor_types", "primary_sites", "metastatic_sites", "treatments")]
        rows.append(["macro", "", "", f"{d['macro_f1']:.3f}", "", "", ""])
        if not as_json:
            _print_table(["category", "P", "R", "F1", "tp", "fp", "fn"], rows,
                         title=f"{name} ({d['docs']} docs), extractor {extractor.version}")
    if corpora:
        for name in CORPORA:
            if not (shared / "corpora" / CORPORA[name]["dir"]).is_dir():
                err.print(f"skipped corpus {name}: not found under {shared / 'corpora'}")
                continue
            c = score_corpus(extractor, shared / "corpora", name)
            report[name] = {m: {cat: v.as_dict() for cat, v in c[m].items()} for m in ("exact", "overlap")}
            if not as_json:
                crow = [[cat, f"{c['exact'][cat].p:.3f}", f"{c['exact'][cat].r:.3f}", f"{c['exact'][cat].f1:.3f}",
                         f"{c['overlap'][cat].p:.3f}", f"{c['overlap'][cat].r:.3f}", f"{c['overlap'][cat].f1:.3f}"]
                        for cat in sorted(c["exact"])]
                _print_table(["category", "P exact", "R exact", "F1 exact", "P overlap", "R overlap", "F1 overlap"],
                             crow, title=f"{name} ({c['docs']} docs), mention level. Published: {PUBLISHED[name]}")
    if as_json:
        print(_json.dumps(report, indent=1))


@command("build-linker")
def build_linker() -> None:
    """Build the linker index of the lexicon ahead of time (used with LITMINE_NER_MODEL; takes minutes once)."""
    from litmine.extract.lexicon import DEFAULT_DIR
    from litmine.extract.linking import build_index
    from litmine.settings import get_settings

    err.print(f"linker index: {build_index(DEFAULT_DIR, get_settings().litmine_cache_dir)}")


@command()
def serve() -> None:
    """Serve the nightly-ingest, topic-search and reextract deployments to the Prefect server
    at $PREFECT_API_URL (start one with `prefect server start --host 127.0.0.1`)."""
    import os

    root = Path(__file__).resolve().parents[2]
    if not (root / "flows" / "deployments.py").exists():
        err.print(f"[red]error:[/red] {root / 'flows'} not found: run litmine from a source checkout")
        raise typer.Exit(EXIT_USAGE)
    os.chdir(root)  # flows/ is a package of the project, not of the installed library
    os.execv(sys.executable, [sys.executable, "-m", "flows.deployments"])


@command()
def demo(db: DbOption = None) -> None:
    """Import the shipped samples (data/samples), extract, load, summarize and write the HTML report. Runs offline."""
    from litmine.extract.pipeline import Extractor
    from litmine.ingest import import_files, reextract

    files = sorted(p for p in SAMPLES.iterdir() if p.is_file() and not p.name.startswith(("README", ".")))
    path = _db(db)
    err.print(f"litmine demo: {len(files)} sample files -> {path}")
    extractor = Extractor.load()
    summary = import_files(files, path, extractor, command="demo")
    _print_run(summary)
    # a re-run after the extractor changed: unchanged records are not extracted again on import
    if stale := reextract(path, extractor).extracted:
        err.print(f"re-extracted {stale} papers extracted by an older extractor")
    summarize(path)
    from litmine.report.scope import Scope
    from litmine.settings import get_settings

    _write_report(path, Scope(), get_settings().litmine_reports_dir / "demo.html")
    if not summary.ok:
        raise typer.Exit(EXIT_PARTIAL)


@command()
def summary(db: DbOption = None) -> None:
    """Print what the database holds: papers and the most frequent facts."""
    summarize(_db(db))


def summarize(path: Path) -> None:
    from litmine.report import CATEGORIES, top_facts
    from litmine.store.db import Warehouse

    con = Warehouse(path).reader()
    try:
        n_papers, n_cases = con.execute("SELECT count(*), count(*) FILTER (is_case_report) FROM papers").fetchone()
        with_facts = con.execute("SELECT count(DISTINCT paper_id) FROM paper_entities").fetchone()[0]
        console.print(f"\n[bold]{n_papers}[/bold] papers ({n_cases} case reports), {with_facts} with extracted facts")
        for category, rows in top_facts(con).items():
            _print_table(["label", "papers"], rows, title=CATEGORIES[category])
        cases = con.execute("""
            SELECT coalesce(pmid, doi, paper_id) AS id,
                   string_agg(DISTINCT label, ', ') FILTER (category = 'tumor_type') AS tumor,
                   string_agg(DISTINCT label, ', ') FILTER (category = 'metastatic_site') AS metastatic_sites,
                   string_agg(DISTINCT label, ', ') FILTER (category = 'treatment') AS treatments
            FROM paper_entities GROUP BY ALL
            HAVING count(*) FILTER (category = 'metastatic_site') > 0
            ORDER BY count(*) DESC, id LIMIT 10""").fetchall()
        _print_table(["paper", "tumor type", "metastatic sites", "treatments"], cases,
                     title="Reported metastasis cases (most facts first)")
    finally:
        con.close()


def _reader(db: Path | None):
    from litmine.store.db import Warehouse

    return Warehouse(_db(db)).reader()  # "no database yet": one line and its exit code, from `command`


@contextmanager
def _record_progress(verb: str):
    """A line that counts the records stored so far and their rate (updated after each chunk), and
    a way to print above it: (on_chunk, say)."""
    import time

    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task(verb)

        def on_chunk(s) -> None:
            rate = s.records / max(time.perf_counter() - started, 1e-9)
            progress.update(task, description=f"{verb}: {s.records:,} records ({rate:,.0f}/s), "
                                              f"{s.extracted:,} extracted")

        yield on_chunk, lambda text: progress.console.print(f"[dim]{text}[/dim]", highlight=False)


def _print_run(s) -> None:
    err.print(f"run {s.run_id}: {len(s.files_loaded)} files loaded, {s.added} papers added, {s.updated} updated, "
              f"{s.unchanged} unchanged, {s.deleted} deleted, {s.quarantined} quarantined, {s.extracted} extracted")
    for f, e in s.files_failed:
        err.print(f"[red]error:[/red] {e}")
    for f in s.files_empty:
        err.print(f"[yellow]warning:[/yellow] {f}: no records in this file")
    for f, reason in s.files_skipped:
        err.print(f"[yellow]skipped:[/yellow] {f} failed before with the same content ({reason}); "
                  "name the file to try it again")


def _print_table(columns, rows, title: str | None = None) -> None:
    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(str(c))
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    console.print(table)


if __name__ == "__main__":
    app()
