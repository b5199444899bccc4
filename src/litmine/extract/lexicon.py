"""The compiled lexicon in `data/lexicon/`: concepts, their terms, and the hierarchy.

`scripts/build_lexicon.py` writes `concepts.tsv` and `terms.tsv` from the ontologies;
terms are stored already tokenized and normalized (`token_key`), so loading is a dict
build, not a tokenizer run (tokenizing ~100k terms costs seconds and would flush the
tokenizer cache of the pipeline that shares the vocab).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = ("anatomy", "tumor", "treatment")
DEFAULT_DIR = Path(__file__).resolve().parents[3] / "data" / "lexicon"
_KEEP_S = ("ss", "is", "us", "as", "os", "ys")


def norm_token(text: str) -> str:
    """Case-folded token with a plural -s dropped (lungs -> lung, NETs -> net, ovaries -> ovary),
    letters without their diacritics (Hürthle, Müllerian) and British spellings American (tumour,
    oesophageal, haemangioma, paediatric, diarrhoea).

    Both lexicon terms and document tokens go through this, so the only requirement
    is consistency; the rules are crude but cheap and symmetric."""
    t = text.lower()
    if not t.isascii():
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    if "ae" in t or "oe" in t or "our" in t:
        t = _british(t)
    if len(t) > 3 and t.endswith("s") and not t.endswith(_KEEP_S):
        return t[:-3] + "y" if t.endswith("ies") and len(t) > 5 else t[:-1]  # ovaries -> ovary
    return t


# "ae" inside a word (haem-, leukaemia, paediatric, caecum; not the Latin plural: papulae), "oe" at its
# start or before "a" (oesophagus, oedema, oestrogen, diarrhoea), "foet-", "coel-", and "tumour"
_BRITISH = re.compile(r"(?<=[a-z])ae(?=[a-z])|^oe|oe(?=a)|(?<=^f)oe|(?<=^c)oe|(?<=tum)ou(?=r)")


def _british(token: str) -> str:
    return _BRITISH.sub(lambda m: "o" if m.group() == "ou" else "e", token)


_WORDS = re.compile(r"\w+|[^\w\s]")


def term_key(text: str) -> tuple[str, ...]:
    """A `terms` key for free text (a name put together, a model's entity): word and punctuation
    tokens, normalized; close to how the lexicon's own terms were tokenized."""
    return tuple(norm_token(w) for w in _WORDS.findall(text))


def is_case_sensitive(term: str) -> bool:
    """Short acronyms (NET, RCC, RT, ADT) match only in upper case: 'net', 'rt' are words."""
    letters = [c for c in term if c.isalpha()]
    return len(term) <= 6 and len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1 \
        and " " not in term


@dataclass(slots=True)
class Concept:
    concept_id: str
    category: str
    label: str
    parents: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    primary_site: str | None = None  # tumors: the organ the tumor type implies


@dataclass(slots=True)
class Lexicon:
    concepts: dict[str, Concept]
    # key: tuple of normalized tokens -> {category: concept_id}
    terms: dict[tuple[str, ...], dict[str, str]]
    # case-sensitive acronyms: tuple of raw tokens (trailing s dropped) -> {category: concept_id}
    acronyms: dict[tuple[str, ...], dict[str, str]]
    version: str = ""
    # names of drugs outside the lexicon one edit away from a drug name in it ("methoxamine")
    lookalikes: frozenset[str] = frozenset()

    def ancestors(self, concept_id: str) -> set[str]:
        """All ancestors (is_a and part_of) of a concept, for roll-ups."""
        return set(self.ancestors_nearest_first(concept_id))

    def ancestors_nearest_first(self, concept_id: str) -> list[str]:
        """Ancestors breadth-first, ties by id: the same order in every process."""
        seen: dict[str, None] = {}
        frontier = sorted(self.concepts[concept_id].parents) if concept_id in self.concepts else []
        while frontier:
            nxt: set[str] = set()
            for c in frontier:
                if c not in seen:
                    seen[c] = None
                    if c in self.concepts:
                        nxt.update(self.concepts[c].parents)
            frontier = sorted(nxt - seen.keys())
        return list(seen)


def acronym_key(tokens: list[str]) -> tuple[str, ...]:
    return tuple(t[:-1] if len(t) > 2 and t.endswith("s") and t[:-1].isupper() else t for t in tokens)


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: Path = DEFAULT_DIR) -> Lexicon:
    concepts: dict[str, Concept] = {}
    with open(directory / "concepts.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            concepts[row["concept_id"]] = Concept(
                concept_id=row["concept_id"], category=row["category"], label=row["label"],
                parents=tuple(p for p in row["parents"].split("|") if p),
                xrefs=tuple(x for x in row["xrefs"].split("|") if x),
                primary_site=row["primary_site"] or None,
            )
    terms: dict[tuple[str, ...], dict[str, str]] = {}
    acronyms: dict[tuple[str, ...], dict[str, str]] = {}
    with open(directory / "terms.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            tokens = row["tokens"].split(" ")
            table = acronyms if row["case_sensitive"] == "1" else terms
            key = acronym_key(tokens) if table is acronyms else tuple(tokens)
            table.setdefault(key, {}).setdefault(row["category"], row["concept_id"])
    version = (directory / "VERSION").read_text().strip() if (directory / "VERSION").exists() else ""
    lookalikes = directory / "lookalikes.txt"
    return Lexicon(concepts=concepts, terms=terms, acronyms=acronyms, version=version,
                   lookalikes=frozenset(lookalikes.read_text(encoding="utf-8").split()) if lookalikes.exists() else frozenset())


def is_drug(concept_id: str) -> bool:
    """A drug (DrugBank) rather than a procedure or a class of treatment."""
    return concept_id.startswith("DB")


class MisspellingIndex:
    """Names indexed by their one-letter deletions: a word one edit away from exactly one name (a
    letter missing, added or wrong, or two neighbours swapped: "pacitaxel", "methothexate",
    "flourouracil") is read as that name misspelled. Names and words of MIN_LENGTH letters or
    more only: shorter ones are too often other words one edit away."""

    MIN_LENGTH = 8

    def __init__(self, names: Iterable[str]) -> None:
        self._by_deletion: dict[str, set[str]] = {}
        for name in names:
            if len(name) >= self.MIN_LENGTH and name.isalpha():
                for variant in _deletions(name) | {name}:
                    self._by_deletion.setdefault(variant, set()).add(name)

    def lookup(self, word: str) -> str | None:
        """The one name `word` misspells, or None (not near any, near several, or a name itself)."""
        if len(word) < self.MIN_LENGTH or not word.isalpha():
            return None
        by_deletion, found = self._by_deletion, None
        for i in range(-1, len(word)):  # the word itself, then each deletion (most words meet no name)
            for name in by_deletion.get(word[:i] + word[i + 1:] if i >= 0 else word, ()):
                if name != found and _one_edit(word, name):
                    if found is not None:
                        return None  # near two names
                    found = name
        return found


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Exactly one insertion, deletion, substitution or swap of neighbours apart."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        short, long = sorted((a, b), key=len)
        return short in _deletions(long)
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
