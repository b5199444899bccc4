"""litmine's sentencizer against spaCy's own, on real PubMed abstracts."""

from __future__ import annotations

from pathlib import Path

import spacy

from litmine.extract import sentencizer  # noqa: F401  (registers "litmine_sentencizer")
from litmine.parse import read_records
from litmine.record import Paper

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "medline16n0902_update_excerpt.xml.gz"


def test_same_sentences_as_spacys_sentencizer_on_real_abstracts():
    ours, theirs = spacy.blank("en"), spacy.blank("en")
    ours.add_pipe("litmine_sentencizer")
    theirs.add_pipe("sentencizer")
    texts = [f"{p.title}\n\n{p.abstract}" for p in read_records(SAMPLE) if isinstance(p, Paper) and p.abstract]
    assert len(texts) > 500
    for text in texts:
        assert [s.text for s in ours(text).sents] == [s.text for s in theirs(text).sents], text[:80]


def test_sentences_end_at_final_punctuation_and_keep_closing_quotes():
    nlp = spacy.blank("en")
    nlp.add_pipe("litmine_sentencizer")
    doc = nlp('He had "no pain." She had a mass! Was it benign? No')
    assert [s.text for s in doc.sents] == ['He had "no pain."', "She had a mass!", "Was it benign?", "No"]


def test_an_empty_doc_has_no_sentences():
    nlp = spacy.blank("en")
    nlp.add_pipe("litmine_sentencizer")
    assert list(nlp("").sents) == []
