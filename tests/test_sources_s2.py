import json

import pytest

from litmine.record import Paper
from litmine.sources.http import FetchError
from litmine.sources.s2 import SemanticScholar

from conftest import FAST
from replay import cassette, s2_batch_handler, s2_bulk_handler


@pytest.fixture
def s2(replay):
    replay.route("GET", "/paper/search/bulk", s2_bulk_handler())
    replay.route("POST", "/paper/batch", s2_batch_handler())
    replay.url = replay.start()
    return replay


def test_bulk_search_follows_tokens_to_the_end(s2):
    pages = list(SemanticScholar(s2.url, **FAST).search_bulk("kubernetes"))
    assert [len(p) for p in pages] == [1000, 1000, 674]
    # this recording asked only for paperId and citationCount: no titles, so every record is
    # quarantined (a paper without a title is not stored), each once
    assert {type(p).__name__ for page in pages for p in page} == {"Quarantined"}
    assert {p.reason for page in pages for p in page} == {"Semantic Scholar paper has no title"}
    assert len({json.loads(p.raw)["paperId"] for page in pages for p in page}) == 2674
    tokens = [r.query.get("token") for r in s2.log]
    assert tokens[0] is None and all(tokens[1:])


def test_bulk_search_stops_at_max_records(s2):
    pages = list(SemanticScholar(s2.url, **FAST).search_bulk("kubernetes", max_records=1500))
    assert sum(len(p) for p in pages) == 1500 and len(s2.log) == 2


def test_batch_answers_each_id_in_order_and_sends_the_key_as_header(s2):
    ids = ["CorpusId:211530585", "CorpusId:470667", "DOI:10.2139/ssrn.2250500", "PMID:38386710"]
    papers = SemanticScholar(s2.url, api_key="S2KEY", **FAST).batch(ids)
    assert papers[0] is None  # S2 does not know that id: null, as recorded
    assert all(isinstance(p, Paper) for p in papers[1:])
    assert [p.doi for p in papers[1:]] == ["10.2139/ssrn.288970", "10.2139/ssrn.2250500", "10.1073/pnas.2313925121"]
    assert papers[1].citation_count == 10670 and papers[3].pmid == "38386710"
    (req,) = s2.log
    assert req.json == {"ids": ids}
    assert req.headers.get("x-api-key") == "S2KEY" and "S2KEY" not in str(req.query)


def test_batch_answer_of_the_wrong_length_is_a_fetch_error(replay):
    replay.route("POST", "/paper/batch", lambda r: (200, {"Content-Type": "application/json"}, b"[null]"))
    url = replay.start()
    with pytest.raises(FetchError, match="expected a list of 2 answers, got 1"):
        SemanticScholar(url, **FAST).batch(["PMID:1", "PMID:2"])


def test_batch_splits_at_500_ids(s2):
    SemanticScholar(s2.url, **FAST).batch([f"CorpusId:{i}" for i in range(1200)])
    assert [len(r.json["ids"]) for r in s2.log] == [500, 500, 200]


def test_429_twice_then_200_as_recorded(s2):
    s2.fault("/paper/search/bulk", "429", "429")
    pages = list(SemanticScholar(s2.url, **FAST).search_bulk("kubernetes", max_records=10))
    assert len(pages[0]) == 10 and len(s2.log) == 3
    assert s2.log[2].at - s2.log[0].at >= 2.0  # Retry-After: 1, twice


def test_one_request_per_second(s2):
    list(SemanticScholar(s2.url, **FAST).search_bulk("kubernetes"))
    assert s2.max_per_window(1.0) <= 1


def test_forbidden_is_not_retried(replay):
    (_, _, status, body), = cassette("s2_batch_403.yaml")
    replay.route("POST", "/paper/batch", lambda r: (status, {}, body))
    url = replay.start()
    with pytest.raises(FetchError, match="HTTP 403"):
        SemanticScholar(url, **FAST).batch(["x"])
    assert len(replay.log) == 1
