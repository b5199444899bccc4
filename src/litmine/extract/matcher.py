"""`litmine_lexicon_matcher`: longest-match dictionary lookup over normalized tokens.

A dict keyed by token tuples is built from the pre-tokenized lexicon in well under
a second, where a spaCy PhraseMatcher over the same ~70k terms takes many seconds
to build. Abbreviations that the text defines ("neuroendocrine tumors (NETs)") are
resolved with scispaCy's AbbreviationDetector: every short form takes the concept of
its long form, and a short form the text defines as something the lexicon does not
know is not matched through the lexicon's own acronym list.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from litmine.extract.lexicon import DEFAULT_DIR, Lexicon, acronym_key, load_lexicon, norm_token
from litmine.extract.tokens import token_texts

SPAN_KEY = "litmine"


@Language.factory("litmine_lexicon_matcher", default_config={"lexicon_dir": ""})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str) -> LexiconMatcher:
    return LexiconMatcher(load_lexicon(Path(lexicon_dir) if lexicon_dir else DEFAULT_DIR))


class LexiconMatcher:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # longest term length per first token: most tokens start no term at all
        self.first = _longest_by_first(lexicon.terms)
        self.first_acronym = _longest_by_first(lexicon.acronyms)
        # raw first tokens that can open an acronym term ("NET" and its plural "NETs")
        self.acronym_starts = set(self.first_acronym) | {t + "s" for t in self.first_acronym}
        self._norm_cache: dict[str, str] = {}

    def __call__(self, doc: Doc) -> Doc:
        raw, is_space = token_texts(doc)
        cache = self._norm_cache
        if len(cache) > 200_000:
            cache.clear()
        norm = [cache.get(t) or cache.setdefault(t, norm_token(t)) for t in raw]
        spans: list[Span] = []
        terms, acronyms = self.lexicon.terms, self.lexicon.acronyms
        first, first_acronym = self.first, self.first_acronym
        abbrevs = self._abbreviations(doc)
        defined_other = abbrevs.get("defined_other", ())
        n = len(raw)
        # only tokens that can start a term are examined (a set test per token, in C)
        starts = {i for i, t in enumerate(norm) if t in first}
        starts.update(i for i, t in enumerate(raw) if t in self.acronym_starts)
        starts.update(k for k in abbrevs if isinstance(k, int))
        covered = 0  # tokens before this index belong to an earlier match
        for i in sorted(starts):
            if i < covered or is_space[i]:
                continue
            short = abbrevs.get(i)
            if short is not None:  # a defined short form: its long form decides
                end, hits = short
                for cat, cid in hits.items():
                    spans.append(Span(doc, i, end, label=cat, kb_id=cid))
                covered = end
                continue
            longest = first.get(norm[i], 0)
            longest_acronym = first_acronym.get(acronym_key(raw[i:i + 1])[0], 0) if raw[i] in self.acronym_starts \
                else 0
            for length in range(min(max(longest, longest_acronym), n - i), 0, -1):
                hits = terms.get(tuple(norm[i:i + length])) if length <= longest else None
                acr = acronyms.get(acronym_key(raw[i:i + length])) if length <= longest_acronym else None
                if acr and length == 1 and raw[i] in defined_other:
                    acr = None  # the text defines this acronym as something else
                if hits or acr:
                    merged = {**(hits or {}), **(acr or {})}
                    for cat, cid in merged.items():
                        spans.append(Span(doc, i, i + length, label=cat, kb_id=cid))
                    covered = i + length
                    break
        doc.spans[SPAN_KEY] = spans
        return doc

    def _abbreviations(self, doc: Doc) -> dict:
        """Token index of each short-form occurrence -> (end, {category: concept}) of its
        long form; key "defined_other": short forms defined as something unknown."""
        if not Doc.has_extension("abbreviations") or not doc._.abbreviations:
            return {}
        out: dict = {}
        unknown: set[str] = set()
        for short in doc._.abbreviations:
            hits = self.long_form_concepts(short._.long_form)
            if hits:
                out[short.start] = (short.end, hits)
            else:
                unknown.add(short.text)
        out["defined_other"] = unknown
        return out

    def long_form_concepts(self, span: Span) -> dict[str, str]:
        """Concepts of a long form: the longest lexicon term that ends the span
        ("peptide receptor radionuclide therapy", "well-differentiated neuroendocrine tumors")."""
        toks = [t.text for t in span if not t.is_space]
        for start in range(len(toks)):
            hits = self.lexicon.terms.get(tuple(norm_token(t) for t in toks[start:]))
            if hits:
                return dict(hits)
        return {}




def _longest_by_first(table: dict[tuple[str, ...], dict[str, str]]) -> dict[str, int]:
    longest: dict[str, int] = {}
    for key in table:
        if longest.get(key[0], 0) < len(key):
            longest[key[0]] = len(key)
    return longest
