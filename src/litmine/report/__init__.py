"""What the warehouse says, for people.

- `markdown`: the top facts of a database or of some runs, as rows (CLI tables) and markdown bar
  charts (Prefect artifacts).
- `scope`, `data`, `regions`, `claims`: what a report covers and the facts, evidence, novelty and
  claim checks it shows, read from the published database.
- `html`: the self-contained HTML report (`litmine report`), charts drawn by Vega-Lite (Altair)
  as inline SVG.

Only `markdown` is imported here: the CLI's summary and the flows need it, and the HTML report's
charting libraries are loaded when a report is written.
"""

from litmine.report.markdown import CATEGORIES, markdown_charts, top_facts

__all__ = ["CATEGORIES", "markdown_charts", "top_facts"]
