"""The record every source and parser produces, and every later stage consumes.

Sources (PubMed, Semantic Scholar, Europe PMC, record files) all turn into `Paper`
objects; extraction reads `title` + `abstract`; the store merges papers on
PMID / DOI / PMCID and keeps one provenance row per `(source, source_id)`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_doi(doi: str | None) -> str | None:
    """DOIs compare case-insensitively; store them lower-case without URL prefix."""
    if not doi:
        return None
    doi = _DOI_PREFIX.sub("", doi.strip()).strip().lower()
    return doi or None


def normalize_pmcid(pmcid: str | None) -> str | None:
    if not pmcid:
        return None
    pmcid = pmcid.strip().upper()
    if pmcid.isdigit():
        pmcid = "PMC" + pmcid
    return pmcid if re.fullmatch(r"PMC\d+", pmcid) else None


def normalize_pmid(pmid: str | int | None) -> str | None:
    if pmid is None:
        return None
    pmid = str(pmid).strip()
    return pmid if pmid.isdigit() and pmid != "0" else None


def raw_hash(raw: bytes | str) -> str:
    """Hash of a raw source record: re-ingesting identical bytes changes nothing."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


@dataclass(slots=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None

    @property
    def display_name(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.fore_name, self.last_name) if p)


@dataclass(slots=True)
class Paper:
    """One source record of one work, already flattened to clean text."""

    source: str  # "pubmed", "s2", "epmc", "seed"
    source_id: str  # the id within that source (PMID, S2 paperId, ...)
    title: str
    abstract: str = ""
    pmid: str | None = None
    pmid_version: int = 1
    doi: str | None = None
    pmcid: str | None = None
    journal: str | None = None
    pub_date: str | None = None  # the journal issue's date, ISO, possibly partial ("2015-10")
    pub_year: int | None = None
    epub_date: str | None = None  # the electronic publication's date, when the source gives one
    language: str | None = None
    vernacular_title: str | None = None
    publication_types: list[str] = field(default_factory=list)
    mesh_terms: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    citation_count: int | None = None  # as the source counted it when fetched (Semantic Scholar, Europe PMC)
    raw_hash: str = ""

    def __post_init__(self) -> None:
        self.pmid = normalize_pmid(self.pmid)
        self.doi = normalize_doi(self.doi)
        self.pmcid = normalize_pmcid(self.pmcid)

    @property
    def is_case_report(self) -> bool:
        return any(t.replace(" ", "").lower() in ("casereports", "casereport") for t in self.publication_types)

    @property
    def paper_id(self) -> str:
        """Preferred stable key: PMID, else DOI, else PMCID, else the source's own id."""
        if self.pmid:
            return f"pmid:{self.pmid}"
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmcid:
            return f"pmcid:{self.pmcid}"
        return f"{self.source}:{self.source_id}"


@dataclass(slots=True, frozen=True)
class Deletion:
    """A PubMed `<DeleteCitation>` entry: the paper leaves the database."""

    pmid: str
    version: int = 1


@dataclass(slots=True, frozen=True)
class Quarantined:
    """A record that could not be turned into a `Paper`, kept with its reason."""

    input: str  # file name or URL
    position: int  # 1-based record number within the input
    reason: str
    raw: str = ""
