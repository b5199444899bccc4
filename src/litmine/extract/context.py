"""`litmine_context`: whose fact is a mention, and is it asserted?

Case-report abstracts mix the patient's story with background ("RCC frequently
metastasizes to lung and bone"), literature review and recommendations. Each
sentence gets a role: title, patient, background or recommendation. Each mention
gets ConText-style flags from trigger words in its clause: negated ("no
chemotherapy", "refused"), hedged ("suspicious for", "suggesting"), planned
("was planned", "referred for"), and differential ("mimicking", "differential
diagnosis"). The rules follow the annotation guidelines in shared/eval/GUIDELINES.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from litmine.extract.matcher import SPAN_KEY
from litmine.extract.tokens import char_span, doc_text, sentence_index, sentences

ROLES = ("title", "patient", "background", "recommendation")

_PATIENT = re.compile(
    r"\b(patient|a \d+[- ]?(?:year|yr)s?[- ]?old|\d+[- ]year[- ]old|year[- ]old|man|woman|male|female|"
    r"boy|girl|gentleman|lady|he|she|his|her|him|we (?:report|present|describe)|this (?:report|case)|"
    r"(?:two|three|four|both|these|our|the two|all (?:three|four)) patients|"
    r"our (?:case|patient)|case of|both cases|first case|second case|case \d|index case)\b")
_NARRATIVE = re.compile(
    r"\b(was|were|had|underwent|received|presented|developed|showed|revealed|demonstrated|complained|"
    r"noted|found|performed|treated|diagnosed|admitted|started|given|administered|removed|resolved|"
    r"excised|resected|confirmed|detected|identified|achieved|responded|died|remained|is alive|underwent|"
    r"led to|required|began|completed|continued|tolerated|experienced|showed|displayed|exhibited)\b")
_BACKGROUND = re.compile(
    r"\b((?:is|are) (?:known|considered|characterized|defined|described|reported|thought|believed|regarded|"
    r"associated|seen|observed)|commonly|frequently|usually|typically|generally|often|most common(?:ly)?|"
    r"rarely|rare|uncommon|infrequent(?:ly)?|classically|predominantly|incidence|prevalence|literature|"
    r"previously (?:reported|described)|reported cases|cases (?:have been|were) reported|review|"
    r"to (?:our|the best of our) knowledge|only \w+ cases|accounts? for|accounting for|"
    r"(?:can|may|might|could|tend to|tends to) (?:metastasi[sz]e|spread|involve|occur|arise|present|develop)|"
    r"common sites?|typical (?:sites?|pattern)|sites? of metasta\w+|majority of|in general|"
    r"(?:is|are) (?:a|an) (?:\w+ ){0,3}(?:tumou?r|neoplasm|malignan\w+|cancer|carcinoma|sarcoma|disease|entity)|"
    r"(?:has|have) (?:been )?(?:shown|demonstrated|proven|proposed|suggested) (?:to|that|as|in|efficacy|benefit))")
# a sentence about a population: "Patients treated with X achieved...", "Most cases were..."
_POPULATION_SUBJECT = re.compile(
    r"^\W*(?:(?:most|many|some|other|several|previous|previously reported|reported|similar|such) )?"
    r"(?:patients|cases|individuals|subjects|people|men|women|children|adults)\b(?!\s*\d)")
# wording that makes a sentence a recommendation even when it is in the past tense
_RECOMMEND_STRONG = re.compile(
    r"\b(other options|treatment options?|therapeutic options?|preferred (?:treatment|therapy|option)|"
    r"of choice|mainstay|should be|is recommended|are recommended|we recommend|we propose|we suggest|"
    r"standard of care|(?:may|might|could) be (?:a |an )?(?:effective|useful|beneficial|considered|treated)|"
    r"there (?:may|might|could) be|other patients|future patients|such patients|treatment plans?|"
    r"(?:currently|commonly) available|available (?:treatments?|therapies|therapeutic))\b")
_RECOMMEND = re.compile(
    r"\b(should|recommended|we recommend|options? (?:include|are)|treatment options|we propose|we suggest|"
    r"is warranted|must be|(?:may|might|could|can) be (?:an? )?(?:effective|useful|considered|beneficial|used|"
    r"treated|offered)|there is no consensus|optimal (?:management|treatment|therapy)|treatment of choice|"
    r"mainstay|standard (?:of care|treatment|therapy)|we discuss|is discussed|are discussed|"
    r"management (?:includes|consists)|possible effective option)\b")

# Section headings, inline ("Clinical discussion: ...") or as PubMed labels ("Background: ...").
_SECTION = re.compile(
    r"^\W*(?P<case>case (?:presentation|report|reports|description|summary|details|history|series)s?|"
    r"cases? presentations?|clinical (?:case|presentation|findings)|patient (?:concerns|presentation)|"
    r"materials? and methods?|"
    r"case|findings|results|diagnos[ie]s|interventions?|outcomes?|treatment|methods?)\b"
    r"|^\W*(?P<general>background|introduction(?: and importance)?|discussion|clinical discussion|"
    r"conclusions?|lessons?|objectives?|purpose|aims?|importance|rationale|summary|relevance)\b")
_PRESENT_GENERIC = re.compile(r"\b(is|are|includes?|remains|has|have|can|may|tends?|occurs?|affects?|represents?|"
                              r"ranges?|requires?|depends?|varies|vary)\b")
_NEGATION_PRE = re.compile(
    r"\b(no|not|without|absence of|negative for|free of|ruled out|ruling out|rules? out|denied|never|neither|"
    r"nor|no evidence of|did not (?:receive|undergo|accept|have)|refused|declined|rejected|instead of|rather than|"
    r"unremarkable|lack of|excluded)\b")
# "non-umbilical", "non-surgical": the prefix denies the word it is attached to, nothing further
_NON_BEFORE = re.compile(r"\bnon-?\s?$", re.I)
_NEGATION_POST = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:was|were) (?:negative|ruled out|not|absent|excluded|refused|declined|"
    r"unremarkable|normal|withheld)\b")
_HEDGE_PRE = re.compile(
    r"\b(suspected|suspicious(?: for| of)?|suspicion of|possible|possibly|probable|probably|likely|"
    r"suggest(?:ing|ive|ed)?(?: of)?|could be|may be|might be|cannot be excluded|questionable|indeterminate|"
    r"enlarged|equivocal|concerning for|uptake)\b")
_HEDGE_POST = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:(?:was|were|is|are) )?(?:suspected|suspicious|possibl[ey]|"
                         r"probabl[ey]|likely|suggest(?:ing|ive)|indeterminate|equivocal)\b")
_PLANNED = re.compile(
    r"\b(planned|plan|scheduled|recommended|offered|referred (?:for|to)|candidate for|will (?:receive|undergo|"
    r"be)|would|was proposed|advised|to undergo|consider(?:ed)?|eligible for|awaiting|pending|"
    r"(?:assessed|evaluated|screened|worked up) for)\b")
_PLANNED_POST = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:(?:was|were|is|are) (?:planned|scheduled|recommended|offered|"
                           r"proposed|considered|advised|refused|declined)|could (?:not )?(?:be )?(?:started|given|"
                           r"initiated|administered|performed|completed))\b")
_DIFFERENTIAL = re.compile(
    r"\b(mimic\w*|differential diagnos\w+|misdiagnos\w+|masquerad\w+|simulat\w+|resembl\w+|"
    r"pseudotumou?r|initially (?:diagnosed|thought|considered) as|mistaken for)\b")
# a new clause: a subject or a verb of its own after "and" ("..., and she received", "and opted for")
_CLAUSE_BREAK = re.compile(r"[;:]|\b(but|however|although|whereas|while|which|who|after|then)\b|"
                           r"\band (?:she|he|they|we|the patient|instead|subsequently|later|opted|chose|elected|"
                           r"was|were|underwent|received|started|began)\b")


def _any_of(*patterns: re.Pattern) -> re.Pattern:
    """A pattern that matches where any of them does: one scan tells whether any can match."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))


# Most sentences have no negation, hedge, plan or differential cue, and most have no
# recommendation or background cue: one scan rules those out before the separate ones run.
_ANY_TRIGGER = _any_of(_NEGATION_PRE, _HEDGE_PRE, _PLANNED, _DIFFERENTIAL)
_ANY_NOT_NARRATIVE = _any_of(_RECOMMEND_STRONG, _RECOMMEND, _BACKGROUND)


def lower_same_length(text: str) -> str:
    """Lower-case without changing offsets (a few characters lower-case to two)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


CONTEXT_KEY = "litmine_context"


@dataclass(slots=True)
class Annotated:
    """A mention in its context, as plain values (the assembler reads these, not Spans)."""
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    category: str
    concept_id: str
    text: str
    sent_start: int  # token offsets of its sentence
    sent_end: int
    role: str
    negated: bool
    hedged: bool
    planned: bool
    differential: bool


def annotations(doc: Doc) -> list[Annotated]:
    """The annotated mentions of a Doc that went through `litmine_context`, in document order."""
    return list(doc.user_data.get(CONTEXT_KEY, {}).values())


def _attribute(name: str):
    def get(span: Span):
        found = span.doc.user_data.get(CONTEXT_KEY, {}).get((span.start, span.end, span.label_))
        return getattr(found, name) if found is not None else None
    return get


# span._.role and the flags, for spaCy users; stored once per mention in doc.user_data
for _name in ("role", "negated", "hedged", "planned", "differential"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_attribute(_name))


def sentence_role(text: str, is_title: bool, previous: str | None = None, section: str | None = None) -> str:
    """The role of one (lower-cased) sentence. `previous` is the role of the sentence before it, which a
    sentence without cues inherits when it continues the patient's story; `section` is the
    kind of abstract section it is in ("case" or "general"), when the abstract says."""
    return own_role(text, is_title, section) or inherited_role(text, previous)


def own_role(text: str, is_title: bool, section: str | None = None) -> str | None:
    """The role a sentence's own cues give it; None when it has none and follows the sentence before."""
    if is_title:
        return "title"
    narrative = bool(_NARRATIVE.search(text))
    if _ANY_NOT_NARRATIVE.search(text):
        if _RECOMMEND_STRONG.search(text) or (not narrative and _RECOMMEND.search(text)):
            return "recommendation"
        if _BACKGROUND.search(text):
            # "Patients with RCC commonly develop..." is background; "The patient had a rare..." is not
            return "patient" if narrative and _PATIENT.search(text) else "background"
    patient = bool(_PATIENT.search(text))
    if not patient and _POPULATION_SUBJECT.match(text):
        return "background"
    if section == "general" and not patient:
        return "background"  # a Background / Discussion section speaks of the patient only explicitly
    if patient or narrative or section == "case":
        return "patient"
    return None


def inherited_role(text: str, previous: str | None) -> str:
    """A sentence without cues goes on with the patient's story unless it speaks in general terms."""
    return "patient" if previous == "patient" and not _PRESENT_GENERIC.search(text) else "background"


def section_of(text: str, current: str | None) -> str | None:
    """The section kind a (lower-cased) sentence opens, or the current one."""
    m = _SECTION.match(text)
    if m is None:
        return current
    return "case" if m.group("case") else "general"


@Language.factory("litmine_context")
def make_context(nlp: Language, name: str) -> ContextAnnotator:
    return ContextAnnotator()


class ContextAnnotator:
    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(SPAN_KEY, ()))  # a SpanGroup makes new Span objects on every pass
        found: dict[tuple[int, int, str], Annotated] = {}
        doc.user_data[CONTEXT_KEY] = found
        if not len(spans):
            return doc
        # cue patterns are lower-case: matching lowered text is ~3x faster than re.IGNORECASE
        original = doc_text(doc)
        text = lower_same_length(original)
        title_end = doc.user_data.get("title_end", 0)
        bounds = sentences(doc)
        index = sentence_index(doc)
        roles = _Roles(text, bounds, title_end)
        triggers: dict[int, tuple] = {}  # per sentence: trigger end offsets, found once
        offsets = [char_span(doc, span.start, span.end) for span in spans]
        sentence_starts: dict[int, list[int]] = defaultdict(list)  # per sentence: where its mentions start
        for span, (start_char, _) in zip(spans, offsets):
            sentence_starts[index[span.start]].append(start_char)
        for span, (start_char, end_char) in zip(spans, offsets):
            start, end, category = span.start, span.end, span.label_
            k = index[start]
            sent_start, sent_end, a, b = bounds[k]
            if k not in triggers:
                sent_text = text[a:b]
                if _ANY_TRIGGER.search(sent_text):
                    triggers[k] = tuple(tuple(m.end() + a for m in rx.finditer(sent_text))
                                        for rx in (_NEGATION_PRE, _HEDGE_PRE, _PLANNED, _CLAUSE_BREAK, _DIFFERENTIAL))
                else:  # without triggers the clause breaks do not matter
                    triggers[k] = ((), (), (), (), ())
            negation, hedge, planned, breaks, differential = triggers[k]
            # the clause before the mention starts after the last clause break
            clause = max([e for e in breaks if e <= start_char], default=a)
            after = text[end_char:b]
            found[(start, end, category)] = Annotated(
                start, end, start_char, end_char, category, span.kb_id_, original[start_char:end_char],
                sent_start, sent_end, roles[k],
                negated=_within(negation, clause, start_char, 60) or bool(_NEGATION_POST.search(after[:60])) or
                bool(_NON_BEFORE.search(text, max(a, start_char - 5), start_char)),
                hedged=_within(hedge, clause, start_char, 40) or bool(_HEDGE_POST.search(after[:50])),
                planned=_within(planned, clause, start_char, 60) or bool(_PLANNED_POST.search(after[:50])),
                differential=_differential(differential, start_char, sentence_starts[k]))
        return doc


class _Roles:
    """Sentence roles, computed on demand: only sentences with mentions, and the sentences
    before them whose role they inherit, are looked at."""

    def __init__(self, text: str, bounds: list[tuple[int, int, int, int]], title_end: int) -> None:
        self.text, self.bounds, self.title_end = text, bounds, title_end
        self.sections: list[str | None] = []
        section = None
        for _, _, a, b in bounds:  # an anchored match per sentence: cheap
            section = section_of(text[a:b], section)
            self.sections.append(section)
        self.roles: dict[int, str] = {}

    def __getitem__(self, k: int) -> str:
        if k in self.roles:
            return self.roles[k]
        # walk back to a sentence whose role is known or set by its own cues; the ones after inherit
        inheriting, j, role = [], k, None
        while j >= 0:
            if j in self.roles:
                role = self.roles[j]
                break
            _, _, a, b = self.bounds[j]
            own = own_role(self.text[a:b], a < self.title_end, self.sections[j])
            if own is not None:
                role = self.roles[j] = own
                break
            inheriting.append(j)
            j -= 1
        for i in reversed(inheriting):
            _, _, a, b = self.bounds[i]
            role = self.roles[i] = inherited_role(self.text[a:b], role)
        return self.roles[k]


def _differential(cue_ends: tuple[int, ...], mention_start: int, sentence_mentions: list[int]) -> bool:
    """What follows "mimicking" / "initially diagnosed as" is the mistaken diagnosis and what comes
    before it the real one ("melanoma mimicking a breast cancer"); when nothing is named after the
    cue ("... cancer mimicking disease progression") the whole sentence is about a mistake."""
    if not cue_ends:
        return False
    if any(m >= min(cue_ends) for m in sentence_mentions):
        return any(e <= mention_start for e in cue_ends)
    return True


def _within(ends: list[int], clause_start: int, mention_start: int, reach: int) -> bool:
    """A trigger ends inside the mention's clause, at most `reach` characters before it."""
    return any(clause_start <= e <= mention_start and mention_start - e <= reach for e in ends)

