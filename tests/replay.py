"""A real HTTP server on 127.0.0.1 that replays recorded API responses and injects faults.

Routes map (method, path) to a handler that returns (status, headers, body). Faults queued
for a path are served first, one per request: "429" (with Retry-After), "500", "502", "503",
"reset" (connection reset), "truncate" (body shorter than its Content-Length), "malformed"
(a 200 whose body is cut, with a matching Content-Length) and "timeout" (no answer in time).
Every request is logged with its arrival time, so tests can check rate limits.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml
from lxml import etree

FIXTURES = Path(__file__).parent / "fixtures"
REPLAY = FIXTURES / "replay"
Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Request:
    at: float
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    json: object
    headers: dict[str, str]


@dataclass
class ReplayServer:
    routes: dict[tuple[str, str], Callable[[Request], Reply]] = field(default_factory=dict)
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    log: list[Request] = field(default_factory=list)
    timeout_seconds: float = 2.0

    def route(self, method: str, path: str, handler: Callable[[Request], Reply]) -> None:
        self.routes[(method, path)] = handler

    def fault(self, path: str, *kinds: str) -> None:
        self.faults[path].extend(kinds)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def max_per_window(self, window: float = 1.0) -> int:
        times = sorted(r.at for r in self.log)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] < t - window + 1e-9:
                j += 1
            best = max(best, i - j + 1)
        return best

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                ctype = self.headers.get("Content-Type", "")
                form = {k: v[-1] for k, v in parse_qs(body.decode()).items()} if "form" in ctype else {}
                payload = json.loads(body) if "json" in ctype and body else None
                req = Request(time.time(), method, parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()},
                              form, payload, dict(self.headers))
                server.log.append(req)
                pending = server.faults.get(parts.path)
                kind = pending.popleft() if pending else None
                handler = server.routes.get((method, parts.path))
                if kind in ("reset", "timeout"):
                    if kind == "timeout":
                        time.sleep(server.timeout_seconds)
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                if kind in ("429", "500", "502", "503"):
                    status = int(kind)
                    body_out = (REPLAY / "s2_429_body.json").read_bytes() if status == 429 else \
                        f"<html><body>{status} Service Unavailable</body></html>".encode()
                    self._send(status, {"Retry-After": "1"} if status == 429 else {}, body_out)
                    return
                if kind == "400-echo-key":  # NCBI's answer to a key it refuses names the key
                    key = form.get("api_key") or req.query.get("api_key") or self.headers.get("x-api-key", "")
                    self._send(400, {"Content-Type": "application/json"}, json.dumps(
                        {"error": "API key invalid", "api-key": key, "type": "api-key", "status": "unknown"}).encode())
                    return
                if handler is None:
                    self._send(404, {}, b'{"error":"no such route in the replay server"}')
                    return
                status, headers, body_out = handler(req)
                if kind == "truncate":
                    self._send(status, headers, body_out, cut=True)
                elif kind == "malformed":
                    self._send(status, headers, body_out[: len(body_out) // 2])
                else:
                    self._send(status, headers, body_out)

            def _send(self, status: int, headers: dict[str, str], body: bytes, cut: bool = False) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if cut else body)
                if cut:
                    self.wfile.flush()
                    self.close_connection = True

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- recorded data --------------------------------------------------------------------

def cassette(name: str) -> list[tuple[str, str, int, bytes]]:
    """(method, uri, status, body) of each interaction; vcrpy and httpx cassette layouts."""
    doc = yaml.safe_load((REPLAY / name).read_text())
    out = []
    for i in doc["interactions"]:
        resp = i["response"]
        body = resp["body"]["string"] if "body" in resp else resp["content"]
        status = resp["status"]["code"] if isinstance(resp.get("status"), dict) else resp.get("status_code", 200)
        out.append((i["request"]["method"], i["request"]["uri"], status, body.encode() if isinstance(body, str) else body))
    return out


class PubmedArchive:
    """Real MEDLINE records (the 604-record update excerpt) served as an E-utilities backend:
    esearch filters by publication date and keeps search histories, efetch returns
    PubmedArticleSet documents. Response bodies follow the recorded esearch document."""

    def __init__(self) -> None:
        tree = etree.parse(gzip.open(FIXTURES / "medline16n0902_update_excerpt.xml.gz"))
        self.records: dict[str, bytes] = {}
        self.dates: dict[str, str] = {}
        for mc in tree.getroot().iter("MedlineCitation"):
            pmid = mc.findtext("PMID")
            self.records[pmid] = b"<PubmedArticle>" + etree.tostring(mc) + b"</PubmedArticle>"
            year = mc.findtext("Article/Journal/JournalIssue/PubDate/Year") or \
                (mc.findtext("Article/Journal/JournalIssue/PubDate/MedlineDate") or "2015")[:4]
            month = mc.findtext("Article/Journal/JournalIssue/PubDate/Month") or "Jan"
            months = "jan feb mar apr may jun jul aug sep oct nov dec".split()
            m = months.index(month[:3].lower()) + 1 if month[:3].lower() in months else int(month) if month.isdigit() else 1
            self.dates[pmid] = f"{year}/{m:02d}/01"
        self.histories: dict[str, list[str]] = {}
        self.template = (REPLAY / "esearch_usehistory.xml").read_text()

    def hits(self, form: dict[str, str]) -> list[str]:
        if "abcXYZ" in form.get("term", ""):
            return []
        lo, hi = form.get("mindate", "0000/00/00"), form.get("maxdate", "9999/99/99")
        uids = [tuple(map(int, r)) for r in re.findall(r"(\d+):(\d+)\[uid\]", form.get("term", ""))]
        return sorted(p for p, d in self.dates.items()
                      if lo <= d <= hi and all(a <= int(p) <= b for a, b in uids))

    def esearch(self, req: Request) -> Reply:
        form = req.form
        if "abcXYZ" in form.get("term", ""):
            return 200, {"Content-Type": "text/xml"}, (REPLAY / "esearch_phrasenotfound.xml").read_bytes()
        ids = self.hits(form)
        retmax = int(form.get("retmax", 20))
        body = self.template
        body = re.sub(r"<Count>\d+</Count>", f"<Count>{len(ids)}</Count>", body)
        body = re.sub(r"<RetMax>\d+</RetMax>", f"<RetMax>{min(retmax, len(ids))}</RetMax>", body)
        key = f"MCID_replay{len(self.histories)}"
        self.histories[key] = ids
        body = re.sub(r"<WebEnv>[^<]*</WebEnv>", f"<WebEnv>{key}</WebEnv>", body)
        body = re.sub(r"<IdList>.*</IdList>", "<IdList>" + "".join(f"<Id>{i}</Id>" for i in ids[:retmax]) + "</IdList>",
                      body, flags=re.S)
        return 200, {"Content-Type": "text/xml"}, body.encode()

    def efetch(self, req: Request) -> Reply:
        form = req.form
        if form.get("WebEnv"):
            ids = self.histories.get(form["WebEnv"], [])
            start = int(form.get("retstart", 0))
            ids = ids[start:start + int(form.get("retmax", 20))]
        else:
            ids = [i for i in form.get("id", "").split(",") if i]
        if not ids:
            return 200, {"Content-Type": "text/xml"}, (REPLAY / "eutils_error.xml").read_bytes()
        body = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
                b'2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>'
                + b"".join(self.records[i] for i in ids if i in self.records) + b"</PubmedArticleSet>")
        return 200, {"Content-Type": "text/xml"}, body


def s2_bulk_handler() -> Callable[[Request], Reply]:
    pages = cassette("s2_bulk_3pages.yaml")
    by_token = {}
    for _, uri, status, body in pages:
        token = parse_qs(urlsplit(uri).query).get("token", [""])[-1]
        by_token[token] = (status, body)

    def handle(req: Request) -> Reply:
        status, body = by_token[req.query.get("token", "")]
        return status, {"Content-Type": "application/json"}, body
    return handle


def s2_papers() -> dict[str, dict | None]:
    """Real Semantic Scholar paper objects by every id form /paper/batch accepts: the recorded
    batch (its request ids and answers, null included) and the recorded search page's papers."""
    (_, _, _, body), = cassette("s2_batch_with_null.yaml")
    (recorded,) = yaml.safe_load((REPLAY / "s2_batch_with_null.yaml").read_text())["interactions"]
    index: dict[str, dict | None] = dict(zip(json.loads(recorded["request"]["body"])["ids"], json.loads(body)))
    search_page = json.loads(cassette("s2_429_429_200.yaml")[-1][3])
    for paper in [p for p in index.values() if p] + search_page["data"]:
        ext = paper.get("externalIds") or {}
        keys = [paper["paperId"], f"CorpusId:{paper.get('corpusId') or ext.get('CorpusId')}"]
        keys += [f"{prefix}:{ext[name]}" for prefix, name in
                 (("DOI", "DOI"), ("PMID", "PubMed"), ("PMCID", "PubMedCentral")) if ext.get(name)]
        index.update(dict.fromkeys(keys, paper))
    return index


def s2_batch_handler() -> Callable[[Request], Reply]:
    """Answers each requested id as the service does: the paper, or null when unknown."""
    index = s2_papers()
    return lambda req: (200, {"Content-Type": "application/json"},
                        json.dumps([index.get(i) for i in req.json["ids"]]).encode())


def epmc_handler() -> Callable[[Request], Reply]:
    first = (REPLAY / "epmc_core_page1.json").read_bytes()
    empty = (REPLAY / "epmc_no_results.json").read_bytes()
    return lambda req: (200, {"Content-Type": "application/json"}, first if req.query.get("cursorMark") == "*" else empty)
