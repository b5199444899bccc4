"""PubMed XML parsing throughput and memory: litmine vs pubmed_parser vs Biopython, same file.

usage: .venv/bin/pip install -e '.[bench]'; .venv/bin/python bench/bench_parse.py [--records 30000]
Each parser runs in a fresh process over one PubmedArticleSet .xml.gz of real (replicated)
MEDLINE records; the table gives records/s and peak RSS. Target (issue 3): at least 2x
pubmed_parser's records/s, memory flat in file size (see the 2x-larger file row for litmine).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import write_pubmed_corpus  # noqa: E402

RUNNERS = {
    "litmine iter_pubmed (lxml iterparse)": """
from pathlib import Path
from litmine.parse.pubmed import iter_pubmed
n = sum(1 for _ in iter_pubmed(Path(PATH)))
""",
    "pubmed_parser parse_medline_xml": """
import pubmed_parser as pp
n = sum(1 for _ in pp.parse_medline_xml(PATH))
""",
    "Biopython Entrez.read (Entrez.parse refuses PubmedArticleSet in 1.88)": """
import gzip
from Bio import Entrez
with gzip.open(PATH, "rb") as f:
    n = len(Entrez.read(f, validate=False)["PubmedArticle"])
""",
}
TIMER = """
import json, resource, time
PATH = {path!r}
t = time.perf_counter()
{body}
dt = time.perf_counter() - t
print(json.dumps({{"n": n, "seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(body: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", TIMER.format(path=str(path), body=body)], capture_output=True,
                         text=True)
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=30_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    path = write_pubmed_corpus(tmp / "corpus.xml.gz", args.records)
    big = write_pubmed_corpus(tmp / "corpus2x.xml.gz", args.records * 2)
    print(f"file: {args.records} records, {path.stat().st_size / 1e6:.1f} MB gzip\n")
    print("| parser | records | seconds | records/s | peak RSS MB |")
    print("|---|---|---|---|---|")
    rows = [(name, path, body) for name, body in RUNNERS.items()]
    rows.append((list(RUNNERS)[0] + ", 2x file", big, RUNNERS[list(RUNNERS)[0]]))
    for name, p, body in rows:
        r = run(body, p)
        if "error" in r:
            print(f"| {name} | - | - | - | {r['error']} |")
        else:
            print(f"| {name} | {r['n']} | {r['seconds']:.1f} | {r['n'] / r['seconds']:,.0f} | {r['rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
