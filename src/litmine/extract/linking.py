"""Normalization of mentions the dictionary cannot match exactly ("neuroendocrin tumor",
"carcinoma of the parotid glands"): scispaCy's candidate generator (TF-IDF character
3-grams + an nmslib nearest-neighbour index) over a knowledge base made from the lexicon.

Building the index takes minutes (scispaCy's HNSW settings: ~5 min for the shipped
lexicon's 70k aliases on 2 cores), so it is built once per lexicon version into the cache
directory (`LITMINE_CACHE_DIR`) and loaded from there afterwards (`litmine build-linker`
builds it ahead of time).
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import shutil
import sys
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from scispacy.candidate_generation import CandidateGenerator, LinkerPaths, create_tfidf_ann_index
from scispacy.linking_utils import Entity, KnowledgeBase

from litmine.extract.lexicon import Lexicon, load_lexicon, term_key

_ALNUM = re.compile(r"[^\W_]+")


def lexicon_kb(lexicon_dir: Path) -> KnowledgeBase:
    """A scispaCy KnowledgeBase: one entity per lexicon concept, its surface forms as aliases
    and its category as its type."""
    lexicon = load_lexicon(lexicon_dir)
    aliases: dict[str, set[str]] = defaultdict(set)
    with open(lexicon_dir / "terms.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            aliases[row["concept_id"]].add(row["surface"])
    return KnowledgeBase([Entity(c.concept_id, c.label, sorted(aliases[c.concept_id] | {c.label}), [c.category])
                          for c in lexicon.concepts.values() if aliases[c.concept_id]])


def index_dir(lexicon_dir: Path, cache_dir: Path) -> Path:
    return cache_dir / "linker" / (load_lexicon(lexicon_dir).version or "dev")


def build_index(lexicon_dir: Path, cache_dir: Path, kb: KnowledgeBase | None = None) -> Path:
    """The cached index of this lexicon version, built if missing (atomically: a concurrent
    builder's result is kept). `kb`: the lexicon's, when the caller has it already."""
    target = index_dir(lexicon_dir, cache_dir)
    if target.is_dir() and LinkerPaths.from_directory(target).is_locally_cached():
        return target
    work = target.with_name(f"{target.name}.building.{os.getpid()}")
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"litmine: building the linker index for lexicon {target.name} once, in {target} "
              "(takes minutes)", file=sys.stderr)
        with contextlib.redirect_stdout(sys.stderr):  # scispaCy reports progress with print()
            create_tfidf_ann_index(str(work), kb or lexicon_kb(lexicon_dir))
        try:
            work.rename(target)
        except OSError:  # another process finished first
            pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


class LexiconLinker:
    """Links a mention text to the lexicon concept of a category: an exact (normalized) term
    first, else the nearest alias by scispaCy's candidate generator above a similarity threshold
    that is a `plausible_variant` of the mention."""

    def __init__(self, lexicon_dir: Path, cache_dir: Path, threshold: float = 0.9) -> None:
        self.lexicon: Lexicon = load_lexicon(lexicon_dir)
        self.threshold = threshold
        self._lexicon_dir, self._cache_dir = lexicon_dir, cache_dir
        self._generator: CandidateGenerator | None = None

    @property
    def generator(self) -> CandidateGenerator:
        if self._generator is None:  # loaded on first use: exact terms need no index
            kb = lexicon_kb(self._lexicon_dir)
            directory = build_index(self._lexicon_dir, self._cache_dir, kb)
            aliases, vectorizer, index = LinkerPaths.from_directory(directory).load()
            self._generator = CandidateGenerator(index, vectorizer, aliases, kb)
        return self._generator

    def link(self, texts: list[str], category: str) -> list[tuple[str, float] | None]:
        """(concept_id, similarity) per text, or None when nothing is similar enough."""
        out: list[tuple[str, float] | None] = []
        inexact: list[int] = []
        for i, text in enumerate(texts):
            hits = self.lexicon.terms.get(term_key(text), {})
            out.append((hits[category], 1.0) if category in hits else None)
            if category not in hits:
                inexact.append(i)
        if inexact:
            batch = self.generator([texts[i] for i in inexact], 10)
            for i, candidates in zip(inexact, batch):
                scored = []
                for c in candidates:
                    concept = self.lexicon.concepts.get(c.concept_id)
                    if concept is None or concept.category != category:
                        continue
                    similarity, alias = max(zip(c.similarities, c.aliases))
                    if similarity >= self.threshold and plausible_variant(texts[i], alias):
                        scored.append((similarity, c.concept_id))
                if scored:
                    similarity, concept_id = max(scored)
                    out[i] = (concept_id, similarity)
        return out


def plausible_variant(mention: str, alias: str) -> bool:
    """Character 3-gram similarity alone links "vitamin K" to "vitamin M" and acronyms to anything
    (their few 3-grams are rare and dropped). A variant must be long enough to judge, keep its short
    and numbered words ("K", "2b", "B12"), and read mostly the same."""
    m, a = _ALNUM.findall(mention.lower()), _ALNUM.findall(alias.lower())
    if len("".join(m)) < 6:
        return False  # acronyms and short names are the dictionary's job
    if any(w not in a for w in m if len(w) <= 2 or any(ch.isdigit() for ch in w)):
        return False
    return SequenceMatcher(None, " ".join(m), " ".join(a)).ratio() >= 0.8
