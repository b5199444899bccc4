"""Everything a report shows, read from the published database in a few set-based queries.

`collect` returns plain, JSON-ready values: the header, the chart tables and one record per paper
in scope with its facts, the evidence sentence(s) of each fact (mention offsets highlighted),
what was read as background, planned, negated or hedged, the combinations it is the first report
of in the warehouse, and its first-report claims checked against earlier papers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from litmine.report import claims, regions
from litmine.report.scope import Scope, select

FACTS = ("tumor_type", "primary_site", "metastatic_site", "treatment")
RELATION = {"tumor_type": "tumor_type", "primary_site": "primary_site", "metastatic_site": "metastatic_site",
            "treatment": "received"}
MENTION_CATEGORY = {"tumor_type": "tumor", "primary_site": "anatomy", "metastatic_site": "anatomy",
                    "treatment": "treatment"}
CONTEXT_WINDOW = 120  # characters around a mention stored without its sentence (older extractors)


@dataclass
class ReportData:
    scope: Scope
    header: dict[str, Any]
    charts: dict[str, list[dict]]
    papers: list[dict] = field(default_factory=list)
    claims: int = 0


def collect(con: duckdb.DuckDBPyConnection, scope: Scope, exact_sites: bool = False,
            top: int = 15) -> ReportData:
    select(con, scope)
    regions.register(con)
    con.execute(claims.PAPER_DAYS)
    data = ReportData(scope, _header(con, scope), _charts(con, exact_sites, top))
    data.papers = _papers(con)
    data.claims = sum(1 for p in data.papers if p["claims"])
    data.header["first_reports"] = sum(len(p["first"]) for p in data.papers)
    data.header["claims"] = data.claims
    return data


def _header(con, scope: Scope) -> dict[str, Any]:
    papers, cases, with_facts, first_year, last_year = con.execute("""
        SELECT count(*), count(*) FILTER (p.is_case_report),
               count(*) FILTER (p.paper_id IN (SELECT paper_id FROM entity)), min(p.pub_year), max(p.pub_year)
        FROM paper p JOIN report_scope USING (paper_id)""").fetchone()
    sources = con.execute("""
        SELECT source, count(DISTINCT paper_id) FROM source_record JOIN report_scope USING (paper_id)
        GROUP BY source ORDER BY 2 DESC, 1""").fetchall()
    versions = con.execute("""
        SELECT extractor_version, count(*) FROM extraction JOIN report_scope USING (paper_id)
        GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall()
    loaded = con.execute("SELECT max(finished_at) FROM load_run WHERE status = 'ok'").fetchone()[0]
    return {"scope": scope.describe(), "papers": papers, "case_reports": cases, "with_facts": with_facts,
            "years": [first_year, last_year], "sources": sources, "extractor_versions": versions,
            "data_date": loaded.strftime("%Y-%m-%d %H:%M UTC") if loaded else None}


def _charts(con, exact_sites: bool, top: int) -> dict[str, list[dict]]:
    site = "e.label" if exact_sites else "r.region"
    facts = """
        CREATE OR REPLACE TEMP TABLE scoped_fact AS
        SELECT e.paper_id, e.category, e.concept_id, e.label, r.region
        FROM entity e JOIN report_scope USING (paper_id) LEFT JOIN site_region r USING (concept_id)"""
    con.execute(facts)
    rows = lambda sql: [dict(zip([d[0] for d in c.description], r)) for c in [con.execute(sql)] for r in c.fetchall()]  # noqa: E731
    return {
        "matrix": rows(f"""
            WITH t AS (SELECT paper_id, label AS tumor FROM scoped_fact WHERE category = 'tumor_type'),
                 s AS (SELECT DISTINCT paper_id, {site.replace('e.', '').replace('r.', '')} AS site
                       FROM scoped_fact WHERE category = 'metastatic_site'),
                 top_t AS (SELECT tumor FROM t JOIN s USING (paper_id) GROUP BY tumor
                           ORDER BY count(DISTINCT paper_id) DESC, tumor LIMIT {top}),
                 top_s AS (SELECT site FROM s GROUP BY site ORDER BY count(*) DESC, site LIMIT {top * 2})
            SELECT tumor, site, count(DISTINCT paper_id) AS papers FROM t JOIN s USING (paper_id)
            WHERE tumor IN (SELECT tumor FROM top_t) AND site IN (SELECT site FROM top_s)
            GROUP BY ALL ORDER BY tumor, site"""),
        "years": rows("""
            SELECT p.pub_year AS year, CASE WHEN p.is_case_report THEN 'case reports' ELSE 'other papers' END AS kind,
                   count(*) AS papers
            FROM paper p JOIN report_scope USING (paper_id) WHERE p.pub_year IS NOT NULL
            GROUP BY ALL ORDER BY year, kind"""),
        "treatments": rows(f"""
            WITH t AS (SELECT paper_id, label AS tumor FROM scoped_fact WHERE category = 'tumor_type'),
                 x AS (SELECT paper_id, label AS treatment FROM scoped_fact WHERE category = 'treatment'),
                 top_t AS (SELECT tumor FROM t JOIN x USING (paper_id) GROUP BY tumor
                           ORDER BY count(DISTINCT paper_id) DESC, tumor LIMIT {top}),
                 top_x AS (SELECT treatment FROM x GROUP BY treatment ORDER BY count(*) DESC, treatment LIMIT {top})
            SELECT tumor, treatment, count(DISTINCT paper_id) AS papers FROM t JOIN x USING (paper_id)
            WHERE tumor IN (SELECT tumor FROM top_t) AND treatment IN (SELECT treatment FROM top_x)
            GROUP BY ALL ORDER BY tumor, treatment"""),
        "regions": rows("""
            SELECT region, count(DISTINCT paper_id) AS papers, string_agg(DISTINCT label, ', ' ORDER BY label) AS sites
            FROM scoped_fact WHERE category = 'metastatic_site' GROUP BY region ORDER BY papers DESC, region"""),
    }


def _papers(con) -> list[dict]:
    papers: dict[str, dict] = {}
    for pid, pmid, doi, pmcid, title, year, date, journal, case in con.execute("""
            SELECT p.paper_id, p.pmid, p.doi, p.pmcid, p.title, p.pub_year, p.pub_date, p.journal, p.is_case_report
            FROM paper p JOIN report_scope USING (paper_id)
            ORDER BY p.pub_year DESC NULLS LAST, p.pub_date DESC NULLS LAST, p.paper_id""").fetchall():
        papers[pid] = {"id": pid, "pmid": pmid, "doi": doi, "pmcid": pmcid, "title": title, "year": year,
                       "date": date, "journal": journal, "case_report": bool(case),
                       "facts": {c: [] for c in FACTS}, "other": [], "sentences": [], "first": [], "claims": []}
    fact_ids: dict[str, dict[str, dict]] = defaultdict(dict)  # paper -> "category|concept" -> fact
    for pid, category, cid, label, region in con.execute("""
            SELECT e.paper_id, e.category, e.concept_id, e.label, r.region
            FROM entity e JOIN report_scope USING (paper_id) LEFT JOIN site_region r USING (concept_id)
            ORDER BY e.paper_id, e.category, e.label""").fetchall():
        fact = {"label": label, "id": cid, "evidence": []}
        if category == "metastatic_site":
            fact["region"] = region
        papers[pid]["facts"][category].append(fact)
        fact_ids[pid][f"{category}|{cid}"] = fact
    _evidence(con, papers, fact_ids)
    _first_reports(con, papers)
    _claims(con, papers)
    return list(papers.values())


def _evidence(con, papers: dict[str, dict], fact_ids: dict[str, dict[str, dict]]) -> None:
    """Attach to each fact the sentence(s) it was read in; list what was mentioned but not counted
    (read as background, a recommendation, planned, negated or hedged, and not a fact otherwise)."""
    relation_to_fact = " ".join(f"WHEN '{r}' THEN '{c}'" for c, r in RELATION.items())
    mention_categories = " ".join(f"WHEN '{c}' THEN '{m}'" for c, m in MENTION_CATEGORY.items())
    rows = con.execute(f"""
        WITH facts AS (SELECT paper_id, category, concept_id, CASE category {mention_categories} END AS kind
                       FROM entity JOIN report_scope USING (paper_id)),
        m AS (
            SELECT m.*, CASE m.relation {relation_to_fact} END AS fact_category,
                   list_filter([CASE WHEN m.role NOT IN ('patient', 'title') THEN m.role END,
                                CASE WHEN m.negated THEN 'negated' END, CASE WHEN m.hedged THEN 'hedged' END,
                                CASE WHEN m.planned THEN 'planned' END], x -> x IS NOT NULL) AS reasons
            FROM mention m JOIN report_scope USING (paper_id))
        SELECT m.paper_id, m.section, m.start_char, m.end_char, m.category, m.concept_id, c.label, m.reasons,
               CASE WHEN f.paper_id IS NOT NULL THEN f.category || '|' || f.concept_id END AS fact_key,
               coalesce(m.sentence_start, greatest(m.start_char - {CONTEXT_WINDOW}, 0)) AS s0,
               coalesce(m.sentence_end, m.end_char + {CONTEXT_WINDOW}) AS s1,
               trim(substring(CASE m.section WHEN 'title' THEN p.title ELSE p.abstract END, s0 + 1, s1 - s0)) AS sentence,
               length(substring(CASE m.section WHEN 'title' THEN p.title ELSE p.abstract END, s0 + 1, s1 - s0))
                 - length(ltrim(substring(CASE m.section WHEN 'title' THEN p.title ELSE p.abstract END, s0 + 1, s1 - s0)))
                 AS lead
        FROM m JOIN paper p USING (paper_id) LEFT JOIN concept c USING (concept_id)
        LEFT JOIN facts f ON f.paper_id = m.paper_id AND f.category = m.fact_category AND f.concept_id = m.concept_id
        WHERE f.paper_id IS NOT NULL
           OR (len(m.reasons) > 0 AND NOT EXISTS (  -- another mention of a stated fact is not "not counted"
               SELECT 1 FROM facts g WHERE g.paper_id = m.paper_id AND g.concept_id = m.concept_id AND g.kind = m.category))
        ORDER BY m.paper_id, m.section DESC, m.start_char""").fetchall()
    index: dict[tuple[str, str, int], int] = {}  # (paper, section, sentence start) -> position in its list
    implied: dict[str, list] = defaultdict(list)  # tumor mentions: evidence of primary sites implied by the tumor
    other: dict[tuple[str, str], dict] = {}
    for pid, section, a, b, category, cid, label, reasons, fact_key, s0, _, sentence, lead in rows:
        p = papers[pid]
        key = (pid, section, s0)
        if key not in index:
            index[key] = len(p["sentences"])
            p["sentences"].append({"section": section, "text": sentence or ""})
        ref = [index[key], a - s0 - lead, b - s0 - lead]
        if fact_key is not None:
            fact_ids[pid][fact_key]["evidence"].append(ref)
            if fact_key.startswith("tumor_type|"):
                implied[pid].append(ref)
            continue
        entry = other.get((pid, cid))
        if entry is None:
            entry = other[(pid, cid)] = {"label": label or cid, "category": category, "reasons": [], "evidence": []}
            p["other"].append(entry)
        entry["reasons"] = sorted(set(entry["reasons"]) | set(reasons))
        entry["evidence"].append(ref)
    for pid, facts in fact_ids.items():
        for key, fact in facts.items():
            if not fact["evidence"] and key.startswith("primary_site|"):
                fact["evidence"], fact["implied"] = list(implied[pid]), True  # "renal cell carcinoma" -> kidney


def _first_reports(con, papers: dict[str, dict]) -> None:
    """Each tumor x metastatic site (x treatment) combination of a paper in scope that no paper of
    the whole warehouse reported surely earlier."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE combo AS
        WITH c AS (
            SELECT DISTINCT t.paper_id, t.label AS tumor, s.label AS site, x.label AS treatment
            FROM entity t JOIN entity s ON s.paper_id = t.paper_id AND s.category = 'metastatic_site'
            LEFT JOIN entity x ON x.paper_id = t.paper_id AND x.category = 'treatment'
            WHERE t.category = 'tumor_type'
            UNION
            SELECT DISTINCT t.paper_id, t.label, s.label, NULL
            FROM entity t JOIN entity s ON s.paper_id = t.paper_id AND s.category = 'metastatic_site'
            WHERE t.category = 'tumor_type')
        SELECT c.*, d.first_day, min(d.last_day) OVER (PARTITION BY tumor, site, treatment) AS first_latest,
               count(*) OVER (PARTITION BY tumor, site, treatment) AS reports
        FROM c JOIN paper_day d USING (paper_id) WHERE d.d IS NOT NULL""")
    for pid, tumor, site, treatment, reports in con.execute("""
            SELECT paper_id, tumor, site, treatment, reports FROM combo JOIN report_scope USING (paper_id)
            WHERE first_day <= first_latest ORDER BY paper_id, tumor, site, treatment NULLS FIRST""").fetchall():
        papers[pid]["first"].append({"tumor": tumor, "site": site, "treatment": treatment, "reports": reports})


def _claims(con, papers: dict[str, dict]) -> None:
    found = []
    for pid, title, abstract in con.execute("""
            SELECT p.paper_id, p.title, coalesce(p.abstract, '') FROM paper p JOIN report_scope USING (paper_id)
            WHERE p.paper_id IN (SELECT paper_id FROM entity WHERE category = 'tumor_type')  -- a claim about a case
              AND regexp_matches(p.title || ' ' || coalesce(p.abstract, ''),
                  '(?i)first|previously|knowledge|no (previous|prior|earlier)|never')""").fetchall():
        for section, text in (("title", title), ("abstract", abstract)):
            for a, b in claims.claim_sentences(text):
                found.append((pid, section, a, b, text[a:b].strip()))
    if not found:
        return
    found_tbl = pa.table({"claim_no": pa.array(range(len(found)), pa.int32()),
                          **{k: [f[i] for f in found] for i, k in enumerate(("paper_id", "section", "a", "b"))}})
    con.register("found_claims", found_tbl)
    con.execute("CREATE OR REPLACE TEMP TABLE claim AS SELECT f.*, d.first_day FROM found_claims f "
                "JOIN paper_day d USING (paper_id)")
    con.unregister("found_claims")
    # the claimed combination: the paper's tumor types; the sites and treatments the claim sentence
    # names (sites default to the paper's metastatic sites)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE claim_concept AS
        SELECT cl.claim_no, 'tumor' AS kind, e.concept_id, e.label FROM claim cl
        JOIN entity e ON e.paper_id = cl.paper_id AND e.category = 'tumor_type'
        UNION
        SELECT cl.claim_no, CASE m.category WHEN 'anatomy' THEN 'site' ELSE 'treatment' END, m.concept_id, c.label
        FROM claim cl JOIN mention m ON m.paper_id = cl.paper_id AND m.section = cl.section
             AND m.start_char >= cl.a AND m.end_char <= cl.b AND m.category IN ('anatomy', 'treatment')
        JOIN concept c ON c.concept_id = m.concept_id""")
    con.execute("""
        INSERT INTO claim_concept
        SELECT cl.claim_no, 'site', e.concept_id, e.label FROM claim cl
        JOIN entity e ON e.paper_id = cl.paper_id AND e.category = 'metastatic_site'
        WHERE NOT EXISTS (SELECT 1 FROM claim_concept k WHERE k.claim_no = cl.claim_no AND k.kind = 'site')""")
    earlier, earlier_count = defaultdict(list), defaultdict(int)
    for claim_no, pmid, paper_id, year, n in con.execute("""
            -- claims of the same combination share their candidates: look them up once per combination
            WITH sig AS (SELECT claim_no, string_agg(kind || '=' || concept_id, ',' ORDER BY kind, concept_id) AS sig
                    FROM claim_concept GROUP BY claim_no),
            sig_concept AS (SELECT DISTINCT s.sig, k.kind, k.concept_id FROM sig s JOIN claim_concept k USING (claim_no)),
            under AS (  -- papers with a fact of each kind inside the claimed concept (itself or a descendant)
                SELECT k.sig, k.kind, e.paper_id FROM sig_concept k
                JOIN concept_ancestor a ON a.ancestor_id = k.concept_id
                JOIN entity e ON e.concept_id = a.concept_id AND e.category =
                     CASE k.kind WHEN 'tumor' THEN 'tumor_type' WHEN 'site' THEN 'metastatic_site' ELSE 'treatment' END
                UNION
                SELECT k.sig, k.kind, e.paper_id FROM sig_concept k
                JOIN entity e ON e.concept_id = k.concept_id AND k.kind = 'treatment' AND e.category = 'treatment'),
            kinds AS (SELECT sig, count(DISTINCT kind) AS n FROM sig_concept GROUP BY sig),
            hits AS (SELECT u.sig, u.paper_id FROM under u JOIN kinds k USING (sig)
                     GROUP BY u.sig, u.paper_id, k.n HAVING count(DISTINCT u.kind) = k.n),
            candidate AS (  -- the claim's own date travels with each candidate: one equality join below
                SELECT s.claim_no, h.paper_id, cl.paper_id AS claimant, cl.first_day AS claim_day
                FROM sig s JOIN hits h USING (sig) JOIN claim cl USING (claim_no))
            SELECT c.claim_no, o.pmid, o.paper_id, o.pub_year, count(*) OVER (PARTITION BY c.claim_no) AS n
            FROM candidate c JOIN paper_day o ON o.paper_id = c.paper_id AND o.last_day < c.claim_day
            WHERE o.paper_id <> c.claimant
            QUALIFY row_number() OVER (PARTITION BY c.claim_no ORDER BY o.d, o.paper_id) <= 5  -- the earliest
            ORDER BY c.claim_no, o.d, o.paper_id""").fetchall():
        earlier[claim_no].append({"pmid": pmid, "id": paper_id, "year": year})
        earlier_count[claim_no] = n
    combos = defaultdict(lambda: defaultdict(list))
    for claim_no, kind, label in con.execute(
            "SELECT claim_no, kind, label FROM claim_concept ORDER BY claim_no, kind, label").fetchall():
        combos[claim_no][kind].append(label)
    for i, (pid, section, _, _, sentence) in enumerate(found):
        papers[pid]["claims"].append({"sentence": sentence, "section": section,
                                      "combination": {k: combos[i].get(k, []) for k in ("tumor", "site", "treatment")},
                                      "earlier": earlier[i], "earlier_count": earlier_count[i]})
