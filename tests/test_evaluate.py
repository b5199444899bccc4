import pytest

from litmine.evaluate import PRF, read_brat, score_corpus, score_dev

from conftest import FIXTURES, SHARED


def test_read_brat_maps_types_and_keeps_offsets():
    text, gold = read_brat(FIXTURES / "brat" / "seed.txt", FIXTURES / "brat" / "seed.ann",
                           {"Cancer": "tumor", "Organ": "anatomy"})
    assert len(gold) == 8  # the Cell annotation is not a mapped type
    assert {text[s:e] for s, e, c in gold if c == "tumor"} == {"Neuroendocrine neoplasms", "neuroendocrine tumors"}


def test_mention_scores_on_a_small_brat_corpus(extractor, tmp_path, monkeypatch):
    import litmine.evaluate as ev

    folder = tmp_path / "corpus"
    folder.mkdir()
    for f in ("seed.txt", "seed.ann"):
        (folder / f).write_bytes((FIXTURES / "brat" / f).read_bytes())
    monkeypatch.setitem(ev.CORPORA, "tiny", {"dir": "corpus", "ext": ".ann",
                                             "types": {"Cancer": "tumor", "Organ": "anatomy"}})
    result = score_corpus(extractor, tmp_path, "tiny")
    assert result["docs"] == 1
    anatomy = result["exact"]["anatomy"]
    assert anatomy.tp == 6 and anatomy.fn == 0  # lymph nodes, liver, lungs, skin, face, scalp
    assert result["overlap"]["tumor"].r == 1.0


def test_prf_arithmetic():
    m = PRF(tp=8, fp=2, fn=8)
    assert (m.p, m.r) == (0.8, 0.5) and round(m.f1, 4) == 0.6154


@pytest.mark.shared
def test_dev_set_meets_the_quality_targets(extractor):
    r = score_dev(extractor, SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "score.py")
    assert r["macro_f1"] >= 0.85
    assert r["tumor_types"].f1 >= 0.92 and r["primary_sites"].f1 >= 0.85
    assert r["metastatic_sites"].f1 >= 0.80 and r["treatments"].f1 >= 0.85


@pytest.mark.shared
def test_eval_scores_each_dev_set_and_both_pooled(extractor):
    sets = [SHARED / "eval" / "dev.jsonl", SHARED / "eval" / "dev2.jsonl"]
    apart = [score_dev(extractor, s, SHARED / "eval" / "score.py") for s in sets]
    pooled = score_dev(extractor, sets, SHARED / "eval" / "score.py")
    assert pooled["docs"] == sum(a["docs"] for a in apart) == 97
    for cat in ("tumor_types", "primary_sites", "metastatic_sites", "treatments"):  # counts add up
        assert pooled[cat].tp == sum(a[cat].tp for a in apart) and pooled[cat].fn == sum(a[cat].fn for a in apart)
