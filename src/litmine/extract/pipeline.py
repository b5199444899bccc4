"""The extraction pipeline: title + abstract in, case facts and mentions out.

    extractor = Extractor.load()
    result = extractor.extract(title, abstract)

The spaCy pipeline is blank English + spaCy's sentencizer (`litmine_sentencizer`) + scispaCy's
AbbreviationDetector (`litmine_abbreviations`) + `litmine_lexicon_matcher` (+ `litmine_ner` when an
NER model is configured) + `litmine_context`; `assemble` turns the annotated Doc into plain
dataclasses, so workers in other processes return picklable values, never Docs.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from litmine.extract import abbreviation as _abbreviation  # noqa: F401  (registers "litmine_abbreviations")
from litmine.extract import context as _context  # noqa: F401  (registers "litmine_context")
from litmine.extract import ner as _ner  # noqa: F401  (registers "litmine_ner")
from litmine.extract import sentencizer as _sentencizer  # noqa: F401  (registers "litmine_sentencizer")
from litmine.extract.assemble import Extraction, assemble
from litmine.extract.lexicon import DEFAULT_DIR, load_lexicon
from litmine.extract.ner import model_identity
from litmine.extract.tokens import TEXT, token_starts
from litmine.settings import get_settings

# Bump when extraction rules change: stored results of older versions get re-extracted.
RULES_VERSION = "13"
# Publishers' typeset punctuation read as its ASCII form, one character for one, so every offset
# into the text stays true: "non\u2011small" must tokenize as "non-small" does, not stay one word.
TYPESET = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"), **dict.fromkeys("\u201c\u201d\u201e\u2033", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"), **dict.fromkeys("\u00a0\u2002\u2003\u2009\u202f", " "),
})
# Extraction reads at most this much of a title and an abstract (docs/extraction.md).
MAX_TITLE_CHARS = 5_000
MAX_ABSTRACT_CHARS = 100_000


def current_version(lexicon_dir: Path | None = None, ner_model: str | None = None) -> str:
    """The version `Extractor.load(lexicon_dir, ner_model).version` will have, without loading it."""
    path = (lexicon_dir or DEFAULT_DIR) / "VERSION"
    version = f"{RULES_VERSION}+lex.{path.read_text().strip() if path.exists() else 'dev'}"
    ner_model = ner_model if ner_model is not None else get_settings().litmine_ner_model
    return f"{version}+ner.{model_identity(ner_model)}" if ner_model else version


_LINE_BREAK = re.compile(r"\s*\n\s*")
_LETTERS_ONLY = re.compile(r"[A-Za-z]+\Z")


class Extractor:
    """Use one per thread or process (spaCy does not promise that a pipeline is thread-safe);
    the lexicon they load is shared."""

    def __init__(self, nlp: Language, lexicon_dir: Path, ner_model: str | None = None) -> None:
        self.nlp = nlp
        self.lexicon_dir, self.ner_model = lexicon_dir, ner_model  # what a worker process loads to match
        self.lexicon = load_lexicon(lexicon_dir)
        self.version = current_version(lexicon_dir, ner_model or "")

    @classmethod
    def load(cls, lexicon_dir: Path | None = None, ner_model: str | None = None) -> Extractor:
        """`ner_model` (default: LITMINE_NER_MODEL) adds a trained NER model's linked entities."""
        lexicon_dir = lexicon_dir or DEFAULT_DIR
        settings = get_settings()
        ner_model = ner_model if ner_model is not None else settings.litmine_ner_model
        nlp = spacy.blank("en")
        # a larger tokenizer cache: abstracts share most of their vocabulary
        nlp.tokenizer.max_cache_size = 100_000
        # A word of ASCII letters alone is one token: no English prefix, suffix or infix rule can split
        # it (each needs punctuation, a digit or a symbol), and special cases ("cannot") still apply.
        # Saying so up front spares such a word the affix searches: 41% of the new words of 1,500
        # BC5CDR abstracts, 27% of the tokenizer's first pass over them.
        nlp.tokenizer.token_match = _LETTERS_ONLY.match
        # each new word becomes a lexeme with every lexical attribute computed by a Python call (a
        # quarter of the tokenizer's time on unseen text, all of them); the components read only these two
        getters = nlp.vocab.lex_attr_getters
        nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in (IS_PUNCT, IS_SPACE)}
        nlp.add_pipe("litmine_sentencizer")
        nlp.add_pipe("litmine_abbreviations")
        nlp.add_pipe("litmine_lexicon_matcher", config={"lexicon_dir": str(lexicon_dir)})
        if ner_model:
            nlp.add_pipe("litmine_ner", config={"model": ner_model, "lexicon_dir": str(lexicon_dir),
                                                "cache_dir": str(settings.litmine_cache_dir)})
        nlp.add_pipe("litmine_context")
        extractor = cls(nlp, lexicon_dir, ner_model)
        # The lexicon and tries are millions of long-lived objects that every full pass of the cyclic
        # garbage collector walks again (0.1-0.15 s each, about once per 1,500 abstracts). Collected
        # once now, what lives is set apart from later passes (it is still freed by reference counting).
        gc.collect()
        gc.freeze()
        return extractor

    def make_doc(self, title: str, abstract: str) -> Doc:
        # Abstracts run to a few thousand characters; a longer text is a full text or garbage, and
        # spaCy refuses a million. Facts are read from the first part; the paper is stored whole.
        title = (title or "").strip()[:MAX_TITLE_CHARS]
        abstract = (abstract or "").strip()[:MAX_ABSTRACT_CHARS]
        text = (f"{title}\n\n{abstract}" if abstract else title).translate(TYPESET)
        doc = self.nlp.make_doc(text)
        doc.user_data[TEXT] = text
        doc.user_data["title_end"] = len(title)
        doc.user_data["abstract_start"] = len(title) + 2 if abstract else len(title)
        # the title and each structured-abstract section are sentences of their own: the token after
        # a run of white space with a line break (a white-space token of its own) starts one
        if "\n" in text:
            starts = token_starts(doc)
            for m in _LINE_BREAK.finditer(text):
                i = bisect_left(starts, m.end())
                if 0 < i < len(starts) and starts[i] == m.end():
                    doc[i].is_sent_start = True
        return doc

    def mentions_in(self, text: str) -> list[tuple[int, int, str, str]]:
        """Dictionary mentions of any text (no roles): (start, end, category, concept_id)."""
        from litmine.extract.matcher import SPAN_KEY

        doc = self.nlp(text)
        return [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans[SPAN_KEY]]

    def extract(self, title: str, abstract: str) -> Extraction:
        return next(self.extract_many([(title, abstract)]))

    def extract_many(self, texts: Iterable[tuple[str, str]], batch_size: int = 256) -> Iterator[Extraction]:
        # Component by component over a batch, not document by document through all components
        # as nlp.pipe does for components without .pipe: 15% faster here (each stays hot in cache).
        for batch in minibatch(texts, batch_size):
            docs = [self.make_doc(title, abstract) for title, abstract in batch]
            for _, component in self.nlp.pipeline:
                docs = [component(doc) for doc in docs]
            for doc in docs:
                yield assemble(doc, self.lexicon)
