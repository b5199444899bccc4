"""`litmine_lexicon_matcher`: longest-match dictionary lookup over normalized tokens.

A dict keyed by token tuples is built from the pre-tokenized lexicon in well under
a second, where a spaCy PhraseMatcher over the same ~70k terms takes many seconds
to build. Abbreviations that the text defines ("neuroendocrine tumors (NETs)") are
resolved with scispaCy's AbbreviationDetector: every short form takes the concept of
its long form, and a short form the text defines as something the lexicon does not
know is not matched through the lexicon's own acronym list.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from litmine.extract.lexicon import (DEFAULT_DIR, Lexicon, MisspellingIndex, acronym_key, is_drug, load_lexicon,
                                     norm_token)
from litmine.extract.tokens import token_texts

SPAN_KEY = "litmine"
# Surgery is named productively after the organ: -ectomy (removal), -otomy (incision), -ostomy
# (an opening). A word of that form the lexicon lacks ("omentectomy", "ileocecectomy",
# "vaginectomy") is still a treatment: its concept is the procedure word itself.
_PROCEDURE_SUFFIX = r"(?:ectom|otom|ostom)(?:y|ies?)"  # "ie": the plural as norm_token folds it
_PROCEDURE_WORD = re.compile(rf"^[A-Za-z]{{3,}}(?:-[A-Za-z]+)*{_PROCEDURE_SUFFIX}$")
PROCEDURE_PREFIX = "LITMINE:procedure:"


def procedure_id(word: str) -> str:
    return PROCEDURE_PREFIX + re.sub(r"ies$", "y", word.lower())


@Language.factory("litmine_lexicon_matcher", default_config={"lexicon_dir": ""})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str) -> LexiconMatcher:
    return LexiconMatcher(load_lexicon(Path(lexicon_dir) if lexicon_dir else DEFAULT_DIR))


class LexiconMatcher:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # token tries: a forward walk finds the longest term at a token in a few dict lookups
        self.term_trie = _trie(lexicon.terms)
        self.acronym_trie = _trie(lexicon.acronyms)
        # raw first tokens that can open an acronym term ("NET" and its plural "NETs")
        self.acronym_starts = set(self.acronym_trie) | {t + "s" for t in self.acronym_trie}
        self.acronym_depth = max(map(len, lexicon.acronyms), default=1)
        self.misspellings = MisspellingIndex(c.label.lower() for cid, c in lexicon.concepts.items() if is_drug(cid))
        self._token_info: dict[str, tuple[str, bool, tuple[str | None, str | None]]] = {}

    def __call__(self, doc: Doc) -> Doc:
        raw = token_texts(doc)
        info = self._token_info
        if len(info) > 200_000:
            info.clear()
        tokens = [info.get(t) or self._info(t) for t in raw]
        norm = [t[0] for t in tokens]
        abbrevs = self._abbreviations(doc)
        defined_other = abbrevs.get("defined_other", ())
        # most tokens open nothing: walk only those that may (per distinct string, known once)
        starts = [i for i, t in enumerate(tokens) if t[1]]
        if len(abbrevs) > 1:
            starts = sorted({*starts, *(k for k in abbrevs if isinstance(k, int))})
        spans: list[Span] = []
        unsure: set[int] = set()  # tokens where a short drug acronym matched
        term_trie, acronym_trie, acronym_starts = self.term_trie, self.acronym_trie, self.acronym_starts
        done = 0  # tokens before this one are inside a match
        for i in starts:
            if i < done:
                continue
            short = abbrevs.get(i)
            if short is not None:  # a defined short form: its long form decides
                end, hits = short
                for cat, cid in hits.items():
                    spans.append(Span(doc, i, end, label=cat, kb_id=cid))
                done = end
                continue
            length, hits = _longest(term_trie, norm, i) if norm[i] in term_trie else (0, None)
            if raw[i] in acronym_starts:
                acr_length, acr = _longest(acronym_trie, acronym_key(raw[i:i + self.acronym_depth]), 0)
                if acr_length == 1 and raw[i] in defined_other:
                    acr_length = 0  # the text defines this acronym as something else
                if acr_length == 1 and _SHORT_LETTERS.match(raw[i]) and is_drug(acr.get("treatment", "")):
                    unsure.add(i)  # "DIC", "CC", "HHT": kept when the text names the drug in full
                if acr_length > length:
                    length, hits = acr_length, acr
                elif acr_length == length and acr_length:
                    hits = {**hits, **acr}
            if not length:  # a word the lexicon lacks that still names a concept
                category, concept = tokens[i][2]
                if category == "level":
                    concept = self._spinal_level(raw, norm, i)
                    category = "anatomy"
                if concept:
                    spans.append(Span(doc, i, i + 1, label=category, kb_id=concept))
                done = i + 1
                continue
            for cat, cid in hits.items():
                spans.append(Span(doc, i, i + length, label=cat, kb_id=cid))
            done = i + length
        if unsure:
            spans = _named_in_full(spans, unsure)
        doc.spans[SPAN_KEY] = _named_by_site(doc, self._coordinated(doc, spans, norm), norm, self.lexicon.terms)
        return doc

    def _info(self, raw: str) -> tuple[str, bool, tuple[str | None, str | None]]:
        """(normalized form, whether a mention can start at a token of this string, and the
        (category, concept) the word names alone when no lexicon term starts there)."""
        norm = norm_token(raw)
        if _PROCEDURE_WORD.match(raw):  # "omentectomy", "salpingo-oophorectomy": see PROCEDURE
            alone = ("treatment", procedure_id(raw))
        elif (drug := self._foreign_spelling(norm) or self._misspelled_drug(norm)) is not None:
            alone = ("treatment", drug)
        elif raw in _LEVELS:
            alone = ("level", None)  # a vertebra after "of / at / to": see _spinal_level
        else:
            alone = (None, None)
        opens = norm in self.term_trie or raw in self.acronym_starts or alone[0] is not None
        info = self._token_info[raw] = (norm, opens, alone)
        return info

    def _foreign_spelling(self, word: str) -> str | None:
        """A drug name with a Romance ending the lexicon lacks: "gosereline", "tamoxifeno",
        "docetaxele" name goserelin, tamoxifen, docetaxel (one-word treatment terms only)."""
        if len(word) < 7 or word[-1] not in "aeo" or not word.isalpha():
            return None
        hits = self.lexicon.terms.get((word[:-1],))
        return hits.get("treatment") if hits else None

    def _misspelled_drug(self, word: str) -> str | None:
        """A drug name one edit off ("pacitaxel", "methothexate", "flourouracil"), unless the word
        names another drug ("methoxamine" is no "methoxyamine": the lexicon's lookalikes)."""
        name = self.misspellings.lookup(word) if word not in self.lexicon.lookalikes else None
        return self.lexicon.terms.get((name,), {}).get("treatment") if name else None

    def _spinal_level(self, raw: list[str], norm: list[str], i: int) -> str | None:
        """"at the level of T5", "metastasis to L3": the vertebra of a bare spinal level ("T5
        vertebra" is a lexicon term), read as one only after "of / at / to / in / involving"."""
        before = norm[i - 2] if i >= 2 and norm[i - 1] == "the" else norm[i - 1] if i else ""
        return self.lexicon.terms.get(_SPINE[raw[i][0]], {}).get("anatomy") if before in _LEVEL_BEFORE else None

    def _coordinated(self, doc: Doc, spans: list[Span], norm: list[str]) -> list[Span]:
        """"supraclavicular and axillary lymph nodes": a word before "and / or" that, with the head of
        the site term after it, is a site term itself shares that head (a mention of its own)."""
        extra, replaced = [], set()
        for s in spans:
            i = s.start
            if s.label_ != "anatomy" or s.end - i < 2 or i < 2 or norm[i - 1] not in ("and", "or", ","):
                continue
            term = self.lexicon.terms.get((norm[i - 2], *norm[i + 1:s.end]), {}).get("anatomy")
            if term is not None and term != s.kb_id_:
                extra.append(Span(doc, i - 2, i - 1, label="anatomy", kb_id=term))
                replaced.add(i - 2)
        if not extra:
            return spans
        kept = [s for s in spans if not (s.label_ == "anatomy" and s.start in replaced and s.end == s.start + 1)]
        return sorted(kept + extra, key=lambda x: (x.start, x.end))

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
        toks = [t for t in token_texts(span.doc)[span.start:span.end] if not t.isspace()]
        for start in range(len(toks)):
            hits = self.lexicon.terms.get(tuple(norm_token(t) for t in toks[start:]))
            if hits:
                return dict(hits)
        return {}


_SPECIFIC = re.compile(rf"(?:{_PROCEDURE_SUFFIX}|dissection)$")  # a procedure a site before it can name
_REMOVAL = ("excision", "dissection", "resection")  # generic words; in the order the lexicon is asked
# spinal levels C1-C7, T3-T12 (T1, T2: MRI sequences and tumor stages far more often), L1-L5, S1-S5
_SPINE = {"C": ("cervical", "vertebra"), "T": ("thoracic", "vertebra"), "L": ("lumbar", "vertebra"),
          "S": ("sacral", "vertebra")}
_LEVELS = frozenset([f"C{n}" for n in range(1, 8)] + [f"T{n}" for n in range(3, 13)] +
                    [f"L{n}" for n in range(1, 6)] + [f"S{n}" for n in range(1, 6)])
_LEVEL_BEFORE = frozenset({"of", "at", "to", "in", "involving"})
# procedures named after a part any of several organs has: the site before says which organ's
# ("hepatic lobectomy" is no pneumonectomy, "thyroid segmentectomy" no lung surgery)
_PART_PROCEDURES = frozenset({"lobectomy", "lobectomie", "segmentectomy", "segmentectomie"})


# DrugBank's letter-only abbreviations of three letters or less are other things in clinical text more
# often than not ("DIC" is dacarbazine and disseminated intravascular coagulation, "CC" cholecalciferol
# and cholangiocarcinoma, "HHT" omacetaxine and a telangiectasia): defined ones are read by their
# definition; others count only when the text also names the drug in full
_SHORT_LETTERS = re.compile(r"^[A-Za-z]{2,3}$")


def _named_in_full(spans: list[Span], unsure: set[int]) -> list[Span]:
    def doubtful(s: Span) -> bool:
        return s.start in unsure and s.end == s.start + 1 and s.label_ == "treatment"
    named = {s.kb_id_ for s in spans if not doubtful(s)}
    return [s for s in spans if not doubtful(s) or s.kb_id_ in named]


def _named_by_site(doc: Doc, spans: list[Span], norm: list[str],
                   terms: dict[tuple[str, ...], dict[str, str]]) -> list[Span]:
    """A site right before a specific procedure names which one it is ("para-aortic
    lymphadenectomy", "axillary dissection", "inguinal lymph node dissection"): the two become one
    treatment mention, and the site is not a site of disease. A bare "dissection" after a site
    is such a procedure too, and so is a generic "resection" or "excision": the site's own procedure
    when the lexicon names one ("lymph node resection" is a lymph node excision), else the generic one
    as worded ("rib resection"). A site right before any other treatment is its route or target
    ("oral lenvatinib", "pelvic radiotherapy"), not a site of disease either."""
    by_end = {s.end: s for s in spans if s.label_ == "anatomy"}
    if not by_end:
        return spans
    out, used = [], set()
    extra = []
    if "dissection" in norm:  # rare: the token walk below is skipped for most documents
        covered = {i for s in spans for i in range(s.start, s.end)}
        extra = [Span(doc, s.end, s.end + 1, label="treatment", kb_id=PROCEDURE_PREFIX + "dissection")
                 for s in by_end.values() if s.end < len(norm) and norm[s.end] == "dissection" and s.end not in covered]
    for s in sorted([*spans, *extra], key=lambda x: (x.start, x.end)) if extra else spans:
        site = by_end.get(s.start)
        if s.label_ != "treatment" or site is None:
            out.append(s)
            continue
        used.add((site.start, site.end))  # the procedure's site, or the route or target: "oral lenvatinib"
        kb_id = _procedure_on(doc, site, s, norm, terms)
        out.append(Span(doc, site.start, s.end, label="treatment", kb_id=kb_id) if kb_id else s)
    return [s for s in out if not (s.label_ == "anatomy" and (s.start, s.end) in used)]


def _procedure_on(doc: Doc, site: Span, s: Span, norm: list[str],
                  terms: dict[tuple[str, ...], dict[str, str]]) -> str | None:
    """The concept of the procedure a site names together with the treatment after it, or None when
    the site is only the treatment's route or target."""
    if _SPECIFIC.search(norm[s.end - 1]):
        if s.kb_id_ == PROCEDURE_PREFIX + "dissection" or norm[s.end - 1] in _PART_PROCEDURES:
            return procedure_id(doc[site.start:s.end].text)
        return s.kb_id_
    if s.end - s.start == 1 and norm[s.start] in _REMOVAL:
        key = tuple(norm[site.start:site.end])
        return next((hits["treatment"] for word in _REMOVAL
                     if "treatment" in (hits := terms.get((*key, word), {}))), s.kb_id_)
    return None


def _trie(table: dict[tuple[str, ...], dict[str, str]]) -> dict:
    """Nested dicts, one level per token; the key None holds a complete term's hits."""
    root: dict = {}
    for key, hits in table.items():
        node = root
        for token in key:
            node = node.setdefault(token, {})
        node[None] = hits
    return root


def _longest(trie: dict, tokens: list[str], start: int) -> tuple[int, dict[str, str] | None]:
    """Length and hits of the longest term that starts at tokens[start]; (0, None) if none."""
    node, best, hits = trie, 0, None
    for j in range(start, len(tokens)):
        node = node.get(tokens[j])
        if node is None:
            break
        found = node.get(None)
        if found is not None:
            best, hits = j + 1 - start, found
    return best, hits
