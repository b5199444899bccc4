"""`litmine_sentencizer`: spaCy's rule-based Sentencizer, reading token strings, not Tokens.

spaCy's `Sentencizer.predict` walks the Doc as Python Token objects (0.08 ms per abstract,
the largest cost under the profiler). This subclass runs the same rule over the token strings
and the IS_PUNCT column, and keeps spaCy's `set_annotations`, so its boundaries are spaCy's
(tests/test_sentencizer.py compares both on real abstracts).
"""

from __future__ import annotations

import re

from spacy.attrs import IS_PUNCT
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from litmine.extract.tokens import token_texts


@Language.factory("litmine_sentencizer", assigns=["token.is_sent_start", "doc.sents"])
def make_sentencizer(nlp: Language, name: str) -> FastSentencizer:
    return FastSentencizer(name)


class FastSentencizer(Sentencizer):
    def predict(self, docs: list[Doc]) -> list[list[bool]]:
        # spaCy's rule: after a sentence-final character ("p"), the next token that is neither one nor
        # other punctuation ("q") starts a sentence. As a regex over one letter per token, not a loop.
        guesses = []
        punct_chars = self.punct_chars
        for doc in docs:
            texts = token_texts(doc)
            is_punct = doc.to_array(IS_PUNCT).tolist()
            code = "".join(["p" if t in punct_chars else "q" if f else "w" for t, f in zip(texts, is_punct)])
            starts = [False] * len(texts)
            if texts:
                starts[0] = True
            for m in _AFTER_FINAL.finditer(code):
                starts[m.end()] = True
            guesses.append(starts)
        return guesses


_AFTER_FINAL = re.compile(r"p[pq]*(?=w)")
