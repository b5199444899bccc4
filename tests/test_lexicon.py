import subprocess
import sys
from pathlib import Path

import pytest

from litmine.extract.lexicon import DEFAULT_DIR, is_case_sensitive, load_lexicon, norm_token

from conftest import SHARED


def test_shipped_lexicon_has_the_concepts_the_seed_needs():
    lex = load_lexicon()
    assert lex.terms[("scalp",)]["anatomy"] == "UBERON:0000403"
    assert lex.terms[("temple",)]["anatomy"] == "UBERON:8480027"
    assert lex.terms[("cutaneous",)]["anatomy"] == "UBERON:0002097"
    assert lex.terms[("lanreotide",)]["treatment"] == "DB06791"
    assert lex.terms[("177lu", "-", "dotatate")]["treatment"] == "DB13985"
    assert lex.acronyms[("NET",)]["tumor"] == lex.terms[("neuroendocrine", "tumor")]["tumor"]


def test_hierarchy_rolls_scalp_up_to_head():
    lex = load_lexicon()
    assert "UBERON:0000033" in lex.ancestors("UBERON:0000403")  # scalp part of head
    assert "UBERON:0002097" in lex.ancestors("UBERON:8300000")  # skin of scalp is a zone of skin of body


def test_tumor_types_carry_oncotree_and_ncit_crossreferences():
    lex = load_lexicon()
    rcc = lex.concepts["MONDO:0005086"]
    assert any(x.startswith("ONCOTREE:") for x in rcc.xrefs) and any(x.startswith("NCIT:") for x in rcc.xrefs)
    assert rcc.primary_site == "UBERON:0002113"


def test_normalization_rules():
    assert norm_token("Lungs") == "lung" and norm_token("pancreas") == "pancreas" and norm_token("NETs") == "net"
    assert is_case_sensitive("RCC") and is_case_sensitive("NETs") and not is_case_sensitive("Lung")


@pytest.mark.shared
def test_build_script_reproduces_the_shipped_lexicon(tmp_path: Path):
    out = tmp_path / "lexicon"
    out.mkdir()
    (out / "curated.tsv").write_bytes((DEFAULT_DIR / "curated.tsv").read_bytes())
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, str(root / "scripts" / "build_lexicon.py"), "--shared", str(SHARED),
                    "--out", str(out)], check=True, capture_output=True)
    for name in ("terms.tsv", "concepts.tsv", "VERSION"):
        assert (out / name).read_bytes() == (DEFAULT_DIR / name).read_bytes(), name
