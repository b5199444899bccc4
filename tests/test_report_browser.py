"""The HTML report as a researcher opens it: `litmine report` on the shipped samples, in headless
Chromium from disk, with every network request refused and recorded."""

import csv
import io
import re

import pytest
from typer.testing import CliRunner

from litmine.cli import app

from browser import chromium

SEED = "doi:10.1155/2024/8873822"
runner = CliRunner()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    db, out = folder / "litmine.duckdb", folder / "r.html"
    assert runner.invoke(app, ["demo", "--db", str(db)]).exit_code == 0
    r = runner.invoke(app, ["report", "-o", str(out), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == str(out)  # the path, alone on stdout
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, report_file):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.problems, page.network = [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))

    def refuse(route):
        page.network.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(("file:", "data:", "blob:")), refuse)
    page.goto(report_file.as_uri())
    page.wait_for_selector("#case-table tbody tr.paper")
    yield page
    context.close()


def rows(page) -> list[str]:
    return page.eval_on_selector_all("#case-table tbody tr.paper", "trs => trs.map(t => t.dataset.paper)")


def test_charts_draw_marks_and_nothing_is_loaded_from_the_network(page):
    charts = page.eval_on_selector_all(
        "figure.chart", "fs => fs.map(f => f.querySelectorAll('svg g[class*=role-mark] path').length)")
    assert sum(1 for n in charts if n > 0) >= 3, charts
    assert page.locator("figure.chart svg g[class*=role-axis] text").count() > 10  # axes with labels
    assert page.problems == [] and page.network == []


def test_the_seed_case_with_its_link_treatments_and_evidence(page):
    seed = page.locator(f'tr.paper[data-paper="{SEED}"]')
    assert seed.locator("td.title a").first.get_attribute("href") == "https://doi.org/10.1155/2024/8873822"
    treatments = seed.locator("button.fact.treatment").all_inner_texts()
    assert {"177Lu-DOTATATE", "lanreotide"} <= set(treatments)
    seed.locator("button.fact.metastatic_site", has_text="scalp").click()
    evidence = page.locator(f'tr.evidence-row[data-paper="{SEED}"]')
    scalp = evidence.locator(".fact-evidence.focus")
    assert scalp.locator("strong").inner_text() == "scalp"
    first = scalp.locator("q.sentence").first
    assert first.inner_text() == ("This report presents a man with painful cutaneous NET metastases initially on "
                                  "the face then scalp.")
    assert first.locator("mark").inner_text() == "scalp"
    background = evidence.locator(".fact-evidence.background").filter(
        has=page.locator("strong", has_text=re.compile("^liver$")))
    assert "site, read as background" in background.inner_text()
    assert "lymph nodes, liver, and lungs" in background.locator("q.sentence").inner_text()
    assert page.problems == []


def test_the_seed_claim_is_checked(page):
    claim = page.locator("#claim-list li", has_text="PRRT has not been previously described")
    assert "no earlier report here" in claim.inner_text()
    assert "peptide receptor radionuclide therapy" in claim.inner_text()


def test_filtering_and_sorting_the_table(page):
    everything = rows(page)
    page.fill("#filter", "neuroendocrine")
    narrowed = rows(page)
    assert SEED in narrowed and 0 < len(narrowed) < len(everything)
    page.fill("#filter", "")
    page.select_option("#region-filter", "head")
    assert SEED in rows(page) and len(rows(page)) < len(everything)
    page.select_option("#region-filter", "")
    page.uncheck("#facts-only")
    assert len(rows(page)) > len(everything)  # papers without facts too (first page of them)
    page.click("#case-table th[data-key=year]")  # descending -> ascending
    years = page.eval_on_selector_all("#case-table tbody tr.paper td.year", "tds => tds.map(t => t.textContent)")
    years = [int(y) for y in years if y]
    assert years == sorted(years)
    assert page.get_attribute("#case-table th[data-key=year]", "aria-sort") == "ascending"


def test_the_csv_download_holds_the_filtered_rows(page, tmp_path):
    page.fill("#filter", "metasta")  # words match inside words: metastasis, metastases
    shown = rows(page)
    assert len(shown) > 1
    with page.expect_download() as info:
        page.click("#download-csv")
    path = tmp_path / "cases.csv"
    info.value.save_as(path)
    table = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["paper_id"] for r in table] == shown
    seed = next(r for r in table if r["paper_id"] == SEED)
    assert {"177Lu-DOTATATE", "lanreotide"} <= set(seed["treatments"].split("; "))
    assert "scalp" in seed["metastatic_sites"].split("; ") and seed["claim_check"] == "no earlier report here"
    assert page.network == []


def test_print_shows_rows_without_controls(page):
    page.emulate_media(media="print")
    assert not page.locator(".controls").is_visible()
    assert page.locator(f'tr.paper[data-paper="{SEED}"]').is_visible()
    assert page.pdf()[:4] == b"%PDF"  # Chromium prints it
