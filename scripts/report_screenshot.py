"""Refresh the README's screenshots of the HTML report (docs/img/report.png, report-evidence.png).

usage: .venv/bin/python scripts/report_screenshot.py
Loads the shipped samples into a temporary database (as `litmine demo` does), writes
`litmine report`, and photographs it in headless Chromium: the header and charts, then the
seed case with the evidence of its scalp metastasis opened.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium  # noqa: E402

from litmine.cli import app  # noqa: E402

SEED = "doi:10.1155/2024/8873822"
OUT = ROOT / "docs" / "img"


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    db, html = tmp / "litmine.duckdb", tmp / "report.html"
    runner = CliRunner()
    for args in (["demo", "--db", str(db)], ["report", "-o", str(html), "--db", str(db)]):
        r = runner.invoke(app, args)
        if r.exit_code:
            sys.exit(r.output)
    OUT.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1050}, device_scale_factor=1)
        page.goto(html.as_uri())
        page.wait_for_selector("#case-table tbody tr.paper")
        page.screenshot(path=OUT / "report.png")
        page.fill("#filter", "neuroendocrine")
        page.locator(f'tr.paper[data-paper="{SEED}"] button.fact.metastatic_site', has_text="scalp").click()
        page.locator("#cases").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('cases').scrollIntoView()")
        page.screenshot(path=OUT / "report-evidence.png")
    print(f"{OUT / 'report.png'}\n{OUT / 'report-evidence.png'}")


if __name__ == "__main__":
    main()
