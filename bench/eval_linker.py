"""How well the linker of the optional NER path normalizes what the dictionary misses.

usage: .venv/bin/python bench/eval_linker.py   (needs ../shared/corpora/bc5cdr; builds or reuses the
linker index in LITMINE_CACHE_DIR, ~5 min the first time)

BC5CDR's Chemical mentions carry MeSH IDs; litmine's treatment concepts carry MeSH cross-references
(DrugBank). Over the distinct Chemical mentions the dictionary does not match exactly, each is linked
as a treatment at several similarity thresholds: a link is right when the concept's MeSH xref is the
gold ID, wrong when the concept has other MeSH xrefs, unjudged when it has none (most DrugBank
drugs; read those in the printed list). Precision is over judged
links; recall counts the mentions whose gold ID belongs to some lexicon treatment.
"""

from __future__ import annotations

import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
ROOT = Path(__file__).resolve().parents[1]
BC5CDR = ROOT.parent / "shared" / "corpora" / "bc5cdr"


def main() -> None:
    from litmine.extract.lexicon import DEFAULT_DIR
    from litmine.extract.linking import LexiconLinker
    from litmine.extract.pipeline import Extractor
    from litmine.settings import get_settings

    extractor = Extractor.load(ner_model="")
    linker = LexiconLinker(DEFAULT_DIR, get_settings().litmine_cache_dir, threshold=0.0)
    mesh_of = {c.concept_id: {x.removeprefix("MESH:") for x in c.xrefs if x.startswith("MESH:")}
               for c in linker.lexicon.concepts.values() if c.category == "treatment"}
    known = set().union(*mesh_of.values())
    gold: dict[str, str] = {}
    for split in ("Training", "Development", "Test"):
        for line in open(BC5CDR / f"CDR_{split}Set.PubTator.txt", encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 6 and parts[4] == "Chemical" and parts[5] not in ("-1", ""):
                gold.setdefault(parts[3], parts[5].split("|")[0])
    missed = [t for t in gold
              if not any(s == 0 and e == len(t) and c == "treatment" for s, e, c, _ in extractor.mentions_in(t))]
    links = linker.link(missed, "treatment")
    mappable = sum(gold[t] in known for t in missed)
    print(f"BC5CDR distinct Chemical mentions: {len(gold)}; not matched exactly by the dictionary: {len(missed)}, "
          f"of which {mappable} have a gold MeSH ID that is a lexicon treatment")
    print("threshold  links  right  wrong  unjudged  precision  recall")
    for threshold in (0.8, 0.85, 0.9, 0.95):
        right = wrong = unjudged = 0
        for text, link in zip(missed, links):
            if link is None or link[1] < threshold:
                continue
            if gold[text] in mesh_of.get(link[0], ()):
                right += 1
            elif mesh_of.get(link[0]):
                wrong += 1
            else:
                unjudged += 1
        n = right + wrong
        print(f"{threshold:9.2f}  {n + unjudged:5d}  {right:5d}  {wrong:5d}  {unjudged:8d}  "
              f"{right / n if n else 0:9.3f}  {right / mappable if mappable else 0:6.3f}")


    print("links at the 0.9 default (mention -> concept, similarity):")
    for text, link in zip(missed, links):
        if link is not None and link[1] >= 0.9:
            print(f"  {text!r} (gold MeSH {gold[text]}) -> {linker.lexicon.concepts[link[0]].label} {link[1]:.3f}")


if __name__ == "__main__":
    main()
