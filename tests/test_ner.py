"""The optional NER path: a tiny spaCy NER model trained here on a real BC5CDR abstract, its
entities linked to the lexicon by scispaCy's candidate generator."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from litmine.extract.lexicon import DEFAULT_DIR
from litmine.extract.pipeline import Extractor, current_version

FIXTURE = Path(__file__).parent / "fixtures" / "ner" / "bc5cdr_7423039.pubtator"
DOXORUBICIN = "DB00997"  # its trade name "adriamycin" is left out of the small lexicon below


def pubtator(path: Path) -> tuple[str, str, list[tuple[int, int, str]]]:
    """Title, abstract and entities (offsets into title + " " + abstract) of a PubTator file."""
    title = abstract = ""
    entities = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "|t|" in line:
            title = line.split("|t|", 1)[1]
        elif "|a|" in line:
            abstract = line.split("|a|", 1)[1]
        elif line.count("\t") >= 5:
            _, start, end, _, label, _ = line.split("\t")[:6]
            entities.append((int(start), int(end), label.upper()))
    return title, abstract, entities


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    """An NER model that learned the abstract's CHEMICAL and DISEASE mentions."""
    title, abstract, entities = pubtator(FIXTURE)
    text = f"{title} {abstract}"
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("CHEMICAL", "DISEASE"):
        ner.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(text), {"entities": entities})]
    random.seed(0)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    out = tmp_path_factory.mktemp("model") / "tiny_ner"
    nlp.meta["name"] = "tiny_ner"
    nlp.to_disk(out)
    return out


URETER_CANCER, RCC, CARCINOMA, CANCER, URETER = "MONDO:0008627", "MONDO:0005086", "MONDO:0004993", "MONDO:0004992", \
    "UBERON:0000056"


@pytest.fixture(scope="module")
def small_lexicon(tmp_path_factory) -> Path:
    """The shipped lexicon cut to the concepts these tests name plus a few hundred treatments, so that
    the linker index builds in seconds."""
    out = tmp_path_factory.mktemp("lexicon")
    with open(DEFAULT_DIR / "concepts.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    treatments = sorted(r[0] for r in rows[1:] if r[1] == "treatment")[:400]  # a deterministic subset
    keep = {DOXORUBICIN, URETER_CANCER, RCC, CARCINOMA, CANCER, URETER, *treatments}
    for name, column in (("concepts.tsv", 0), ("terms.tsv", 2)):
        with open(DEFAULT_DIR / name, encoding="utf-8", newline="") as f:
            lines = f.read().splitlines(keepends=True)
        # the dictionary misses "adriamycin" (a MeSH trade name in the shipped lexicon): the NER model finds it
        (out / name).write_text(lines[0] + "".join(line for line in lines[1:] if line.split("\t")[column] in keep
                                                   and not line.startswith("adriamycin\t")), encoding="utf-8")
    (out / "VERSION").write_text("test-subset\n")
    return out


@pytest.fixture(scope="module")
def linker_cache(tmp_path_factory) -> Path:
    """One linker index for the module's tests (built by the first, loaded by the others)."""
    return tmp_path_factory.mktemp("cache")


def test_ner_entities_the_dictionary_misses_are_linked_to_the_lexicon(model_dir, small_lexicon, linker_cache,
                                                                      monkeypatch):
    monkeypatch.setenv("LITMINE_CACHE_DIR", str(linker_cache))
    title, abstract, _ = pubtator(FIXTURE)
    plain = Extractor.load(small_lexicon, ner_model="")
    assert not [m for m in plain.extract(title, abstract).mentions if m.concept_id == DOXORUBICIN]

    with_ner = Extractor.load(small_lexicon, ner_model=str(model_dir))
    found = [m for m in with_ner.extract(title, abstract).mentions if m.concept_id == DOXORUBICIN]
    assert {m.text for m in found} == {"adriamycin", "Adriamycin"}
    assert all(m.category == "treatment" for m in found)
    assert (linker_cache / "linker" / "test-subset" / "nmslib_index.bin").is_file()  # built once, cached


def test_an_entity_replaces_the_dictionary_mentions_of_its_category_inside_it(small_lexicon, linker_cache, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("LITMINE_CACHE_DIR", str(linker_cache))
    rules = spacy.blank("en")  # a rule-based NER pipeline is a model too: it sets doc.ents
    rules.add_pipe("entity_ruler").add_patterns([{"label": "CANCER", "pattern": "cancer of the ureter"},
                                                 {"label": "CANCER", "pattern": "carcinoma"}])
    rules.to_disk(tmp_path / "rules")
    title, abstract = "Case report", "A 62-year-old man had renal cell carcinoma and cancer of the ureter."

    def mentions(extractor: Extractor) -> set[tuple[str, str, str]]:
        return {(m.text, m.category, m.concept_id) for m in extractor.extract(title, abstract).mentions}

    plain = mentions(Extractor.load(small_lexicon, ner_model=""))
    assert {("cancer", "tumor", CANCER), ("ureter", "anatomy", URETER),
            ("renal cell carcinoma", "tumor", RCC)} <= plain
    with_ner = mentions(Extractor.load(small_lexicon, ner_model=str(tmp_path / "rules")))
    # "cancer of the ureter" is no lexicon term: linked, it replaces "cancer" and keeps "ureter"
    assert ("cancer of the ureter", "tumor", URETER_CANCER) in with_ner
    assert ("cancer", "tumor", CANCER) not in with_ner
    assert ("ureter", "anatomy", URETER) in with_ner
    # "carcinoma" inside the dictionary's "renal cell carcinoma" crosses it: the dictionary's reading stands
    assert ("renal cell carcinoma", "tumor", RCC) in with_ner
    assert not {m for m in with_ner if m[0] == "carcinoma"}


def test_the_model_is_part_of_the_extractor_version(model_dir, small_lexicon):
    version = current_version(small_lexicon, ner_model=str(model_dir))
    assert version.endswith("+ner.en_tiny_ner-0.0.0")
    assert current_version(small_lexicon, ner_model="") == version.split("+ner.")[0]


def test_a_model_that_is_not_there_is_a_clear_error(small_lexicon, tmp_path):
    with pytest.raises(ValueError, match="LITMINE_NER_MODEL=.*not an installed spaCy model or model directory"):
        Extractor.load(small_lexicon, ner_model=str(tmp_path / "no-such-model"))
    spacy.blank("en").to_disk(tmp_path / "no-ner")
    with pytest.raises(ValueError, match="LITMINE_NER_MODEL=.*no component of the model sets entities"):
        Extractor.load(small_lexicon, ner_model=str(tmp_path / "no-ner"))
