"""`litmine_ner` (optional): mentions from a trained spaCy / scispaCy NER model, linked to the lexicon.

Set `LITMINE_NER_MODEL` to an installed model package or a model directory (for example
scispaCy's en_ner_bionlp13cg_md, or any spaCy pipeline that sets `doc.ents`, such as an
entity_ruler) and the pipeline adds the model's entities that the
dictionary missed: each is mapped to a litmine category by its label and linked to a
lexicon concept (`linking.LexiconLinker`); an entity that links to nothing is left out,
because case facts are concepts. A linked entity replaces the dictionary mentions of its
category inside it ("neuroendocrin tumor" over "tumor") and keeps those of other categories
("ureter" in "cancer of the ureter"); one that crosses a dictionary mention's boundary is
left out.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from litmine.extract.matcher import SPAN_KEY
from litmine.extract.tokens import doc_text

if TYPE_CHECKING:
    from litmine.extract.linking import LexiconLinker

# Entity labels of the scispaCy NER models (BioNLP13CG, BC5CDR, CRAFT) and common custom ones.
DEFAULT_LABELS = {
    "CANCER": "tumor", "TUMOR": "tumor", "NEOPLASM": "tumor", "DISEASE": "tumor",
    "ORGAN": "anatomy", "TISSUE": "anatomy", "MULTI_TISSUE_STRUCTURE": "anatomy", "ORGANISM_SUBDIVISION": "anatomy",
    "ANATOMICAL_SYSTEM": "anatomy", "ANATOMY": "anatomy", "UBERON": "anatomy",
    "SIMPLE_CHEMICAL": "treatment", "CHEMICAL": "treatment", "DRUG": "treatment", "TREATMENT": "treatment",
}


def model_identity(model: str) -> str:
    """name-version of a model directory or installed package, for the extractor version."""
    meta = Path(model) / "meta.json"
    if meta.is_file():
        info = json.loads(meta.read_text())
        return f"{info.get('lang', 'xx')}_{info.get('name', 'model')}-{info.get('version', '0')}"
    try:
        return f"{model}-{importlib.metadata.version(model)}"
    except importlib.metadata.PackageNotFoundError:
        return model


@Language.factory("litmine_ner", default_config={"model": "", "lexicon_dir": "", "cache_dir": "",
                                                 "labels": DEFAULT_LABELS, "threshold": 0.9})
def make_ner(nlp: Language, name: str, model: str, lexicon_dir: str, cache_dir: str, labels: dict[str, str],
             threshold: float) -> NerMentions:
    try:
        ner = spacy.load(model)
    except OSError as e:
        raise ValueError(f"LITMINE_NER_MODEL={model!r}: not an installed spaCy model or model directory ({e})") from e
    if not any("doc.ents" in _assigns(ner, name) for name in ner.pipe_names):
        raise ValueError(f"LITMINE_NER_MODEL={model!r}: no component of the model sets entities "
                         f"(it has {ner.pipe_names})")
    from litmine.extract.linking import LexiconLinker  # scikit-learn and nmslib: only with a model (0.6 s)

    return NerMentions(ner, LexiconLinker(Path(lexicon_dir), Path(cache_dir), threshold), labels)


def _assigns(nlp: Language, name: str) -> list[str]:
    try:
        return nlp.get_pipe_meta(name).assigns
    except ValueError:  # a component registered without meta
        return []


class NerMentions:
    def __init__(self, ner: Language, linker: LexiconLinker, labels: dict[str, str]) -> None:
        self.ner, self.linker, self.labels = ner, linker, labels

    def __call__(self, doc: Doc) -> Doc:
        found: dict[str, list[Span]] = {}
        for ent in self.ner(doc_text(doc)).ents:
            category = self.labels.get(ent.label_)
            span = doc.char_span(ent.start_char, ent.end_char, alignment_mode="expand") if category else None
            if span is not None:
                found.setdefault(category, []).append(span)
        if not found:
            return doc
        spans = list(doc.spans.get(SPAN_KEY, []))
        for category, entities in found.items():
            for ent, link in zip(entities, self.linker.link([e.text for e in entities], category)):
                if link is None:
                    continue
                if any(s.start < ent.end and ent.start < s.end and not (ent.start <= s.start and s.end <= ent.end)
                       for s in spans):
                    continue  # overlaps a dictionary mention it does not contain: the dictionary's reading stands
                if any(s.start == ent.start and s.end == ent.end and s.label_ == category for s in spans):
                    continue  # the dictionary found it already
                # the entity is the mention of its category; others inside it stay ("ureter" in "cancer of the ureter")
                spans = [s for s in spans if not (ent.start <= s.start and s.end <= ent.end and s.label_ == category)]
                spans.append(Span(doc, ent.start, ent.end, label=category, kb_id=link[0]))
        doc.spans[SPAN_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
        return doc
