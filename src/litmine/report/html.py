"""`litmine report`: one self-contained HTML file (styles, script, charts and data inline).

It opens offline, from disk or as an e-mail attachment; its only outbound links are to PubMed,
DOI, PMC and Europe PMC. The case table is drawn by a small script from the embedded JSON (one
record per paper), so a report of tens of thousands of papers opens in a moment: the page shows
a hundred rows at a time, sorts and filters them all, and downloads them as CSV.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from litmine.report.data import collect
from litmine.report.regions import ORDER, REGIONS
from litmine.report.scope import Scope
from litmine.store.db import Warehouse

ASSETS = Path(__file__).with_name("assets")


@dataclass
class Written:
    path: Path
    papers: int
    with_facts: int
    claims: int
    seconds: float
    bytes: int


def write_report(db: Path, out: Path, scope: Scope = Scope(), *, exact_sites: bool = False,
                 version: str | None = None) -> Written:
    """Write the report of `scope` in the published database `db` to `out` (atomically)."""
    from litmine.report.charts import render  # Altair and vl-convert load only here

    start = time.perf_counter()
    with Warehouse(db).reader() as con:
        data = collect(con, scope, exact_sites=exact_sites)
    charts = render(data.charts, exact_sites=exact_sites)
    page = _environment().get_template("report.html.j2").render(
        header=data.header, charts=charts, css=(ASSETS / "report.css").read_text(),
        script=(ASSETS / "report.js").read_text(), data_json=_script_json({
            "papers": data.papers, "regions": ORDER, "scope": data.header["scope"]}),
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), db_name=Path(db).name,
        version=version, regions=[name for name, _ in REGIONS])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return Written(out, data.header["papers"], data.header["with_facts"], data.claims,
                   time.perf_counter() - start, out.stat().st_size)


def default_path(scope: Scope, reports_dir: Path | None = None) -> Path:
    """A new file under the reports folder, named for the scope and the time."""
    from litmine.settings import get_settings

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return (reports_dir or get_settings().litmine_reports_dir) / f"litmine-{scope.slug()}-{stamp}.html"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def _script_json(value) -> str:
    """JSON safe inside <script>: no "</script>" or "<!--" can end or change the element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
