import re

import pytest

from litmine.record import Paper
from litmine.sources import eutils
from litmine.sources.eutils import EUtils, parse_esearch
from litmine.sources.http import FetchError

from conftest import FAST
from replay import REPLAY, PubmedArchive


@pytest.fixture
def ncbi(replay):
    archive = PubmedArchive()
    replay.route("POST", "/esearch.fcgi", archive.esearch)
    replay.route("POST", "/efetch.fcgi", archive.efetch)
    replay.url = replay.start()
    replay.archive = archive
    return replay


def pmids(batches):
    return [i.pmid for b in batches for i in b.items if isinstance(i, Paper)]


def test_search_fetches_every_hit_once_through_the_history(ncbi):
    client = EUtils(ncbi.url, email="dev@example.org", **FAST)
    got = pmids(client.search("cancer"))
    assert sorted(got) == sorted(ncbi.archive.records) and len(got) == 604
    searches = ncbi.requests_to("/esearch.fcgi")
    assert all(r.method == "POST" and r.form["tool"] == "litmine" and r.form["email"] == "dev@example.org"
               for r in ncbi.log)
    assert any(r.form.get("usehistory") == "y" for r in searches)
    assert all(r.form.get("WebEnv", "").startswith("MCID_replay") for r in ncbi.requests_to("/efetch.fcgi"))


def test_more_hits_than_pageable_are_split_by_date(ncbi, monkeypatch):
    monkeypatch.setattr(eutils, "MAX_PAGEABLE", 150)  # the real limit is 9,999; same logic, smaller corpus
    client = EUtils(ncbi.url, api_key="key", **FAST)  # 10 requests/s: the bisection asks many counts
    parts = list(client.parts("cancer", None, None))
    assert len(parts) > 6 and all(n <= 150 for *_, n in parts) and sum(n for *_, n in parts) == 604
    assert all(term == "cancer" for term, *_ in parts)  # no day has more than 150: dates suffice
    got = pmids(client.search("cancer"))
    assert len(got) == len(set(got)) == 604


def test_a_day_with_more_hits_than_pageable_is_split_by_pmid_ranges(ncbi, monkeypatch):
    from datetime import date

    monkeypatch.setattr(eutils, "MAX_PAGEABLE", 100)  # the real limit is 9,999; same logic, smaller corpus
    day = date(2015, 1, 1)  # 145 of the replayed records carry this date
    client = EUtils(ncbi.url, api_key="key", **FAST)  # 10 requests/s: the bisection asks many counts
    got = pmids(client.search("cancer", since=day, until=day))
    assert sorted(got) == ncbi.archive.hits({"mindate": "2015/01/01", "maxdate": "2015/01/01"}) and len(got) == 145
    fetched = [r.form["term"] for r in ncbi.requests_to("/esearch.fcgi") if r.form.get("usehistory")]
    assert len(fetched) >= 2 and all(re.fullmatch(r"\(cancer\) AND \d+:\d+\[uid\]", t) for t in fetched)


def test_date_limits_and_max_records(ncbi):
    from datetime import date

    client = EUtils(ncbi.url, **FAST)
    in_range = ncbi.archive.hits({"mindate": "2015/10/01", "maxdate": "2015/12/31"})
    got = pmids(client.search("cancer", since=date(2015, 10, 1), until=date(2015, 12, 31)))
    assert sorted(got) == sorted(in_range) and got
    assert len(pmids(client.search("cancer", max_records=50))) == 50


def test_phrase_not_found_is_an_empty_result(ncbi):
    client = EUtils(ncbi.url, **FAST)
    assert list(client.search("abcXYZ")) == []
    r = parse_esearch((REPLAY / "esearch_phrasenotfound.xml").read_bytes())
    assert r.count == 0 and r.errors == ["PhraseNotFound: abcXYZ"] and r.warnings == ["No items found."]


def test_error_document_is_not_retried():
    with pytest.raises(FetchError, match="Neither query_key nor id specified"):
        parse_esearch((REPLAY / "eutils_error.xml").read_bytes())


def test_api_key_raises_the_rate_and_travels_in_the_body(ncbi):
    client = EUtils(ncbi.url, api_key="KEY123", **FAST)
    assert client.http.limiter.interval < 0.11
    list(client.search("cancer", max_records=10))
    assert all(r.form.get("api_key") == "KEY123" and "KEY123" not in str(r.query) for r in ncbi.log)


def test_failed_batch_is_reported_with_its_pmids(ncbi):
    client = EUtils(ncbi.url, attempts=2, **FAST)
    ncbi.fault("/efetch.fcgi", "503", "503")
    results = list(client.search("cancer", max_records=300))
    failed = [r for r in results if isinstance(r, FetchError)]
    assert len(failed) == 1 and len(failed[0].ids) == 200
    assert len(pmids(r for r in results if not isinstance(r, FetchError))) == 100
