"""Record files to `Paper`s: `read_records(path)` recognises the format by content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from litmine.parse.epmc import epmc_results, iter_epmc
from litmine.parse.pubmed import PubmedParseError, iter_pubmed, open_maybe_gzip
from litmine.parse.s2 import iter_s2, s2_objects
from litmine.parse.seed import SeedFormatError, looks_like_seed, read_seed
from litmine.record import Deletion, Paper, Quarantined

Item = Paper | Deletion | Quarantined

__all__ = ["Item", "RecordFileError", "read_records", "sniff_format"]


class RecordFileError(ValueError):
    """A whole input file is unreadable; the message names the file and the problem."""


def sniff_format(path: Path) -> str:
    """'pubmed-xml', 'epmc-json', 's2-json', 's2-jsonl' or 'seed'; raises RecordFileError otherwise."""
    try:
        with open_maybe_gzip(path) as f:
            head = f.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    except OSError as exc:
        raise RecordFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise RecordFileError(f"{path}: file is empty")
    if head.startswith("<"):
        if any(tag in head for tag in ("<PubmedArticleSet", "<MedlineCitationSet", "<PubmedArticle")):
            return "pubmed-xml"
        raise RecordFileError(f"{path}: XML but not PubMed XML (no PubmedArticleSet or MedlineCitationSet)")
    if looks_like_seed(head):
        return "seed"
    first_line = head.split("\n", 1)[0].strip()
    if head.startswith("{") and ('"resultList"' in head or '"hitCount"' in head):
        return "epmc-json"  # a Europe PMC search response
    if head.startswith("["):
        return "s2-json"
    if head.startswith("{"):
        # JSONL when the first line is a complete object and more lines follow
        try:
            json.loads(first_line)
            return "s2-jsonl" if "\n" in head.strip() else "s2-json"
        except json.JSONDecodeError:
            return "s2-json"
    raise RecordFileError(f"{path}: unknown record format (expected PubMed XML, Europe PMC JSON, "
                          "Semantic Scholar JSON/JSONL or a seed record)")


def read_records(path: Path) -> Iterator[Item]:
    """Stream the records of one file. Raises RecordFileError for an unreadable file;
    a single bad record comes out as `Quarantined` and the rest go on."""
    fmt = sniff_format(path)
    try:
        if fmt == "pubmed-xml":
            yield from iter_pubmed(path)
        elif fmt == "seed":
            yield read_seed(path)
        elif fmt == "epmc-json":
            with open_maybe_gzip(path) as f:
                results = epmc_results(json.load(f))
            if results is None:
                raise ValueError("not a Europe PMC search response (no resultList)")
            yield from iter_epmc(results, str(path))
        elif fmt == "s2-json":
            with open_maybe_gzip(path) as f:
                doc = json.load(f)
            yield from iter_s2(s2_objects(doc), str(path))
        else:
            yield from _read_jsonl(path)
    except (PubmedParseError, SeedFormatError) as exc:
        raise RecordFileError(str(exc)) from exc
    except json.JSONDecodeError as exc:
        raise RecordFileError(f"{path}: malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise RecordFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except ValueError as exc:
        raise RecordFileError(f"{path}: {exc}") from exc


def _read_jsonl(path: Path) -> Iterator[Item]:
    with open_maybe_gzip(path) as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Quarantined(str(path), lineno, f"line {lineno}: malformed JSON ({exc.msg})", line[:20000].decode("utf-8", "replace"))
                continue
            for item in iter_s2([obj], str(path)):
                if isinstance(item, Quarantined):
                    item = Quarantined(item.input, lineno, item.reason, item.raw)
                yield item
