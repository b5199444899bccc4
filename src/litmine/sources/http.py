"""HTTP for every source: polite rate limits, retries within limits, no secrets in logs.

One `HttpClient` per service. A request and the parsing of its payload form one retried
unit: 429 and 5xx (honouring Retry-After), connection resets, timeouts, truncated bodies and
payloads that do not parse are retried with exponential backoff and jitter; other 4xx fail at
once. The rate limit holds across threads and processes of one machine (a file lock keeps
the next free slot), so concurrent tasks together stay under each service's published limit.
"""

from __future__ import annotations

import email.utils
import fcntl
import json
import logging
import os
import random
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

log = logging.getLogger(__name__)
T = TypeVar("T")
USER_AGENT = "litmine/0.1 (literature mining of rare metastasis case reports)"


class FetchError(RuntimeError):
    """A request that failed for good (a non-retryable status, or retries exhausted)."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class _Retry(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimiter:
    """At most `rate` request starts per second, across threads and processes.

    Each caller reserves the next free slot (spaced 1/rate apart, with a small margin)
    under an exclusive file lock, then sleeps until its slot."""

    def __init__(self, name: str, rate: float, lock_dir: Path | None = None) -> None:
        self.interval = 1.0 / rate * 1.05  # margin: a send delayed by the scheduler arrives late
        lock_dir = lock_dir or Path(os.environ.get("LITMINE_RATE_DIR", Path(tempfile.gettempdir()) / "litmine-rate"))
        lock_dir.mkdir(parents=True, exist_ok=True)
        self.path = lock_dir / f"{name}.slot"
        self._thread_lock = threading.Lock()

    def wait(self) -> None:
        with self._thread_lock, open(self.path, "a+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                f.seek(0)
                raw = f.read().strip()
                now = time.time()
                slot = max(now, float(raw) + self.interval if raw else now)
                f.seek(0)
                f.truncate()
                f.write(repr(slot))
                f.flush()
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)
        delay = slot - time.time()
        if delay > 0:
            time.sleep(delay)


class HttpClient:
    def __init__(self, base_url: str, *, name: str, rate: float, timeout: float = 60.0, attempts: int = 6,
                 backoff: float = 1.0, max_wait: float = 120.0, headers: Mapping[str, str] | None = None,
                 limiter: RateLimiter | None = None, secrets: Iterable[str | None] = ()) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.limiter = limiter or RateLimiter(name, rate)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        # secret headers (x-api-key) are sent but never logged or stored
        self.session.headers.update(headers or {})
        self.requests_sent = 0
        # key values this client sends: a service may echo one in an error body (NCBI does)
        self.secrets = [v for v in secrets if v]

    def scrub(self, text: str) -> str:
        """`text` without this client's key values, as every message that leaves the client is."""
        for secret in self.secrets:
            text = text.replace(secret, "[key]")
        return text

    def call(self, method: str, path: str, parse: Callable[[bytes], T], *, params: Mapping[str, Any] | None = None,
             data: Mapping[str, Any] | None = None, json_body: Any = None, secret: Mapping[str, Any] | None = None,
             describe: str | None = None) -> T:
        """Send a request and parse its body, retrying what can be retried.

        `secret` parameters (API keys) go into the form body (POST) or query, never into
        `describe`, which is what logs and failure records show."""
        what = describe or f"{self.name} {method} {path} {dict(params or {})}"
        retrying = Retrying(stop=stop_after_attempt(self.attempts), wait=self._wait,
                            retry=retry_if_exception_type(_Retry), reraise=True,
                            before_sleep=lambda rs: log.warning("%s", self.scrub(
                                f"{what}: {rs.outcome.exception()}; retrying (attempt {rs.attempt_number} "
                                f"of {self.attempts})")))
        try:
            for attempt in retrying:
                with attempt:
                    return self._once(method, path, parse, params, data, json_body, secret)
        except _Retry as exc:  # `from None`: the unscrubbed cause must not ride along in tracebacks
            raise FetchError(self.scrub(f"{what}: gave up after {self.attempts} attempts: {exc}"),
                             retryable=True) from None
        except FetchError as exc:
            raise FetchError(self.scrub(str(exc)), retryable=exc.retryable) from None
        raise AssertionError("unreachable")

    def _once(self, method, path, parse, params, data, json_body, secret):
        params = dict(params or {})
        if secret:
            if method == "POST" and json_body is None:
                data = {**(data or {}), **secret}
            else:
                params.update(secret)
        self.limiter.wait()
        self.requests_sent += 1
        try:
            url = path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"
            resp = self.session.request(method, url, params=params or None,
                                        data=data, json=json_body, timeout=self.timeout)
            content = resp.content  # a truncated body raises here (Content-Length is enforced)
        except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retry(f"{urlsplit(url).netloc}: {_network_reason(exc)}") from None
        if resp.status_code == 429 or resp.status_code >= 500:
            raise _Retry(f"HTTP {resp.status_code}", retry_after=_retry_after(resp.headers.get("Retry-After")))
        if resp.status_code >= 400:
            raise FetchError(f"HTTP {resp.status_code} from {self.name} {path}: {_excerpt(resp.text)}")
        try:
            return parse(content)
        except ValueError as exc:
            raise _Retry(f"malformed response: {_short(exc)}") from None

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.max_wait)
        # exponential backoff with full jitter
        return random.uniform(0, min(self.max_wait, self.backoff * 2 ** (state.attempt_number - 1)))


def parse_json(content: bytes) -> Any:
    """A JSON payload; a malformed one raises ValueError, which `HttpClient.call` retries."""
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.msg} at {exc.pos})") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _excerpt(body: str, limit: int = 300) -> str:
    """A bounded, one-line excerpt of an error body: what is stored and logged of it."""
    body = " ".join(body.split())
    return body if len(body) <= limit else body[:limit] + "..."


_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def _network_reason(exc: requests.RequestException) -> str:
    """"Connection refused", "Name or service not known", "read timed out" rather than the
    nested repr of requests and urllib3."""
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection broken in the middle of the response"
    found = _ERRNO.search(str(exc))
    return found[1].strip() if found else f"{type(exc).__name__}: {_short(exc)}"


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) < 200 else text[:200] + "..."
