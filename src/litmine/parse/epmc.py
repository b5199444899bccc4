"""Europe PMC REST `resultType=core` JSON results to `Paper`s."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from litmine.parse.dates import free_text_date, iso_date
from litmine.parse.markup import html_to_text
from litmine.parse.pubtypes import pubmed_spelling
from litmine.record import Author, Paper, Quarantined, raw_hash


_H4 = re.compile(r"<h4>(.*?)</h4>", re.I | re.S)


def epmc_abstract(html: str) -> str:
    """`<h4>Background</h4>text<h4>Methods</h4>...` -> "Background: text" lines, as PubMed labels read."""
    parts = _H4.split(html or "")
    lead = html_to_text(parts[0])
    sections = [f"{html_to_text(label)}: {html_to_text(text)}" for label, text in zip(parts[1::2], parts[2::2])]
    return "\n".join(x for x in [lead, *sections] if x)


def paper_from_epmc(r: dict[str, Any]) -> Paper:
    if not r.get("id") or not r.get("source"):
        raise ValueError("Europe PMC result has no id/source")
    journal = (r.get("journalInfo") or {})
    year = r.get("pubYear") or journal.get("yearOfPublication")
    # the date, as PubMed's pub_date means it ("2025 Aug"); Europe PMC's own
    # firstPublicationDate is often the e-publication, kept as epub_date
    date = free_text_date(journal.get("dateOfPublication")) or iso_date(
        journal.get("yearOfPublication") or year, journal.get("monthOfPublication"))
    authors = []
    for a in ((r.get("authorList") or {}).get("author") or []):
        if a.get("collectiveName"):
            authors.append(Author(collective_name=a["collectiveName"]))
        else:
            authors.append(Author(last_name=a.get("lastName"), fore_name=a.get("firstName"), initials=a.get("initials")))
    return Paper(
        source="epmc",
        source_id=f"{r['source']}:{r['id']}",
        title=html_to_text(r.get("title") or ""),
        abstract=epmc_abstract(r.get("abstractText") or ""),
        pmid=r.get("pmid"),
        doi=r.get("doi"),
        pmcid=r.get("pmcid"),
        journal=((journal.get("journal") or {}).get("title")),
        pub_date=date,
        pub_year=int(year) if year and str(year).isdigit() else (int(date[:4]) if date else None),
        epub_date=r.get("electronicPublicationDate"),
        language=r.get("language"),
        publication_types=[pubmed_spelling(t) for t in (r.get("pubTypeList") or {}).get("pubType") or []
                           if isinstance(t, str)],
        mesh_terms=[m.get("descriptorName") for m in ((r.get("meshHeadingList") or {}).get("meshHeading") or [])
                    if m.get("descriptorName")],
        keywords=list((r.get("keywordList") or {}).get("keyword") or []),
        authors=authors,
        citation_count=r.get("citedByCount"),
        raw_hash=raw_hash(json.dumps(r, sort_keys=True)),
    )


def iter_epmc(results: list[Any], name: str, first_position: int = 1) -> Iterator[Paper | Quarantined]:
    """Papers from Europe PMC results; a result that cannot be read is quarantined."""
    for position, r in enumerate(results, start=first_position):
        try:
            if not isinstance(r, dict):
                raise ValueError(f"expected a result object, got {type(r).__name__}")
            yield paper_from_epmc(r)
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with one record stays with that record
            reason = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            yield Quarantined(name, position, reason, json.dumps(r, default=str)[:20000])


def epmc_results(doc: Any) -> list[Any] | None:
    """The results of a Europe PMC search response (`resultList.result`), else None."""
    if isinstance(doc, dict) and isinstance(doc.get("resultList"), dict):
        return doc["resultList"].get("result") or []
    return None
