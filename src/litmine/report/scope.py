"""Which papers a report covers: the whole database, or the papers a full-text query finds, some
runs added or updated, a span of years, a tumor type or a metastatic site (both with roll-up)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb


class ScopeError(ValueError):
    """A scope that names something the database does not have (one line, for the user)."""


@dataclass(frozen=True)
class Scope:
    query: str | None = None           # full-text (BM25) over titles and abstracts
    run_ids: tuple[str, ...] = field(default_factory=tuple)  # papers these runs added or updated
    since: int | None = None           # publication years, inclusive
    until: int | None = None
    tumor: str | None = None           # a tumor type label; its subtypes count too
    site: str | None = None            # a metastatic site label; sites inside it count too ("head": scalp)

    def describe(self) -> str:
        parts = []
        if self.query:
            parts.append(f'full-text "{self.query}"')
        if self.run_ids:
            parts.append(f"added or updated by run{'s' if len(self.run_ids) > 1 else ''} {', '.join(self.run_ids)}")
        if self.since or self.until:
            parts.append(f"published {self.since or '…'}–{self.until or '…'}")
        if self.tumor:
            parts.append(f"tumor type {self.tumor} (with subtypes)")
        if self.site:
            parts.append(f"metastatic site {self.site} (with the sites inside it)")
        return "; ".join(parts) or "the whole database"

    def slug(self) -> str:
        """A short file-name part: "run-20261201T020749-9543f9", "scalp-2015-2020", "all"."""
        parts = [f"run-{self.run_ids[0]}" if self.run_ids else "", self.query or "", self.tumor or "",
                 self.site or "", "-".join(str(y) for y in (self.since, self.until) if y)]
        return re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")[:60].strip("-") or "all"


def select(con: duckdb.DuckDBPyConnection, scope: Scope, table: str = "report_scope") -> int:
    """Create the temporary table `table(paper_id)` of the papers in scope; returns their number.
    Raises ScopeError for a tumor or site label the database does not know."""
    where, params = ["TRUE"], []
    if scope.since is not None:
        where.append("p.pub_year >= ?")
        params.append(scope.since)
    if scope.until is not None:
        where.append("p.pub_year <= ?")
        params.append(scope.until)
    if scope.run_ids:
        where.append("p.paper_id IN (SELECT paper_id FROM source_record WHERE list_contains(?, run_id))")
        params.append(list(scope.run_ids))
        _check_runs(con, scope.run_ids)
    if scope.tumor:
        _check_label(con, scope.tumor, "tumor", "tumor type")
        where.append("""p.paper_id IN (
            SELECT e.paper_id FROM entity e JOIN concept_ancestor a ON a.concept_id = e.concept_id
            JOIN concept c ON c.concept_id = a.ancestor_id
            WHERE e.category = 'tumor_type' AND lower(c.label) = lower(?))""")
        params.append(scope.tumor)
    if scope.site:
        _check_label(con, scope.site, "anatomy", "site")
        where.append("p.paper_id IN (SELECT paper_id FROM metastatic_site_rollup WHERE lower(rollup_label) = lower(?))")
        params.append(scope.site)
    if scope.query:
        if not con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_paper'").fetchone()[0]:
            raise ScopeError("the database has no full-text index yet (it is built when a load publishes)")
        where.append("fts_main_paper.match_bm25(p.paper_id, ?) IS NOT NULL")
        params.append(scope.query)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT p.paper_id FROM paper p WHERE {' AND '.join(where)}",
                params)
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _check_label(con: duckdb.DuckDBPyConnection, label: str, category: str, what: str) -> None:
    if con.execute("SELECT count(*) FROM concept WHERE category = ? AND lower(label) = lower(?)",
                   [category, label]).fetchone()[0]:
        return
    close = [r[0] for r in con.execute(
        "SELECT label FROM concept WHERE category = ? ORDER BY jaro_winkler_similarity(lower(label), lower(?)) DESC "
        "LIMIT 3", [category, label]).fetchall()]
    raise ScopeError(f"no {what} labelled {label!r} in the database (closest: {', '.join(close)})")


def _check_runs(con: duckdb.DuckDBPyConnection, run_ids: tuple[str, ...]) -> None:
    known = {r[0] for r in con.execute("SELECT run_id FROM load_run WHERE list_contains(?, run_id)",
                                       [list(run_ids)]).fetchall()}
    if missing := [r for r in run_ids if r not in known]:
        raise ScopeError(f"no run {', '.join(missing)} in the database (see `litmine query load_history`)")
