"""Top facts and their markdown charts, on a database loaded from real records."""

from litmine.ingest import import_files
from litmine.report import markdown_charts, top_facts
from litmine.store.db import Warehouse

from conftest import FIXTURES


def test_top_facts_of_the_database_and_of_one_run(db, extractor):
    seed_run = import_files([FIXTURES / "seed_000_60f76852bb3d8491.txt"], db, extractor).run_id
    import_files([FIXTURES / "medline16n0902_update_excerpt.xml.gz"], db, extractor)
    con = Warehouse(db).reader()
    try:
        everything, seed_only = top_facts(con), top_facts(con, [seed_run])
    finally:
        con.close()
    assert seed_only["tumor_type"] == [("neuroendocrine tumor", 1)]
    assert {label for label, _ in seed_only["treatment"]} >= {"177Lu-DOTATATE", "lanreotide"}
    assert len(everything["tumor_type"]) == 8 and everything["tumor_type"][0][1] > 1
    counts = [n for _, n in everything["metastatic_site"]]
    assert counts == sorted(counts, reverse=True)


def test_markdown_charts_scale_bars_to_the_largest_count():
    md = markdown_charts({"tumor_type": [("melanoma", 4), ("sarcoma", 1)], "metastatic_site": [], "treatment": []})
    assert md.splitlines()[:2] == ["### Top tumor types", ""]
    assert "| melanoma | 4 | `" + "█" * 30 + "` |" in md and "| sarcoma | 4" not in md
    assert "| sarcoma | 1 | `" + "█" * 8 + "` |" in md  # 30 * 1/4, rounded
    assert "metastatic sites" not in md  # empty categories are left out
