"""A Doc's text, token strings and sentences as plain Python values, computed once per document.

Iterating a Doc creates a Python Token object per token, and `doc.text` does that on every call
(60 us per abstract); at a thousand abstracts per second per core that dominates. The ORTH hashes
from `doc.to_array`, looked up in the string store, give the token strings three times faster.
Ask `to_array` for one attribute at a time: a list of two costs 20x more here."""

from __future__ import annotations

from spacy.attrs import IDX, ORTH, SENT_START
from spacy.tokens import Doc

_KEY = "litmine_token_texts"


def token_texts(doc: Doc) -> list[str]:
    """The text of every token, cached in doc.user_data."""
    cached = doc.user_data.get(_KEY)
    if cached is None:
        strings = doc.vocab.strings
        cached = doc.user_data[_KEY] = [strings[h] for h in doc.to_array(ORTH).tolist()]
    return cached


TEXT = "litmine_text"  # a Doc's maker that knows the text can store it here


def doc_text(doc: Doc) -> str:
    """`doc.text`, cached in doc.user_data."""
    cached = doc.user_data.get(TEXT)
    if cached is None:
        cached = doc.user_data[TEXT] = doc.text
    return cached


_STARTS = "litmine_token_starts"


def token_starts(doc: Doc) -> list[int]:
    """Each token's character offset, read once per document (`token.idx` builds a Token)."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = doc.to_array(IDX).tolist()
    return starts


def char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """(start_char, end_char) of tokens start..end, as `Span.start_char/end_char` without Tokens."""
    texts = token_texts(doc)
    starts = token_starts(doc)
    return starts[start], starts[end - 1] + len(texts[end - 1])


def span_text(doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text` without building the Span's tokens."""
    if end <= start:
        return ""
    a, b = char_span(doc, start, end)
    return doc_text(doc)[a:b]


_SENTS = "litmine_sentences"


def sentences(doc: Doc) -> list[tuple[int, int, int, int]]:
    """(start, end, start_char, end_char) of every sentence, computed once per document."""
    cached = doc.user_data.get(_SENTS)
    if cached is None:
        # as `doc.sents` (a sentence starts at token 0 and at each token flagged 1), without the
        # Span and Token objects that cost 0.15 ms per abstract
        flags = doc.to_array(SENT_START).tolist()
        cuts = [0, *(i for i in range(1, len(flags)) if flags[i] == 1), len(flags)] if flags else []
        cached = doc.user_data[_SENTS] = [(a, b, *char_span(doc, a, b)) for a, b in zip(cuts, cuts[1:])]
    return cached


def sentence_index(doc: Doc) -> list[int]:
    """For each token, the number of its sentence in `sentences(doc)`."""
    key = _SENTS + "_index"
    cached = doc.user_data.get(key)
    if cached is None:
        cached = [0] * len(doc)
        for k, (start, end, _, _) in enumerate(sentences(doc)):
            cached[start:end] = [k] * (end - start)
        doc.user_data[key] = cached
    return cached


def text_before(doc: Doc, start: int, end: int) -> str:
    """The document text from token `start` up to token `end`, with the whitespace before `end`:
    what a regex anchored at `$` sees right before a mention ("MRI of the " + "brain")."""
    if end <= start:
        return ""
    starts = token_starts(doc)
    return doc_text(doc)[starts[start]:starts[end]]
