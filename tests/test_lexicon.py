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
    for name in ("terms.tsv", "concepts.tsv", "lookalikes.txt", "VERSION"):
        assert (out / name).read_bytes() == (DEFAULT_DIR / name).read_bytes(), name


def test_every_label_the_extractor_can_output_reads_as_a_clinician_writes_it():
    """The preferred-name policy (docs/extraction.md), checked over the whole shipped lexicon:
    no ontology scaffolding words, and lower case except acronyms, symbols and eponyms."""
    import csv
    import re

    with open(DEFAULT_DIR / "terms.tsv", encoding="utf-8") as f:
        terms = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"))
    lex = load_lexicon()
    output = {t["concept_id"] for t in terms} | {c.primary_site for c in lex.concepts.values() if c.primary_site}
    labels = {cid: lex.concepts[cid].label for cid in output if cid in lex.concepts}
    banned = re.compile(r"\b(?:mammalian|structure|of body|manual digit|pedal digit|craniocervical|segment of trunk|"
                        r"region of vertebral column|stylopod|zeugopod|hindlimb|forelimb)\b", re.I)
    assert not sorted(label for label in labels.values() if banned.search(label))[:20]
    # MeSH's inverted descriptor names ("radiotherapy, adjuvant") read in clinical order
    assert not sorted(label for cid, label in labels.items() if cid.startswith("MESH:") and "," in label)[:20]
    # a capitalized word is wrong when the lexicon writes it in lower case and never capitalized
    # inside a lower-case name ("Interferon Gamma"); eponyms are ("non-Hodgkin", "artery of Drummond")
    names = [t["surface"] for t in terms] + [c.label for c in lex.concepts.values()]
    lower, inside = set(), set()
    for n in names:
        words = re.split(r"[\s/-]+", n)
        lower |= {w for w in words if w.islower()}
        if words[0][:1].islower():
            inside |= {w.lower() for w in words[1:] if w[:1].isupper()}
    capitalized = sorted(label for label in labels.values()
                         if any(re.fullmatch(r"[A-Z][a-z]{2,}", w) and w.lower() in lower and w.lower() not in inside
                                for w in re.split(r"[\s/-]+", label)))
    assert not capitalized[:20], f"{len(capitalized)} labels, e.g. {capitalized[:20]}"


def test_bones_and_organs_are_named_by_their_latin_adjectives_too():
    lex = load_lexicon()
    for adjective, noun in (("patellar", "patella"), ("calcaneal", "calcaneus"), ("scapular", "scapula")):
        assert lex.terms[(adjective,)]["anatomy"] == lex.terms[(noun,)]["anatomy"], adjective
    for describing in ("stromal", "mucosal", "dorsal", "interstitial"):  # tissues and directions do not place
        assert "anatomy" not in lex.terms.get((describing,), {}), describing


def test_a_word_one_edit_from_exactly_one_name_is_its_misspelling():
    from litmine.extract.lexicon import MisspellingIndex

    index = MisspellingIndex(["paclitaxel", "methotrexate", "fluorouracil", "docetaxel", "imatinib"])
    assert index.lookup("pacitaxel") == "paclitaxel"  # a letter missing
    assert index.lookup("methothexate") == "methotrexate"  # a letter wrong
    assert index.lookup("flourouracil") == "fluorouracil"  # two neighbours swapped
    assert index.lookup("docetaxele") == "docetaxel"  # a letter added
    assert index.lookup("paclitaxel") is None  # the name itself
    assert index.lookup("imatnib") is None  # 7 letters: too many short words lie one edit from a name
    assert index.lookup("pacltaxl") is None  # two edits
    assert MisspellingIndex(["abcdefgh", "abcdefgk"]).lookup("abcdefgx") is None  # near two names


def test_other_drugs_one_edit_from_a_drug_here_are_listed_as_lookalikes():
    from litmine.extract.lexicon import MisspellingIndex, is_drug, load_lexicon

    lexicon = load_lexicon()
    index = MisspellingIndex(c.label.lower() for cid, c in lexicon.concepts.items() if is_drug(cid))
    assert "methoxamine" in lexicon.lookalikes and index.lookup("methoxamine") == "methoxyamine"
