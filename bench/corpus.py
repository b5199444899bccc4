"""Benchmark corpora made from real records: the 604-record MEDLINE update excerpt shipped in
tests/fixtures, replicated under fresh PMIDs to any size (constant memory)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "fixtures" / "medline16n0902_update_excerpt.xml.gz"


_TITLE = re.compile(rb"<ArticleTitle[^>]*>")
_OTHER_IDS = re.compile(rb"<ELocationID[^>]*>.*?</ELocationID>|<OtherID[^>]*>.*?</OtherID>", re.S)


def source_records() -> list[bytes]:
    tree = etree.parse(gzip.open(SOURCE))
    return [etree.tostring(e) for e in tree.getroot().iter("MedlineCitation")]


def write_pubmed_corpus(path: Path, n: int, first_pmid: int = 90_000_000) -> Path:
    """A PubmedArticleSet .xml.gz of n records (real text, new PMIDs, no DeleteCitation); the
    title of the k-th copy of a record starts with "k. "."""
    records = source_records()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
                  b'PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
                  b'<PubmedArticleSet>\n')
        for i in range(n):
            rec = records[i % len(records)]
            start = rec.index(b"<PMID")
            end = rec.index(b"</PMID>", start) + len(b"</PMID>")
            rec = rec[:start] + f'<PMID Version="1">{first_pmid + i}</PMID>'.encode() + rec[end:]
            rec = _OTHER_IDS.sub(b"", rec)  # copies must not merge with each other on DOI / PMCID
            # each copy a text of its own: work done once per distinct text is not done once per 604 records
            rec = _TITLE.sub(lambda m: m.group(0) + f"{i // len(records) + 1}. ".encode(), rec, count=1)
            out.write(b"<PubmedArticle>" + rec + b"</PubmedArticle>\n")
        out.write(b"</PubmedArticleSet>\n")
    return path
