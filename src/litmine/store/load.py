"""Bulk writes into the warehouse, through Arrow tables (never row by row).

One work seen by several sources becomes one `paper` row: records are merged on
PMID, DOI (case-insensitive) and PMCID, fields taken from the most authoritative
source and gaps filled from the others. A record whose raw hash is already stored
for its `(source, source_id)` changes nothing, so re-loading is idempotent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from litmine.extract.assemble import Extraction
from litmine.extract.lexicon import Lexicon
from litmine.record import Author, Deletion, Paper, Quarantined
from litmine.store.db import get_meta, set_meta

# Higher wins when two sources disagree on a field.
SOURCE_PRIORITY = {"pubmed": 4, "epmc": 3, "seed": 2, "s2": 1}
_MERGED_FIELDS = ("title", "abstract", "journal", "pub_date", "pub_year", "epub_date", "language", "vernacular_title",
                  "publication_types", "mesh_terms", "keywords", "authors", "pmid", "doi", "pmcid", "pmid_version")
# fields where the newest record that has a value wins, whatever its source (counts change over time)
_LATEST_FIELDS = ("citation_count",)


def text_hash(title: str, abstract: str) -> str:
    return hashlib.sha256(f"{title}\n{abstract}".encode()).hexdigest()[:16]


@dataclass(slots=True)
class PaperWrite:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    to_extract: list[tuple[str, str, str, str]] = dataclasses.field(default_factory=list)
    # (paper_id, title, abstract, text_hash) of papers whose text is new or changed


def write_papers(con: duckdb.DuckDBPyConnection, papers: Sequence[Paper], run_id: str,
                 extractor_version: str) -> PaperWrite:
    result = PaperWrite()
    if not papers:
        return result
    fresh = changed_records(con, papers)
    existing = _existing_matches(con, fresh) if fresh else {}
    fresh = [p for p in fresh if not _older_pmid_version(p, existing)]
    result.unchanged = len(papers) - len(fresh)
    papers = fresh
    if not papers:
        return result
    identity = _Identity(existing)
    merged: dict[str, tuple[Paper, str]] = {}  # paper_id -> (merged record, winning source)
    records: list[tuple[Paper, str]] = []
    for p in papers:
        pid = identity.match(p)
        if pid in merged:
            merged[pid] = _merge(merged[pid], p)
        elif pid in identity.stored:
            merged[pid] = _merge((_paper_from_row(identity.stored[pid]), identity.stored[pid]["primary_source"]), p)
            result.updated += 1
        else:
            merged[pid] = (p, p.source)
            result.added += 1
        identity.remember(pid, merged[pid][0])
        records.append((p, pid))

    # key lists go to DuckDB as Arrow tables: a large Python list parameter is converted
    # value by value (measured: 20 s for 30k keys), an Arrow column is not
    con.register("_ids", pa.table({"paper_id": pa.array(list(merged), pa.string())}))
    prior_hash = dict(con.execute(
        "SELECT e.paper_id, e.text_hash || '|' || e.extractor_version FROM extraction e "
        "JOIN _ids USING (paper_id)").fetchall())
    con.unregister("_ids")
    rows = []
    authors = []
    for pid, (p, source) in merged.items():
        th = text_hash(p.title, p.abstract)
        rows.append({
            "paper_id": pid, "pmid": p.pmid, "doi": p.doi, "pmcid": p.pmcid, "title": p.title,
            "abstract": p.abstract, "journal": p.journal, "pub_date": p.pub_date, "pub_year": p.pub_year,
            "epub_date": p.epub_date,
            "language": p.language, "vernacular_title": p.vernacular_title,
            "publication_types": p.publication_types, "is_case_report": p.is_case_report,
            "mesh_terms": p.mesh_terms, "keywords": p.keywords, "pmid_version": p.pmid_version,
            "primary_source": source, "text_hash": th, "citation_count": p.citation_count,
        })
        authors.extend((pid, i, *_AUTHOR_FIELDS(a)) for i, a in enumerate(p.authors, 1))
        if prior_hash.get(pid) != f"{th}|{extractor_version}":
            result.to_extract.append((pid, p.title, p.abstract, th))

    paper_tbl = pa.Table.from_pylist(rows, schema=_PAPER_SCHEMA)
    con.register("_paper_batch", paper_tbl)
    con.execute("DELETE FROM paper WHERE paper_id IN (SELECT paper_id FROM _paper_batch)")
    con.execute("INSERT INTO paper BY NAME SELECT *, now() AS updated_at FROM _paper_batch")
    con.execute("DELETE FROM author WHERE paper_id IN (SELECT paper_id FROM _paper_batch)")
    con.unregister("_paper_batch")
    if authors:
        con.register("_author_batch", _columns(authors, _AUTHOR_SCHEMA))
        con.execute("INSERT INTO author SELECT * FROM _author_batch")
        con.unregister("_author_batch")
    src = pa.Table.from_pylist([{"source": p.source, "source_id": p.source_id, "paper_id": pid,
                                 "raw_hash": p.raw_hash, "run_id": run_id} for p, pid in records])
    con.register("_source_batch", src)
    con.execute("INSERT OR REPLACE INTO source_record SELECT source, source_id, paper_id, raw_hash, now(), run_id "
                "FROM _source_batch")
    con.unregister("_source_batch")
    return result


@dataclass(slots=True)
class ExtractionTables:
    """Extraction results as Arrow tables: built where extraction runs (a worker, a shard),
    so the single writer only inserts columns."""

    done: pa.Table  # paper_id, text_hash
    mentions: pa.Table
    entities: pa.Table
    extractor_version: str

    def __len__(self) -> int:
        return self.done.num_rows


def extraction_tables(results: Iterable[tuple[str, str, Extraction]], extractor_version: str) -> ExtractionTables:
    """(paper_id, text_hash, extraction) triples to Arrow, column-wise (attrgetter + zip, no dicts)."""
    mention_rows: list[tuple] = []
    entity_rows: list[tuple] = []
    done: list[tuple[str, str]] = []
    for paper_id, th, ex in results:
        done.append((paper_id, th))
        mention_rows.extend((paper_id, *_MENTION_FIELDS(m)) for m in ex.mentions)
        for category, items in (("tumor_type", ex.tumor_types), ("primary_site", ex.primary_sites),
                                ("metastatic_site", ex.metastatic_sites), ("treatment", ex.treatments)):
            entity_rows.extend((paper_id, category, it.concept_id, it.label, it.mentions) for it in items)
    return ExtractionTables(_columns(done, _DONE_SCHEMA), _columns(mention_rows, _MENTION_SCHEMA),
                            _columns(entity_rows, _ENTITY_SCHEMA), extractor_version)


def write_extraction_tables(con: duckdb.DuckDBPyConnection, tables: ExtractionTables) -> int:
    """Replace the mentions and entities of exactly the papers in `tables.done`."""
    if not len(tables):
        return 0
    con.register("_done", tables.done)
    for table in ("mention", "entity", "extraction"):
        con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT paper_id FROM _done)")
    con.execute("INSERT INTO extraction SELECT paper_id, ?, text_hash, now() FROM _done", [tables.extractor_version])
    con.unregister("_done")
    for name, table in (("mention", tables.mentions), ("entity", tables.entities)):
        if table.num_rows:
            con.register("_rows", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT *, ? AS extractor_version FROM _rows",
                        [tables.extractor_version])
            con.unregister("_rows")
    return len(tables)


def write_extractions(con: duckdb.DuckDBPyConnection, results: Iterable[tuple[str, str, Extraction]],
                      extractor_version: str) -> int:
    """Replace the mentions and entities of exactly these papers: (paper_id, text_hash, extraction)."""
    return write_extraction_tables(con, extraction_tables(results, extractor_version))


def _columns(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    if not rows:
        return schema.empty_table()
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(zip(*rows), schema)], schema=schema)


def apply_deletions(con: duckdb.DuckDBPyConnection, deletions: Sequence[Deletion], run_id: str) -> int:
    """A DeleteCitation removes the paper and every row derived from it."""
    if not deletions:
        return 0
    con.register("_del", pa.Table.from_pylist([{"pmid": d.pmid, "version": d.version} for d in deletions]))
    # a DeleteCitation names a PMID version: deleting version 1 leaves a stored version 2
    match = "p.pmid = d.pmid AND coalesce(p.pmid_version, 1) = d.version"
    doomed = [r[0] for r in con.execute(f"SELECT p.paper_id FROM paper p JOIN _del d ON {match}").fetchall()]
    con.execute(f"INSERT INTO deletion SELECT d.pmid, p.paper_id, ?, now() FROM _del d LEFT JOIN paper p ON {match}",
                [run_id])
    con.unregister("_del")
    if doomed:
        con.register("_doomed", pa.table({"paper_id": pa.array(doomed, pa.string())}))
        for table in ("mention", "entity", "extraction", "author", "source_record", "enrichment", "paper"):
            con.execute(f"DELETE FROM {table} WHERE paper_id IN (SELECT paper_id FROM _doomed)")
        con.unregister("_doomed")
    return len(doomed)


def write_quarantine(con: duckdb.DuckDBPyConnection, items: Sequence[Quarantined], run_id: str) -> int:
    if items:
        con.register("_q", pa.Table.from_pylist([dataclasses.asdict(q) for q in items]))
        con.execute("INSERT INTO quarantine SELECT input, position, reason, raw, ?, now() FROM _q", [run_id])
        con.unregister("_q")
    return len(items)


def load_concepts(con: duckdb.DuckDBPyConnection, lexicon: Lexicon) -> bool:
    """Concepts and their ancestor closure; reloaded only when the lexicon version changes."""
    if get_meta(con, "lexicon_version") == lexicon.version:
        return False
    concepts = lexicon.concepts
    # columns, not a dict per row: the closure has hundreds of thousands of rows
    child, ancestor, distance = [], [], []
    for cid, c in concepts.items():
        child.append(cid)
        ancestor.append(cid)
        distance.append(0)
        frontier, seen, dist = list(c.parents), {cid}, 1
        while frontier:
            nxt = []
            for a in frontier:
                if a not in seen:
                    seen.add(a)
                    child.append(cid)
                    ancestor.append(a)
                    distance.append(dist)
                    if a in concepts:
                        nxt.extend(concepts[a].parents)
            frontier, dist = nxt, dist + 1
    con.execute("DELETE FROM concept")
    con.execute("DELETE FROM concept_ancestor")
    con.register("_c", pa.table({"concept_id": list(concepts), "category": [c.category for c in concepts.values()],
                                 "label": [c.label for c in concepts.values()],
                                 "xrefs": [list(c.xrefs) for c in concepts.values()]}))
    con.execute("INSERT INTO concept SELECT * FROM _c")
    con.unregister("_c")
    con.register("_ca", pa.table({"concept_id": child, "ancestor_id": ancestor,
                                  "distance": pa.array(distance, pa.int32())}))
    con.execute("INSERT INTO concept_ancestor SELECT * FROM _ca")
    con.unregister("_ca")
    set_meta(con, "lexicon_version", lexicon.version)
    return True


# -- merging ------------------------------------------------------------------------

def _id_keys(p: Paper) -> list[str]:
    return [k for k in (f"pmid:{p.pmid}" if p.pmid else None, f"doi:{p.doi}" if p.doi else None,
                        f"pmcid:{p.pmcid}" if p.pmcid else None) if k]


def changed_records(con: duckdb.DuckDBPyConnection, papers: Sequence[Paper]) -> list[Paper]:
    """The records not already stored with the same raw hash (each once: the later wins)."""
    tbl = pa.Table.from_pylist([{"source": p.source, "source_id": p.source_id, "raw_hash": p.raw_hash}
                                for p in papers])
    con.register("_incoming", tbl)
    seen = {(s, i) for s, i in con.execute(
        "SELECT s.source, s.source_id FROM source_record s JOIN _incoming n "
        "ON s.source = n.source AND s.source_id = n.source_id AND s.raw_hash = n.raw_hash").fetchall()}
    con.unregister("_incoming")
    latest: dict[tuple[str, str], Paper] = {}
    for p in papers:  # the same record twice in one batch: the later one wins, unless it is an older PMID version
        key = (p.source, p.source_id)
        if key not in seen and (key not in latest or p.pmid_version >= latest[key].pmid_version):
            latest[key] = p
    return list(latest.values())


def _older_pmid_version(p: Paper, existing: dict[str, list[dict]]) -> bool:
    """A PubMed record older than the version stored (PubMed keeps each version of a
    citation as its own record under one PMID; analysts get the latest)."""
    stored = existing.get(f"pmid:{p.pmid}") if p.source == "pubmed" and p.pmid else None
    return bool(stored) and (stored[0]["pmid_version"] or 1) > p.pmid_version


class _Identity:
    """Which paper a record belongs to. The same PMID is the same paper and different PMIDs are
    never merged: errata, duplicates and corrections carry their original's DOI under PMIDs of
    their own. A DOI or PMCID joins a record to a paper only when that identifier names one
    paper and at most one PMID (the record's own included)."""

    def __init__(self, existing: dict[str, list[dict]]) -> None:
        self.stored: dict[str, dict] = {r["paper_id"]: r for rows in existing.values() for r in rows}
        self.papers: dict[str, set[str]] = {}  # identifier key -> paper_ids (stored or of this batch)
        self.pmid: dict[str, str | None] = {}  # paper_id -> its PMID
        for pid, row in self.stored.items():
            self._index(pid, row["pmid"], row["doi"], row["pmcid"])

    def match(self, p: Paper) -> str:
        if p.pmid and (same := self.papers.get(f"pmid:{p.pmid}")):
            return next(iter(same))
        for key in _id_keys(p)[1 if p.pmid else 0:]:
            pids = self.papers.get(key, set())
            pmids = {self.pmid[x] for x in pids if self.pmid[x]} | ({p.pmid} if p.pmid else set())
            if len(pids) == 1 and len(pmids) <= 1:
                return next(iter(pids))
        # a new paper; its preferred key may name another paper (an ambiguous DOI): use the source's id
        return p.paper_id if p.paper_id not in self.pmid else f"{p.source}:{p.source_id}"

    def remember(self, pid: str, p: Paper) -> None:
        self._index(pid, p.pmid, p.doi, p.pmcid)

    def _index(self, pid: str, pmid: str | None, doi: str | None, pmcid: str | None) -> None:
        self.pmid[pid] = pmid
        for key in (f"pmid:{pmid}" if pmid else None, f"doi:{doi}" if doi else None,
                    f"pmcid:{pmcid}" if pmcid else None):
            if key:
                self.papers.setdefault(key, set()).add(pid)


def _existing_matches(con: duckdb.DuckDBPyConnection, papers: Sequence[Paper]) -> dict[str, list[dict]]:
    """Stored papers sharing an identifier with `papers`, by identifier key (a DOI may name several)."""
    keys = sorted({k for p in papers for k in _id_keys(p)})
    if not keys:
        return {}
    con.register("_keys", pa.table({"k": pa.array(keys, pa.string())}))
    rows = con.execute(
        """SELECT * FROM paper WHERE 'pmid:' || pmid IN (SELECT k FROM _keys)
           OR 'doi:' || doi IN (SELECT k FROM _keys) OR 'pmcid:' || pmcid IN (SELECT k FROM _keys)
           ORDER BY paper_id""",
    ).to_arrow_table().to_pylist()
    con.unregister("_keys")
    if rows:
        con.register("_hit", pa.table({"paper_id": pa.array([r["paper_id"] for r in rows], pa.string())}))
        auth: dict[str, list] = {}
        for r in con.execute("SELECT * FROM author WHERE paper_id IN (SELECT paper_id FROM _hit) "
                             "ORDER BY paper_id, position").to_arrow_table().to_pylist():
            auth.setdefault(r["paper_id"], []).append(r)
        con.unregister("_hit")
        for r in rows:
            r["authors"] = auth.get(r["paper_id"], [])
    out: dict[str, list[dict]] = {}
    for r in rows:
        for k in (f"pmid:{r['pmid']}" if r["pmid"] else None, f"doi:{r['doi']}" if r["doi"] else None,
                  f"pmcid:{r['pmcid']}" if r["pmcid"] else None):
            if k:
                out.setdefault(k, []).append(r)
    return out


def _paper_from_row(row: dict) -> Paper:
    return Paper(
        source=row["primary_source"], source_id=row["paper_id"], title=row["title"], abstract=row["abstract"] or "",
        pmid=row["pmid"], pmid_version=row["pmid_version"] or 1, doi=row["doi"], pmcid=row["pmcid"],
        journal=row["journal"], pub_date=row["pub_date"], pub_year=row["pub_year"], epub_date=row["epub_date"],
        language=row["language"],
        vernacular_title=row["vernacular_title"], publication_types=row["publication_types"] or [],
        mesh_terms=row["mesh_terms"] or [], keywords=row["keywords"] or [],
        authors=[Author(a["last_name"], a["fore_name"], a["initials"], a["collective_name"]) for a in row["authors"]],
        citation_count=row["citation_count"],
    )


def _merge(current: tuple[Paper, str], new: Paper) -> tuple[Paper, str]:
    """Field-wise merge: the higher-priority source wins, the other fills gaps."""
    base, base_source = current
    new_wins = SOURCE_PRIORITY.get(new.source, 0) >= SOURCE_PRIORITY.get(base_source, 0)
    hi, lo = (new, base) if new_wins else (base, new)
    fields = {}
    for f in _MERGED_FIELDS:
        a, b = getattr(hi, f), getattr(lo, f)
        fields[f] = a if a not in (None, "", []) else b
    for f in _LATEST_FIELDS:
        fields[f] = getattr(new, f) if getattr(new, f) is not None else getattr(base, f)
    merged = dataclasses.replace(base, **fields)
    return merged, (new.source if new_wins else base_source)


_LIST = pa.list_(pa.string())
_PAPER_SCHEMA = pa.schema([
    ("paper_id", pa.string()), ("pmid", pa.string()), ("doi", pa.string()), ("pmcid", pa.string()),
    ("title", pa.string()), ("abstract", pa.string()), ("journal", pa.string()), ("pub_date", pa.string()),
    ("pub_year", pa.int32()), ("epub_date", pa.string()), ("language", pa.string()), ("vernacular_title", pa.string()),
    ("publication_types", _LIST), ("is_case_report", pa.bool_()), ("mesh_terms", _LIST), ("keywords", _LIST),
    ("pmid_version", pa.int32()), ("primary_source", pa.string()), ("text_hash", pa.string()),
    ("citation_count", pa.int32()),
])
_AUTHOR_SCHEMA = pa.schema([
    ("paper_id", pa.string()), ("position", pa.int32()), ("last_name", pa.string()), ("fore_name", pa.string()),
    ("initials", pa.string()), ("collective_name", pa.string()),
])
_MENTION_SCHEMA = pa.schema([  # column names of the `mention` table (inserted by name)
    ("paper_id", pa.string()), ("section", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("text", pa.string()), ("category", pa.string()), ("concept_id", pa.string()), ("role", pa.string()),
    ("negated", pa.bool_()), ("hedged", pa.bool_()), ("planned", pa.bool_()), ("relation", pa.string()),
    ("sentence_start", pa.int32()), ("sentence_end", pa.int32()),
])
_AUTHOR_FIELDS = operator.attrgetter(*_AUTHOR_SCHEMA.names[2:])
_MENTION_FIELDS = operator.attrgetter("section", "start", "end", "text", "category", "concept_id", "role", "negated",
                                      "hedged", "planned", "relation", "sentence_start", "sentence_end")
_ENTITY_SCHEMA = pa.schema([
    ("paper_id", pa.string()), ("category", pa.string()), ("concept_id", pa.string()), ("label", pa.string()),
    ("mentions", _LIST),
])
_DONE_SCHEMA = pa.schema([("paper_id", pa.string()), ("text_hash", pa.string())])
