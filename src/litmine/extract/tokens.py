"""Token texts of a Doc as plain strings, computed once per document.

Iterating a Doc creates a Python Token object per token; at thousands of abstracts per second
that dominates. The ORTH hashes from `doc.to_array`, looked up in the string store, give the same
strings three times faster (measured: 0.05 vs 0.15 ms per abstract for offset slicing)."""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH, ORTH, SENT_START
from spacy.tokens import Doc

_KEY = "litmine_token_texts"


def token_texts(doc: Doc) -> tuple[list[str], list[bool]]:
    """(texts, is_space) for every token, cached in doc.user_data."""
    cached = doc.user_data.get(_KEY)
    if cached is None:
        strings = doc.vocab.strings
        texts = [strings[h] for h in doc.to_array(ORTH).tolist()]
        cached = (texts, [t.isspace() for t in texts])
        doc.user_data[_KEY] = cached
    return cached


_SENTS = "litmine_sentences"


def sentences(doc: Doc) -> list[tuple[int, int, int, int]]:
    """(start, end, start_char, end_char) of every sentence, computed once per document."""
    cached = doc.user_data.get(_SENTS)
    if cached is None:
        flags = doc.to_array([SENT_START]).tolist()
        arr = doc.to_array([IDX, LENGTH]).tolist()
        starts = [0] + [i for i in range(1, len(flags)) if flags[i] == 1]
        ends = starts[1:] + [len(flags)]
        cached = [(a, b, arr[a][0], arr[b - 1][0] + arr[b - 1][1]) for a, b in zip(starts, ends) if b > a]
        doc.user_data[_SENTS] = cached
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
