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
    con.execute(claims.DATE_MACROS)
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
    for p in papers.values():
        del p["_sentence_index"]
    return list(papers.values())


def _evidence(con, papers: dict[str, dict], fact_ids: dict[str, dict[str, dict]]) -> None:
    """Attach to each fact the sentence(s) it was read in; list what was mentioned but not counted."""
    for p in papers.values():
        p["_sentence_index"] = {}
    rows = con.execute(f"""
        SELECT m.paper_id, m.section, m.start_char, m.end_char, m.category, m.concept_id, m.role, m.negated,
               m.hedged, m.planned, m.relation, c.label,
               coalesce(m.sentence_start, greatest(m.start_char - {CONTEXT_WINDOW}, 0)) AS s0,
               coalesce(m.sentence_end, m.end_char + {CONTEXT_WINDOW}) AS s1,
               substring(CASE m.section WHEN 'title' THEN p.title ELSE p.abstract END, s0 + 1, s1 - s0) AS sentence
        FROM mention m JOIN report_scope USING (paper_id) JOIN paper p USING (paper_id)
        LEFT JOIN concept c USING (concept_id)
        ORDER BY m.paper_id, m.section DESC, m.start_char""").fetchall()
    implied: dict[str, list] = defaultdict(list)  # tumor mentions: evidence of primary sites implied by the tumor
    other: dict[tuple[str, str], dict] = {}
    for pid, section, a, b, category, cid, role, negated, hedged, planned, relation, label, s0, s1, sentence in rows:
        p = papers[pid]
        fact_cats = [c for c in FACTS if RELATION[c] == relation and MENTION_CATEGORY[c] == category]
        fact = next((fact_ids[pid].get(f"{c}|{cid}") for c in fact_cats if f"{c}|{cid}" in fact_ids[pid]), None)
        reasons = [r for r, on in (("negated", negated), ("hedged", hedged), ("planned", planned)) if on]
        if role not in ("patient", "title"):
            reasons.insert(0, role)
        is_fact_concept = any(f"{c}|{cid}" in fact_ids[pid] for c in FACTS if MENTION_CATEGORY[c] == category)
        if fact is None and (not reasons or is_fact_concept):
            continue  # a patient mention that is not a fact, or another mention of a stated fact
        key = (section, s0)
        if key not in p["_sentence_index"]:
            p["_sentence_index"][key] = len(p["sentences"])
            p["sentences"].append({"section": section, "text": (sentence or "").strip()})
        lead = len(sentence or "") - len((sentence or "").lstrip())
        ref = [p["_sentence_index"][key], a - s0 - lead, b - s0 - lead]
        if fact is not None:
            fact["evidence"].append(ref)
            if relation == "tumor_type":
                implied[pid].append(ref)
        else:
            entry = other.setdefault((pid, f"{category}|{cid}"), {"label": label or cid, "category": category,
                                                                   "reasons": [], "evidence": []})
            entry["reasons"] = sorted(set(entry["reasons"]) | set(reasons))
            entry["evidence"].append(ref)
    for (pid, _), entry in other.items():
        papers[pid]["other"].append(entry)
    for pid, facts in fact_ids.items():
        for key, fact in facts.items():
            if not fact["evidence"] and key.startswith("primary_site|"):
                fact["evidence"], fact["implied"] = list(implied[pid]), True  # "renal cell carcinoma" -> kidney


def _first_reports(con, papers: dict[str, dict]) -> None:
    """Each tumor x metastatic site (x treatment) combination of a paper in scope that no paper of
    the whole warehouse reported surely earlier."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE combo AS
        WITH dated AS (SELECT paper_id, pub_key(pub_date, pub_year) AS d FROM paper),
        c AS (
            SELECT DISTINCT t.paper_id, t.label AS tumor, s.label AS site, x.label AS treatment
            FROM entity t JOIN entity s ON s.paper_id = t.paper_id AND s.category = 'metastatic_site'
            LEFT JOIN entity x ON x.paper_id = t.paper_id AND x.category = 'treatment'
            WHERE t.category = 'tumor_type'
            UNION
            SELECT DISTINCT t.paper_id, t.label, s.label, NULL
            FROM entity t JOIN entity s ON s.paper_id = t.paper_id AND s.category = 'metastatic_site'
            WHERE t.category = 'tumor_type')
        SELECT c.*, d.d, min(latest_day(d.d)) OVER (PARTITION BY tumor, site, treatment) AS first_latest,
               count(*) OVER (PARTITION BY tumor, site, treatment) AS reports
        FROM c JOIN dated d USING (paper_id) WHERE d.d IS NOT NULL""")
    for pid, tumor, site, treatment, reports in con.execute("""
            SELECT paper_id, tumor, site, treatment, reports FROM combo JOIN report_scope USING (paper_id)
            WHERE earliest_day(d) <= first_latest ORDER BY paper_id, tumor, site, treatment NULLS FIRST""").fetchall():
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
    con.execute("CREATE OR REPLACE TEMP TABLE claim (claim_no INTEGER, paper_id VARCHAR, section VARCHAR, "
                "a INTEGER, b INTEGER)")
    con.executemany("INSERT INTO claim VALUES (?, ?, ?, ?, ?)",
                    [(i, pid, sec, a, b) for i, (pid, sec, a, b, _) in enumerate(found)])
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
    earlier = defaultdict(list)
    for claim_no, pmid, paper_id, year in con.execute("""
            WITH dated AS (SELECT paper_id, pmid, pub_year, pub_key(pub_date, pub_year) AS d FROM paper),
            under AS (  -- papers with a fact of each kind inside the claimed concept (itself or a descendant)
                SELECT k.claim_no, k.kind, e.paper_id FROM claim_concept k
                JOIN concept_ancestor a ON a.ancestor_id = k.concept_id
                JOIN entity e ON e.concept_id = a.concept_id AND e.category =
                     CASE k.kind WHEN 'tumor' THEN 'tumor_type' WHEN 'site' THEN 'metastatic_site' ELSE 'treatment' END
                UNION
                SELECT k.claim_no, k.kind, e.paper_id FROM claim_concept k
                JOIN entity e ON e.concept_id = k.concept_id AND k.kind = 'treatment' AND e.category = 'treatment'),
            kinds AS (SELECT claim_no, count(DISTINCT kind) AS n FROM claim_concept GROUP BY claim_no),
            hits AS (SELECT u.claim_no, u.paper_id FROM under u JOIN kinds k USING (claim_no)
                     GROUP BY u.claim_no, u.paper_id, k.n HAVING count(DISTINCT u.kind) = k.n)
            SELECT h.claim_no, o.pmid, o.paper_id, o.pub_year FROM hits h
            JOIN claim cl USING (claim_no) JOIN dated me ON me.paper_id = cl.paper_id
            JOIN dated o ON o.paper_id = h.paper_id
            WHERE o.paper_id <> cl.paper_id AND latest_day(o.d) < earliest_day(me.d)
            ORDER BY h.claim_no, o.d, o.paper_id""").fetchall():
        earlier[claim_no].append({"pmid": pmid, "id": paper_id, "year": year})
    combos = defaultdict(lambda: defaultdict(list))
    for claim_no, kind, label in con.execute(
            "SELECT claim_no, kind, label FROM claim_concept ORDER BY claim_no, kind, label").fetchall():
        combos[claim_no][kind].append(label)
    for i, (pid, section, _, _, sentence) in enumerate(found):
        papers[pid]["claims"].append({"sentence": sentence, "section": section,
                                      "combination": {k: combos[i].get(k, []) for k in ("tumor", "site", "treatment")},
                                      "earlier": earlier[i][:5], "earlier_count": len(earlier[i])})
