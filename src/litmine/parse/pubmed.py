"""Stream PubMed XML (efetch output, baseline and update files) into `Paper` records.

Handles `PubmedArticleSet` and the older `MedlineCitationSet`, `.xml` or `.xml.gz`,
in constant memory (lxml iterparse, each record cleared once read). `DeleteCitation`
entries come out as `Deletion`s. The parser never resolves entities, loads DTDs or
touches the network, so XXE and entity-expansion bombs are inert.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from litmine.parse.markup import clean_space, element_text
from litmine.parse.dates import free_text_date, iso_date
from litmine.record import Author, Deletion, Paper, Quarantined, raw_hash

_RECORD_TAGS = ("PubmedArticle", "MedlineCitation", "DeleteCitation", "PubmedBookArticle")


class PubmedParseError(ValueError):
    """The XML as a whole is unreadable (not one bad record)."""


def open_maybe_gzip(path: Path) -> BinaryIO:
    raw = open(path, "rb")
    head = raw.read(2)
    raw.seek(0)
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def iter_pubmed(source: Path | BinaryIO, name: str | None = None) -> Iterator[Paper | Deletion | Quarantined]:
    """Yield one item per record. Raises `PubmedParseError` when the XML is broken."""
    if isinstance(source, Path):
        name = name or str(source)
        stream = open_maybe_gzip(source)
    else:
        name = name or getattr(source, "name", "<stream>")
        stream = source
    position = 0
    try:
        context = etree.iterparse(
            stream, events=("end",), tag=_RECORD_TAGS,
            resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
            remove_comments=True,
        )
        for _, elem in context:
            parent = elem.getparent()
            # MedlineCitation is a record only at top level (MedlineCitationSet);
            # inside PubmedArticle it is handled with its parent.
            if elem.tag == "MedlineCitation" and parent is not None and parent.tag != "MedlineCitationSet":
                continue
            if elem.tag == "PubmedBookArticle":
                position += 1
                yield Quarantined(name, position, "PubmedBookArticle records are not supported",
                                  etree.tostring(elem, encoding="unicode", with_tail=False)[:20000])
            elif elem.tag == "DeleteCitation":
                for pmid in elem.iter("PMID"):
                    yield Deletion(pmid=(pmid.text or "").strip(), version=int(pmid.get("Version") or 1))
            else:
                position += 1
                try:
                    yield parse_article(elem)
                except (ValueError, TypeError) as exc:
                    yield Quarantined(name, position, str(exc), etree.tostring(elem, encoding="unicode", with_tail=False)[:20000])
            # constant memory: drop what has been read
            elem.clear(keep_tail=False)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise PubmedParseError(f"{name}: malformed XML: {exc}") from exc
    except (EOFError, OSError, gzip.BadGzipFile) as exc:  # truncated or corrupt gzip
        raise PubmedParseError(f"{name}: unreadable compressed data: {exc}") from exc
    finally:
        if isinstance(source, Path):
            stream.close()


def parse_pubmed_bytes(data: bytes, name: str = "<response>") -> list[Paper | Deletion | Quarantined]:
    return list(iter_pubmed(io.BytesIO(data), name=name))


def parse_article(elem: etree._Element) -> Paper:
    """One `PubmedArticle` (or top-level `MedlineCitation`) element to a `Paper`."""
    citation = elem if elem.tag == "MedlineCitation" else elem.find("MedlineCitation")
    if citation is None:
        raise ValueError("record has no MedlineCitation")
    pmid_el = citation.find("PMID")
    pmid = (pmid_el.text or "").strip() if pmid_el is not None else ""
    if not pmid.isdigit():
        raise ValueError(f"record has no valid PMID ({pmid!r})")
    article = citation.find("Article")
    if article is None:
        raise ValueError(f"PMID {pmid}: record has no Article")

    title_el = article.find("ArticleTitle")
    title = element_text(title_el) if title_el is not None else ""
    vernacular_el = article.find("VernacularTitle")

    ids = _article_ids(elem, article, citation)
    journal = article.findtext("Journal/Title")
    pub_date, pub_year = _pub_date(article)

    return Paper(
        source="pubmed",
        source_id=pmid,
        pmid=pmid,
        pmid_version=int(pmid_el.get("Version") or 1),
        title=title,
        abstract=_abstract(article),
        doi=ids.get("doi"),
        pmcid=ids.get("pmc"),
        journal=clean_space(journal) if journal else None,
        pub_date=pub_date,
        pub_year=pub_year,
        epub_date=_epub_date(article),
        language=citation.findtext("Article/Language"),
        vernacular_title=element_text(vernacular_el) if vernacular_el is not None else None,
        publication_types=[(t.text or "").strip() for t in article.iterfind("PublicationTypeList/PublicationType")],
        mesh_terms=[(d.text or "").strip() for d in citation.iterfind("MeshHeadingList/MeshHeading/DescriptorName")],
        keywords=[element_text(k) for k in citation.iterfind("KeywordList/Keyword")],
        authors=[_author(a) for a in article.iterfind("AuthorList/Author")],
        raw_hash=raw_hash(etree.tostring(elem, with_tail=False)),  # a tail is set or not by buffering
    )


def _abstract(article: etree._Element) -> str:
    sections = []
    for part in article.iterfind("Abstract/AbstractText"):
        text = element_text(part)
        label = part.get("Label")
        if label and label.upper() not in ("UNLABELLED", "UNASSIGNED"):
            text = f"{label.strip()}: {text}"  # as labelled: "OBJECTIVE: ..."
        if text:
            sections.append(text)
    return "\n".join(sections)


def _article_ids(elem: etree._Element, article: etree._Element, citation: etree._Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for aid in elem.iterfind("PubmedData/ArticleIdList/ArticleId"):
        kind = aid.get("IdType")
        if kind and aid.text and kind not in ids:
            ids[kind] = aid.text.strip()
    for loc in article.iterfind("ELocationID"):
        if loc.get("EIdType") == "doi" and loc.text and "doi" not in ids:
            ids["doi"] = loc.text.strip()
    for other in citation.iterfind("OtherID"):  # old MedlineCitationSet: "PMC4688250 [Available on ...]"
        text = (other.text or "").strip()
        if text.startswith("PMC") and "pmc" not in ids:
            ids["pmc"] = text.split()[0]
    return ids


def _pub_date(article: etree._Element) -> tuple[str | None, int | None]:
    """The journal issue's date: Year/Month/Day, or the free-text MedlineDate ("2019 Jan-Feb")."""
    pd = article.find("Journal/JournalIssue/PubDate")
    if pd is None:
        return None, None
    if pd.findtext("Year") is not None:
        date = iso_date(pd.findtext("Year"), pd.findtext("Month"), pd.findtext("Day"))
    else:
        date = free_text_date(pd.findtext("MedlineDate"))
    return date, int(date[:4]) if date else None


def _epub_date(article: etree._Element) -> str | None:
    for d in article.iterfind("ArticleDate"):
        if (d.get("DateType") or "Electronic") == "Electronic":
            return iso_date(d.findtext("Year"), d.findtext("Month"), d.findtext("Day"))
    return None


_AUTHOR_FIELDS = {"LastName": "last_name", "ForeName": "fore_name", "Initials": "initials"}


def _author(a: etree._Element) -> Author:
    author = Author()
    for child in a:  # one pass over the children instead of a findtext per field
        field_name = _AUTHOR_FIELDS.get(child.tag)
        if field_name:
            setattr(author, field_name, child.text)
        elif child.tag == "CollectiveName":
            author.collective_name = element_text(child)
    return author
