"""Semantic Scholar Graph API paper JSON (`/paper/...`, `/paper/batch`, search pages)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from litmine.parse.pubtypes import pubmed_spelling
from litmine.record import Author, Paper, Quarantined, raw_hash



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
        publication_types=[pubmed_spelling(t) for t in _list(obj, "publicationTypes") if isinstance(t, str)],
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
    """The paper objects of a single paper, a list (batch), a search page `{"data": [...]}` or a
    citation / reference page (`{"data": [{"citingPaper": {...}}]}`). Raises ValueError for JSON
    that holds no papers at all (author lists, snippets, release lists), naming what it holds."""
    if isinstance(doc, dict) and "paperId" in doc:
        return [doc]
    if isinstance(doc, dict) and "total" in doc and "data" not in doc:  # empty search page
        return []
    if isinstance(doc, list):
        entries = doc
    elif isinstance(doc, dict) and isinstance(doc.get("data"), list):
        entries = doc["data"]
    else:
        raise ValueError("not Semantic Scholar papers (no paperId, list or data array)")
    entries = [_paper_of(e) for e in entries]
    present = [e for e in entries if e is not None]
    if present and not any(isinstance(e, dict) and "paperId" in e for e in present):
        keys = sorted({k for e in present if isinstance(e, dict) for k in e})
        what = f"entries with {', '.join(keys[:6])}" if keys else f"{_KIND.get(type(present[0]), 'values')}"
        raise ValueError(f"not Semantic Scholar papers: it holds {what}")
    return entries


_KIND = {str: "text values", int: "numbers", float: "numbers", list: "lists", bool: "booleans"}


def _paper_of(entry: Any) -> Any:
    """A citation or reference entry wraps its paper; other entries are papers themselves."""
    if isinstance(entry, dict):
        for key in ("citingPaper", "citedPaper"):
            if isinstance(entry.get(key), dict):
                return entry[key]
    return entry
