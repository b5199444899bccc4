"""Publication types in PubMed's spelling, whatever the source: one filter ("Case Reports",
`is_case_report`) finds a case report from PubMed, Europe PMC or Semantic Scholar."""

from __future__ import annotations

# Semantic Scholar's publicationTypes
_S2 = {"CaseReport": "Case Reports", "JournalArticle": "Journal Article", "Review": "Review",
       "ClinicalTrial": "Clinical Trial", "LettersAndComments": "Letter", "Editorial": "Editorial",
       "MetaAnalysis": "Meta-Analysis", "Conference": "Congress", "News": "News", "Study": "Journal Article"}
# JATS article-type values, as Europe PMC lists them for full-text (PMC) and preprint records
_JATS = {"case-report": "Case Reports", "research-article": "Journal Article", "review-article": "Review",
         "systematic-review": "Systematic Review", "correction": "Published Erratum", "editorial": "Editorial",
         "letter": "Letter", "article-commentary": "Comment", "reply": "Comment", "news": "News",
         "obituary": "Obituary", "retraction": "Retraction of Publication", "meeting-report": "Congress",
         "brief-report": "Journal Article", "rapid-communication": "Journal Article", "preprint": "Preprint"}


def pubmed_spelling(name: str) -> str:
    name = name.strip()
    return _S2.get(name) or _JATS.get(name.lower()) or name
