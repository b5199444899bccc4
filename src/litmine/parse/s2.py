"""Semantic Scholar Graph API paper JSON (`/paper/...`, `/paper/batch`, search pages)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from litmine.record import Author, Paper, Quarantined, raw_hash

# S2 publicationTypes use CamelCase ("CaseReport"); store PubMed's spelling so one
# filter finds case reports from every source.
_TYPE_NAMES = {"CaseReport": "Case Reports", "JournalArticle": "Journal Article", "Review": "Review",
               "ClinicalTrial": "Clinical Trial", "LettersAndComments": "Letter", "Editorial": "Editorial"}


def paper_from_s2(obj: dict[str, Any]) -> Paper:
    if not obj.get("paperId"):
        raise ValueError("Semantic Scholar paper has no paperId")
    ext = obj.get("externalIds") or {}
    journal = obj.get("journal") or {}
    date = obj.get("publicationDate")
    year = obj.get("year")
    return Paper(
        source="s2",
        source_id=obj["paperId"],
        title=(obj.get("title") or "").strip(),
        abstract=(obj.get("abstract") or "").strip(),
        pmid=ext.get("PubMed"),
        doi=ext.get("DOI"),
        pmcid=ext.get("PubMedCentral"),
        journal=journal.get("name") or obj.get("venue") or None,
        pub_date=date or (str(year) if year else None),
        pub_year=int(year) if year else (int(date[:4]) if date else None),
        publication_types=[_TYPE_NAMES.get(t, t) for t in obj.get("publicationTypes") or []],
        authors=[Author(last_name=(a.get("name") or "").split()[-1] if a.get("name") else None,
                        fore_name=" ".join((a.get("name") or "").split()[:-1]) or None)
                 for a in obj.get("authors") or []],
        citation_count=obj.get("citationCount"),
        raw_hash=raw_hash(json.dumps(obj, sort_keys=True)),
    )


def iter_s2(objects: Iterable[Any], name: str) -> Iterator[Paper | Quarantined]:
    """Papers from decoded JSON values; `null` batch entries are skipped (unknown ids)."""
    for position, obj in enumerate(objects, start=1):
        if obj is None:
            continue
        if not isinstance(obj, dict):
            yield Quarantined(name, position, f"expected a paper object, got {type(obj).__name__}")
            continue
        try:
            yield paper_from_s2(obj)
        except (ValueError, TypeError) as exc:
            yield Quarantined(name, position, str(exc), json.dumps(obj)[:20000])


def s2_objects(doc: Any) -> list[Any]:
    """A single paper, a list of papers (batch), or a search page `{"data": [...]}`."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and "paperId" in doc:
        return [doc]
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        return doc["data"]
    if isinstance(doc, dict) and "total" in doc and "data" not in doc:  # empty search page
        return []
    raise ValueError("not Semantic Scholar paper JSON (no paperId, list or data array)")
