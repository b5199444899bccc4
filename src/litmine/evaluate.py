"""Evaluation of the extractor: document level on the rare-metastasis dev set, mention level on
public gold corpora (brat standoff). The inputs are the optional shared evaluation folder beside
the project, which a clone may not have: the CLI says so instead of failing.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from litmine.extract.pipeline import Extractor

# Corpus entity types -> litmine categories (the choice of comparable types).
CORPORA = {
    "bionlp13cg": {"dir": "bionlp13cg/original-data/test", "ext": ".a1",
                   "types": {"Cancer": "tumor", "Organ": "anatomy", "Tissue": "anatomy"}},
    "maccrobat2020": {"dir": "maccrobat2020/MACCROBAT2020", "ext": ".ann",
                      "types": {"Biological_structure": "anatomy", "Disease_disorder": "tumor",
                                "Medication": "treatment", "Therapeutic_procedure": "treatment"}},
}
# Published in-corpus F1 of trained NER models (shared/corpora/SOURCES.md), for orientation: they
# cover all entity types of the corpus and are trained on it; litmine's matcher is not.
PUBLISHED = {
    "bionlp13cg": "scispaCy en_ner_bionlp13cg_md, all 16 types: 77.84; CNN multi-task (Crichton 2017): ~76",
    "maccrobat2020": "no published mention-level F1 for these types",
}


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "p": self.p, "r": self.r, "f1": self.f1}


DEV_SETS = ("dev", "dev2")  # document-level sets in the shared eval folder, scored apart and pooled


def score_dev(extractor: Extractor, dev: Path | list[Path], scorer: Path) -> dict:
    """Run `litmine extract` semantics over dev.jsonl (or several sets, pooled: every document of
    each counts once) and score with the sets' own scorer."""
    from litmine.ingest import extract_jsonl

    spec = importlib.util.spec_from_file_location("litmine_dev_scorer", scorer)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)  # type: ignore[union-attr]
    records = [json.loads(line) for path in (dev if isinstance(dev, list) else [dev])
               for line in path.read_text().splitlines() if line.strip()]
    gold = {r["id"]: r for r in records}
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        inp.write_text("".join(json.dumps({"id": r["id"], "title": r["title"], "abstract": r["abstract"]}) + "\n"
                               for r in records))
        extract_jsonl(inp, out, extractor)
        pred = {json.loads(x)["id"]: json.loads(x) for x in open(out) if x.strip()}
    result = {"docs": len(gold)}
    f1s = []
    for cat in score.CATS:
        t = PRF()
        for gid, g in gold.items():
            tp, fp, fn = score.score_doc(g["gold"].get(cat, []), g.get("gold_optional", {}).get(cat, []),
                                         pred.get(gid, {}).get(cat, []) or [])
            t.tp += tp
            t.fp += fp
            t.fn += fn
        result[cat] = t
        f1s.append(t.f1)
    result["macro_f1"] = sum(f1s) / len(f1s)
    return result


def read_brat(txt: Path, ann: Path, types: dict[str, str]) -> tuple[str, set[tuple[int, int, str]]]:
    """Text and its text-bound annotations of the mapped types (discontinuous spans: outer bounds)."""
    text = txt.read_text(encoding="utf-8")
    gold = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        if not line.startswith("T"):
            continue
        _, info, _ = line.split("\t", 2)
        kind, *offsets = info.replace(";", " ").split()
        if kind in types:
            nums = [int(x) for x in offsets]
            gold.add((min(nums), max(nums), types[kind]))
    return text, gold


def score_corpus(extractor: Extractor, root: Path, name: str, limit: int | None = None) -> dict[str, dict[str, PRF]]:
    """Mention-level P/R/F1 per category, exact span match and any-overlap match."""
    spec = CORPORA[name]
    folder = root / spec["dir"]
    docs = sorted(p for p in folder.glob("*.txt") if (p.with_suffix(spec["ext"])).exists())[:limit]
    exact: dict[str, PRF] = defaultdict(PRF)
    overlap: dict[str, PRF] = defaultdict(PRF)
    categories = set(spec["types"].values())
    for path in docs:
        text, gold = read_brat(path, path.with_suffix(spec["ext"]), spec["types"])
        pred = {(s, e, c) for s, e, c, _ in extractor.mentions_in(text) if c in categories}
        for cat in categories:
            g = {(s, e) for s, e, c in gold if c == cat}
            p = {(s, e) for s, e, c in pred if c == cat}
            exact[cat].tp += len(g & p)
            exact[cat].fp += len(p - g)
            exact[cat].fn += len(g - p)
            matched_p = {x for x in p if any(x[0] < y[1] and y[0] < x[1] for y in g)}
            matched_g = {y for y in g if any(x[0] < y[1] and y[0] < x[1] for x in p)}
            overlap[cat].tp += len(matched_g)
            overlap[cat].fp += len(p - matched_p)
            overlap[cat].fn += len(g - matched_g)
    return {"docs": len(docs), "exact": dict(exact), "overlap": dict(overlap)}
