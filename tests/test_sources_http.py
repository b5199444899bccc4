import json
import logging
import multiprocessing
import time

import pytest

from litmine.sources.http import FetchError, HttpClient, RateLimiter

from conftest import FAST


def client(url, rate=50.0, **kw):
    return HttpClient(url, name="test", rate=rate, **{**FAST, **kw})


@pytest.fixture
def server(replay):
    replay.route("GET", "/ok", lambda r: (200, {"Content-Type": "application/json"}, b'{"answer": 42}'))
    replay.url = replay.start()
    return replay


@pytest.mark.parametrize("fault", ["500", "502", "503", "reset", "truncate", "malformed", "timeout"])
def test_faults_are_retried(server, fault):
    server.fault("/ok", fault, fault)
    assert client(server.url).call("GET", "/ok", json.loads) == {"answer": 42}
    assert len(server.requests_to("/ok")) == 3


def test_429_honours_retry_after(server):
    server.fault("/ok", "429")
    start = time.perf_counter()
    assert client(server.url).call("GET", "/ok", json.loads) == {"answer": 42}
    assert time.perf_counter() - start >= 1.0  # the server said Retry-After: 1
    first, second = server.requests_to("/ok")
    assert second.at - first.at >= 1.0


def test_gives_up_after_the_attempt_limit(server):
    server.fault("/ok", *["503"] * 5)
    with pytest.raises(FetchError, match="gave up after 3 attempts: HTTP 503") as info:
        client(server.url, attempts=3).call("GET", "/ok", json.loads)
    assert info.value.retryable


def test_client_errors_fail_at_once(server):
    with pytest.raises(FetchError, match="HTTP 404"):
        client(server.url).call("GET", "/nope", json.loads)
    assert len(server.requests_to("/nope")) == 1


def test_secret_parameters_stay_out_of_urls_and_logs(server, caplog):
    server.route("POST", "/post", lambda r: (200, {}, json.dumps(r.form).encode()))
    server.fault("/post", "503")
    caplog.set_level(logging.DEBUG)
    echoed = client(server.url).call("POST", "/post", json.loads, data={"q": "x"}, secret={"api_key": "SEKRET"})
    assert echoed == {"q": "x", "api_key": "SEKRET"}  # sent in the form body
    assert all("SEKRET" not in (r.path + str(r.query)) for r in server.log)
    assert "SEKRET" not in caplog.text and "retrying" in caplog.text


def _burst(url: str, n: int, rate_dir: str) -> None:
    import os

    os.environ["LITMINE_RATE_DIR"] = rate_dir
    c = HttpClient(url, name="shared", rate=3.0, **FAST)
    for _ in range(n):
        c.call("GET", "/ok", json.loads)


def test_rate_limit_holds_across_processes(server, tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_burst, args=(server.url, 4, str(tmp_path / "rate"))) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert len(server.log) == 8 and server.max_per_window(1.0) <= 3


def test_rate_limiter_spaces_requests(tmp_path):
    limiter = RateLimiter("spacing", rate=10.0, lock_dir=tmp_path)
    slots, start = [], time.perf_counter()
    for _ in range(5):
        limiter.wait()
        slots.append(float(limiter.path.read_text()))  # the slot this call reserved
    # reserved start times are spaced by at least 1/rate; waiting for them takes at least that long
    # (measuring after each return would add the scheduler's noise to the gaps)
    assert min(b - a for a, b in zip(slots, slots[1:])) >= 0.1
    assert time.perf_counter() - start >= 0.4
