"""Extraction speed and memory.

usage: .venv/bin/python bench/bench_extract.py [--repeat 2] [--stages]
Targets (issue 4): >= 1,000 abstracts/s on one core, cold start of `litmine extract` <= 3 s,
peak RSS <= 1.5 GB, extraction on every core that scales (`ExtractionPool`). Abstracts: the 1,500 BC5CDR titles and
abstracts from ../shared/corpora when present, else the shipped sample records.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
BC5CDR = ROOT.parent / "shared" / "corpora" / "bc5cdr"


def abstracts() -> tuple[str, list[tuple[str, str]]]:
    docs = []
    if BC5CDR.is_dir():
        for split in ("Training", "Development", "Test"):
            title = ""
            for line in open(BC5CDR / f"CDR_{split}Set.PubTator.txt", encoding="utf-8"):
                if "|t|" in line:
                    title = line.split("|t|", 1)[1].strip()
                elif "|a|" in line:
                    docs.append((title, line.split("|a|", 1)[1].strip()))
        return "BC5CDR (1,500 PubMed abstracts)", docs
    from litmine.parse import read_records
    from litmine.record import Paper

    for f in sorted((ROOT / "data" / "samples").glob("*.*")):
        if f.suffix != ".md":
            docs += [(p.title, p.abstract) for p in read_records(f) if isinstance(p, Paper) and p.abstract]
    return "shipped sample records", docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=2, help="passes over the abstracts for the parallel runs")
    ap.add_argument("--stages", action="store_true", help="only time each pipeline stage (ms per abstract)")
    args = ap.parse_args()
    name, docs = abstracts()
    if args.stages:
        stages(docs)
        return
    words = sum(len(t.split()) + len(a.split()) for t, a in docs)
    print(f"corpus: {name}: {len(docs)} docs, {words / len(docs):.0f} words/doc")

    with tempfile.TemporaryDirectory() as tmp:  # cold start of the CLI, as a user runs it
        inp = Path(tmp) / "in.jsonl"
        inp.write_text(json.dumps({"id": "1", "title": docs[0][0], "abstract": docs[0][1]}) + "\n")
        litmine = str(Path(sys.executable).with_name("litmine"))
        t = time.perf_counter()
        subprocess.run([litmine, "extract", str(inp), "-o", str(Path(tmp) / "out.jsonl")], check=True,
                       capture_output=True)
        print(f"cold start `litmine extract` (1 abstract): {time.perf_counter() - t:.2f} s, "
              f"peak RSS {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")

    from litmine.extract.pipeline import Extractor

    t = time.perf_counter()
    ex = Extractor.load()
    print(f"pipeline load in process: {time.perf_counter() - t:.2f} s")
    rates = []
    for _ in range(4):  # the first pass fills the tokenizer cache; later ones are the steady state
        t = time.perf_counter()
        n = sum(1 for _ in ex.extract_many(docs))
        rates.append(n / (time.perf_counter() - t))
    warm = sorted(rates[1:])
    print(f"one core, cold tokenizer cache: {rates[0]:,.0f} abstracts/s ({1000 / rates[0]:.2f} ms/abstract)")
    print(f"one core, warm tokenizer cache: best {warm[-1]:,.0f}, median {warm[1]:,.0f}, worst {warm[0]:,.0f} "
          f"abstracts/s over 3 passes (median {1000 / warm[1]:.2f} ms/abstract)")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    # as `litmine import` / `reextract` extract: chunks of distinct texts, in this process or split
    # over the worker processes of an ExtractionPool
    from litmine.prepare import BATCH, ExtractionPool, chunks, prepare_texts
    from litmine.record import Paper

    papers = [Paper("text", str(k), f"{k // len(docs) + 1}. {title}", abstract)  # each copy a text of its own
              for k, (title, abstract) in enumerate(docs * args.repeat)]
    for workers in (1, 2):
        with ExtractionPool(ex, workers, batch=BATCH // 2) as pool:
            prepared = ((chunk, prepare_texts(ex, chunk)) for chunk in chunks(papers, BATCH // 2)) \
                if workers == 1 else ((p.items, p.tables) for p in pool.prepare(papers, lambda chunk: chunk))
            t = time.perf_counter()
            first = None  # when the first chunk came back: worker start-up is over
            n = n_first = 0
            for items, _ in prepared:
                n += len(items)
                if first is None:
                    first, n_first = time.perf_counter(), n
            dt = time.perf_counter() - t
        steady = (n - n_first) / (time.perf_counter() - first)
        print(f"workers={workers}: {n} abstracts in {dt:.1f} s = {n / dt:,.0f} abstracts/s with start-up; "
              f"{steady:,.0f} abstracts/s after the first chunk")


def stages(docs: list[tuple[str, str]]) -> None:
    """Where the time goes: each spaCy component, then assembly, over all abstracts."""
    from litmine.extract.assemble import assemble
    from litmine.extract.pipeline import Extractor

    ex = Extractor.load()
    t = time.perf_counter()
    for title, abstract in docs:
        ex.make_doc(title, abstract)
    print(f"{'make_doc, cold tokenizer cache':28s} {(time.perf_counter() - t) * 1000 / len(docs):.3f} ms/abstract")
    list(ex.extract_many(docs))  # warm-up: the steady state of a long run
    timings: dict[str, float] = {}
    for _ in range(5):  # the fastest of five passes: this machine's timings are noisy
        t = time.perf_counter()
        batch = [ex.make_doc(title, abstract) for title, abstract in docs]
        run = {"make_doc (tokenizer)": time.perf_counter() - t}
        for name, proc in ex.nlp.pipeline:
            t = time.perf_counter()
            batch = [proc(d) for d in batch]
            run[name] = time.perf_counter() - t
        t = time.perf_counter()
        for d in batch:
            assemble(d, ex.lexicon)
        run["assemble"] = time.perf_counter() - t
        timings = {k: min(v, timings.get(k, v)) for k, v in run.items()}
    for stage, seconds in timings.items():
        print(f"{stage:28s} {seconds * 1000 / len(docs):.3f} ms/abstract")
    print(f"total {len(docs) / sum(timings.values()):,.0f} abstracts/s")


if __name__ == "__main__":
    main()
