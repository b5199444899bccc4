"""litmine's sentencizer against spaCy's own, on real PubMed abstracts."""

from __future__ import annotations

import spacy

from litmine.extract import sentencizer  # noqa: F401  (registers "litmine_sentencizer")


def test_same_sentences_as_spacys_sentencizer_on_real_abstracts(real_abstracts):
    ours, theirs = spacy.blank("en"), spacy.blank("en")
    ours.add_pipe("litmine_sentencizer")
    theirs.add_pipe("sentencizer")
    for text in real_abstracts:
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


def test_sentence_bounds_read_from_arrays_equal_spacys_sents(real_abstracts):
    from litmine.extract.pipeline import Extractor
    from litmine.extract.tokens import sentences

    extractor = Extractor.load()
    docs = [extractor.nlp(extractor.make_doc(text[:60], text)) for text in real_abstracts]
    docs.append(extractor.nlp(extractor.make_doc("", "")))
    for doc in docs:
        assert sentences(doc) == [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]

