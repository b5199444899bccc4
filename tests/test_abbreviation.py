"""litmine's abbreviation detector against scispaCy's own, on real PubMed abstracts."""

from __future__ import annotations

import warnings

import spacy
from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers "abbreviation_detector")
from spacy.matcher import Matcher
from spacy.tokens import Doc

from litmine.extract import abbreviation  # noqa: F401  (registers "litmine_abbreviations")
from litmine.extract.abbreviation import parenthesized


def found(nlp, text: str) -> list[tuple]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scispaCy's empty global matcher warns on every doc
        doc = nlp(text)
    return sorted((s.start, s.end, s.text, s._.long_form.start, s._.long_form.end, s._.long_form.text)
                  for s in doc._.abbreviations)


def test_same_abbreviations_as_scispacy_on_real_abstracts(real_abstracts):
    ours, theirs = spacy.blank("en"), spacy.blank("en")
    ours.add_pipe("litmine_abbreviations")
    theirs.add_pipe("abbreviation_detector")
    defined = 0
    for text in real_abstracts:
        expected = found(theirs, text)
        assert found(ours, text) == expected, text[:80]
        defined += bool(expected)
    assert defined > 100  # the comparison covered many abstracts that define abbreviations


def test_abbreviations_are_in_document_order():
    nlp = spacy.blank("en")
    nlp.add_pipe("litmine_abbreviations")
    doc = nlp("Renal cell carcinoma (RCC) and neuroendocrine tumors (NETs) in RCC and NETs differ. RCC again.")
    assert [(s.text, s._.long_form.text) for s in doc._.abbreviations] == [
        ("RCC", "Renal cell carcinoma"), ("NETs", "neuroendocrine tumors"), ("RCC", "Renal cell carcinoma"),
        ("NETs", "neuroendocrine tumors"), ("RCC", "Renal cell carcinoma")]


def test_parenthesized_spans_nest_and_overlap_like_spacys_matcher():
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    matcher.add("parenthesis", [[{"ORTH": "("}, {"OP": "+"}, {"ORTH": ")"}]])  # scispaCy's pattern
    words = "a ( b ( c ) d ) ( ) ) e (".split()
    expected = [(start, end) for _, start, end in matcher(Doc(nlp.vocab, words=words))]
    assert len(expected) == 9  # nested and overlapping ones included
    assert parenthesized(words) == expected
