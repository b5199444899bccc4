"""What a database (or some runs' papers) holds: top facts per category, as rows for the CLI's
tables and as markdown bar charts for the Prefect summary artifacts."""

from __future__ import annotations

import duckdb

CATEGORIES = {"tumor_type": "Top tumor types", "metastatic_site": "Top metastatic sites",
              "treatment": "Top treatments"}


def top_facts(con: duckdb.DuckDBPyConnection, run_ids: list[str] | None = None,
              limit: int = 8) -> dict[str, list[tuple[str, int]]]:
    """(label, papers) per category, most papers first; only papers loaded by `run_ids` if given."""
    scope = ("AND paper_id IN (SELECT paper_id FROM source_record WHERE run_id IN (SELECT unnest(?)))"
             if run_ids is not None else "")
    out = {}
    for category in CATEGORIES:
        params = [category, *([run_ids] if run_ids is not None else []), limit]
        out[category] = con.execute(
            f"SELECT label, count(*) AS papers FROM paper_entities WHERE category = ? {scope} "
            "GROUP BY label ORDER BY papers DESC, label LIMIT ?", params).fetchall()
    return out


def markdown_charts(top: dict[str, list[tuple[str, int]]], width: int = 30) -> str:
    """One table per category with a bar per label, scaled to the category's largest count."""
    parts = []
    for category, rows in top.items():
        if not rows:
            continue
        most = max(n for _, n in rows)
        lines = [f"### {CATEGORIES[category]}", "", "| label | papers | |", "|---|---:|---|"]
        lines += [f"| {label} | {n} | `{'█' * max(1, round(width * n / most))}` |" for label, n in rows]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
