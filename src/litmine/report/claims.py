"""First-report claims: abstracts that say they are the first ("the first reported case", "to our
knowledge ... first", "has not been previously described") and what the warehouse says about them.

A claim is about the paper's tumor type, the sites named in the claim sentence (else the paper's
metastatic sites) and the treatments named in it (if any). An earlier report is a paper surely
published before this one (see `dates`) whose tumor type is the claimed one or a subtype, with a
metastatic site inside a claimed site and, when the claim names treatments, a treatment that is
one of them or a kind of one (the concept hierarchy; drugs without one match only themselves).
"""

from __future__ import annotations

import re

# Markers of a claim of priority. Each needs a first-person or "this is" frame or a negated
# "previously described": "The first case was described in 1950" is literature, not a claim.
CLAIM = re.compile(
    r"to (?:the best of )?(?:our|the authors'?) knowledge\b[^.!?\n]{0,200}?\b(?:first|no (?:previous|prior|other|similar)|"
    r"not (?:been )?(?:previously |yet )?(?:described|reported|documented)|never)\b"
    r"|\b(?:this|it|ours|which) (?:is|was|represents|may be|might be) (?:\w+ ){0,2}first\b"
    r"|\b(?:we|this (?:report|paper|article|study)|herein|here we) (?:\w+ ){0,3}?(?:report|describe|present|document)s?"
    r" (?:\w+ ){0,2}?first\b"
    r"|\bfirst (?:reported|documented|described|published) (?:case|report|description|use)\b"
    r"|\bfirst (?:description|report) of\b"
    r"|\b(?:has|have|had) (?:not|never) (?:yet )?(?:been )?(?:previously |yet |before )?(?:been )?"
    r"(?:described|reported|documented)\b"
    r"|\bnot (?:been )?previously (?:described|reported|documented)\b"
    r"|\bno (?:previous|prior|earlier) (?:cases?|reports?|descriptions?)\b",
    re.IGNORECASE)

# Sentence ends for claim detection only (facts carry the extractor's own sentence offsets).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])|\n+")


# Words every claim contains: sentences without one are not matched against CLAIM (10x faster).
_CUE = re.compile(r"first|previous|prior|earlier|knowledge|never|\bnot\b", re.IGNORECASE)


def claim_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `text` that claim a first."""
    out, start = [], 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        if _CUE.search(text, start, end) and CLAIM.search(text[start:end]):
            out.append((start, end))
        start = m.end() if m else end
    return out


# Partial ISO dates ('2015', '2015-10') cover a span: a paper is surely earlier than another
# only when its latest possible day comes before the other's earliest. One row per paper.
PAPER_DAYS = """
CREATE OR REPLACE TEMP TABLE paper_day AS
SELECT paper_id, pmid, pub_year, d, d || substr('-00-00', length(d) - 3) AS first_day,
       d || substr('-12-31', length(d) - 3) AS last_day
FROM (SELECT paper_id, pmid, pub_year, coalesce(pub_date, CAST(pub_year AS VARCHAR)) AS d FROM paper)
"""
