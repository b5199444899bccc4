"""The BM25 index over titles and abstracts, kept up to date with the run's own papers.

DuckDB's FTS extension builds `fts_main_paper` (docs, terms, dict, stats and the `match_bm25`
macro analysts query) from the whole table, and has no update: rebuilt at every publish it costs
time in proportion to the warehouse (docs/scale.md: 16 s at 100,000 papers), not to the night's
work. So the first build is the extension's, and later publishes change only the documents of
papers added, changed or deleted since (`paper.updated_at` after the index's watermark), with the
extension's own tokenizer, stop words and stemmer: the index then scores as a rebuild would.
When most of the warehouse changed, a rebuild is cheaper and is done instead.
"""

from __future__ import annotations

import duckdb

from litmine.store.db import get_meta, notice, set_meta

SCHEMA = "fts_main_paper"
FIELDS = ("title", "abstract")  # fieldid 0 and 1, in the order the index was created with
REBUILD_SHARE = 0.3  # above this share of documents changed, rebuilding is faster than updating
_WATERMARK = "fts_indexed_until"  # meta: max(paper.updated_at) the index includes


def refresh(con: duckdb.DuckDBPyConnection) -> str:
    """Bring the index up to date with `paper`: 'built', 'updated' or 'current'. The FTS
    extension must be loaded."""
    indexed_until = get_meta(con, _WATERMARK)
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = 'docs'",
                         [SCHEMA]).fetchone()[0]
    latest, papers = con.execute("SELECT max(updated_at)::VARCHAR, count(*) FROM paper").fetchone()
    if exists and indexed_until is not None:
        changed = con.execute("SELECT count(*) FROM paper WHERE updated_at > ?::TIMESTAMP", [indexed_until]).fetchone()[0]
        docs = con.execute(f"SELECT count(*) FROM {SCHEMA}.docs").fetchone()[0]
        if not changed and docs == papers:
            return "current"
        deleted = max(0, docs + changed - papers)  # at least this many documents name papers no longer stored
        if changed + deleted <= REBUILD_SHARE * max(docs, 1):
            _update(con, indexed_until)
            set_meta(con, _WATERMARK, latest)
            return "updated"
    if papers >= 10_000:  # seconds to minutes: say what the wait is
        notice(f"building the full-text index over {papers:,} papers")
    rebuild(con)
    return "built"


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """The extension's build over the whole table."""
    latest = con.execute("SELECT max(updated_at)::VARCHAR FROM paper").fetchone()[0]
    con.execute(f"PRAGMA create_fts_index('paper', 'paper_id', {', '.join(repr(f) for f in FIELDS)}, overwrite=1)")
    set_meta(con, _WATERMARK, latest or "")


def _update(con: duckdb.DuckDBPyConnection, indexed_until: str) -> None:
    s = SCHEMA
    con.execute("CREATE OR REPLACE TEMP TABLE _fts_fresh AS SELECT paper_id AS name, title, abstract FROM paper "
                "WHERE updated_at > ?::TIMESTAMP", [indexed_until])
    # out: the documents of changed papers and of papers no longer stored
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_gone AS SELECT d.docid FROM {s}.docs d
                    WHERE d.name IN (SELECT name FROM _fts_fresh) OR d.name NOT IN (SELECT paper_id FROM paper)""")
    con.execute(f"""UPDATE {s}.dict d SET df = d.df - g.n FROM (
                        SELECT termid, count(DISTINCT docid) AS n FROM {s}.terms
                        WHERE docid IN (SELECT docid FROM _fts_gone) GROUP BY termid) g
                    WHERE d.termid = g.termid""")
    con.execute(f"DELETE FROM {s}.terms WHERE docid IN (SELECT docid FROM _fts_gone)")
    con.execute(f"DELETE FROM {s}.docs WHERE docid IN (SELECT docid FROM _fts_gone)")
    # in: tokenized, stop words dropped and stemmed as the extension does
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_docs AS
                    SELECT (SELECT coalesce(max(docid) + 1, 0) FROM {s}.docs) + row_number() OVER (ORDER BY name) - 1
                           AS docid, name, title, abstract FROM _fts_fresh""")
    tokenized = " UNION ALL ".join(
        f"SELECT docid, {i} AS fieldid, unnest({s}.tokenize({field})) AS w FROM _fts_docs"
        for i, field in enumerate(FIELDS))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _fts_terms AS
                    SELECT stem(w, 'porter') AS term, docid, fieldid FROM ({tokenized})
                    WHERE w IS NOT NULL AND len(w) > 0 AND w NOT IN (SELECT sw FROM {s}.stopwords)""")
    con.execute(f"""INSERT INTO {s}.dict (termid, term, df)
                    SELECT (SELECT coalesce(max(termid) + 1, 0) FROM {s}.dict) + row_number() OVER (ORDER BY term) - 1,
                           term, 0
                    FROM (SELECT DISTINCT term FROM _fts_terms WHERE term NOT IN (SELECT term FROM {s}.dict))""")
    con.execute(f"""INSERT INTO {s}.docs (docid, name, len)
                    SELECT d.docid, d.name, coalesce(n.len, 0) FROM _fts_docs d
                    LEFT JOIN (SELECT docid, count(*) AS len FROM _fts_terms GROUP BY docid) n USING (docid)""")
    con.execute(f"""INSERT INTO {s}.terms (docid, fieldid, termid)
                    SELECT t.docid, t.fieldid, d.termid FROM _fts_terms t JOIN {s}.dict d USING (term)""")
    con.execute(f"""UPDATE {s}.dict d SET df = d.df + n.n FROM (
                        SELECT termid, count(DISTINCT t.docid) AS n FROM _fts_terms t JOIN {s}.dict USING (term)
                        GROUP BY termid) n
                    WHERE d.termid = n.termid""")
    con.execute(f"DELETE FROM {s}.stats")
    con.execute(f"INSERT INTO {s}.stats SELECT count(docid), sum(len) / count(len) FROM {s}.docs")
    for table in ("_fts_fresh", "_fts_gone", "_fts_docs", "_fts_terms"):
        con.execute(f"DROP TABLE {table}")
