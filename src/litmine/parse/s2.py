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
    """One paper object; a field of an unexpected type raises ValueError naming the field."""
    if not obj.get("paperId"):
        raise ValueError("Semantic Scholar paper has no paperId")
    title = _text(obj, "title").strip()
    if not title:
        raise ValueError("Semantic Scholar paper has no title")
    ext = _object(obj, "externalIds")
    journal = _object(obj, "journal")
    date = _text(obj, "publicationDate") or None
    year = obj.get("year")
    if year is not None and not isinstance(year, int):
        raise ValueError(f"year is {type(year).__name__}, not a number")
    authors = []
    for a in _list(obj, "authors"):
        if not isinstance(a, dict):
            raise ValueError(f"an author is {type(a).__name__}, not an object")
        name = _text(a, "name").split()
        authors.append(Author(last_name=name[-1] if name else None, fore_name=" ".join(name[:-1]) or None))
    return Paper(
        source="s2",
        source_id=str(obj["paperId"]),
        title=title,
        abstract=_text(obj, "abstract").strip(),
        pmid=_identifier(ext, "PubMed"),
        doi=_identifier(ext, "DOI"),
        pmcid=_identifier(ext, "PubMedCentral"),
        journal=_text(journal, "name") or _text(obj, "venue") or None,
        pub_date=date or (str(year) if year else None),
        pub_year=year if year else (int(date[:4]) if date and date[:4].isdigit() else None),
        publication_types=[_TYPE_NAMES.get(t, t) for t in _list(obj, "publicationTypes") if isinstance(t, str)],
        authors=authors,
        citation_count=obj.get("citationCount") if isinstance(obj.get("citationCount"), int) else None,
        raw_hash=raw_hash(json.dumps(obj, sort_keys=True)),
    )


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is {type(value).__name__}, not text")
    return value


def _object(obj: dict[str, Any], key: str) -> dict[str, Any]:
    value = obj.get(key) or {}
    if not isinstance(value, dict):
        raise ValueError(f"{key} is {type(value).__name__}, not an object")
    return value


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f"{key} is {type(value).__name__}, not a list")
    return value


def _identifier(ext: dict[str, Any], key: str) -> str | None:
    value = ext.get(key)
    if value is None or isinstance(value, (str, int)) and not isinstance(value, bool):
        return None if value is None else str(value)
    raise ValueError(f"externalIds.{key} is {type(value).__name__}, not an identifier")


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
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with one record stays with that record
            reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            yield Quarantined(name, position, reason, json.dumps(obj, default=str)[:20000])


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
