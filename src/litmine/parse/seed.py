"""The aggregator record format litmine was started from (`shared/seed/`).

Layout: an authors line, one JSON record on its own line, then the English abstract
and a translation. Only the JSON record is used; its HTML abstract is flattened.
"""

from __future__ import annotations

import json
from pathlib import Path

from litmine.parse.markup import html_to_text
from litmine.record import Author, Paper, raw_hash


class SeedFormatError(ValueError):
    pass


def looks_like_seed(head: str) -> bool:
    lines = head.lstrip("\ufeff").splitlines()
    return len(lines) >= 2 and not lines[0].lstrip().startswith(("{", "[", "<")) and lines[1].lstrip().startswith("{")


def read_seed(path: Path) -> Paper:
    text = path.read_text(encoding="utf-8")
    json_line = next((ln for ln in text.splitlines() if ln.lstrip().startswith("{")), None)
    if json_line is None:
        raise SeedFormatError(f"{path}: no JSON record line found")
    try:
        rec = json.loads(json_line)
    except json.JSONDecodeError as exc:
        raise SeedFormatError(f"{path}: the JSON record line is not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(rec, dict) or not rec.get("title"):
        raise SeedFormatError(f"{path}: the JSON record has no title")
    date = rec.get("publicationDate") or None
    journal = rec.get("journal") if isinstance(rec.get("journal"), dict) else {}
    return Paper(
        source="seed",
        source_id=rec.get("doi") or path.stem,
        title=html_to_text(rec["title"]),
        abstract=html_to_text(rec.get("abstract") or ""),
        doi=rec.get("doi"),
        pmcid=rec.get("PMCID"),
        journal=journal.get("name") or rec.get("PeriodicalName"),
        pub_date=date,
        pub_year=int(date[:4]) if date and date[:4].isdigit() else None,
        publication_types=[t.strip() for t in (rec.get("publicationTypes") or "").split(",") if t.strip()],
        authors=[Author(fore_name=" ".join(n.split()[:-1]) or None, last_name=n.split()[-1])
                 for n in (rec.get("authors") or "").split(",") if n.strip()],
        raw_hash=raw_hash(json_line),
    )
