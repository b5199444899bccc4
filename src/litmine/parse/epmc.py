"""Europe PMC REST `resultType=core` JSON results to `Paper`s."""

from __future__ import annotations

import json
import re
from typing import Any

from litmine.parse.markup import html_to_text
from litmine.record import Author, Paper, raw_hash


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
    date = r.get("firstPublicationDate") or journal.get("printPublicationDate")
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
        pub_year=int(year) if year and str(year).isdigit() else None,
        language=r.get("language"),
        publication_types=list((r.get("pubTypeList") or {}).get("pubType") or []),
        mesh_terms=[m.get("descriptorName") for m in ((r.get("meshHeadingList") or {}).get("meshHeading") or [])
                    if m.get("descriptorName")],
        keywords=list((r.get("keywordList") or {}).get("keyword") or []),
        authors=authors,
        citation_count=r.get("citedByCount"),
        raw_hash=raw_hash(json.dumps(r, sort_keys=True)),
    )
