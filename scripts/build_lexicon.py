#!/usr/bin/env python3
"""Compile litmine's shipped lexicon from the ontology files in ../shared/ontologies.

usage: python scripts/build_lexicon.py [--shared DIR] [--out data/lexicon]

Writes concepts.tsv (id, category, label, parents, xrefs, primary_site), terms.tsv
(one row per surface form, pre-tokenized) and VERSION. Inputs: UBERON (anatomy),
MONDO neoplasms with OncoTree / NCIt cross-references (tumors), DrugBank open
vocabulary + FDA UNII brand names + MeSH therapeutic and surgical procedures
(treatments), and data/lexicon/curated.tsv. Re-running on the same inputs gives
byte-identical output.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from litmine.extract.lexicon import MisspellingIndex, is_case_sensitive, is_drug, norm_token  # noqa: E402

# Terms too generic to name a concept on their own.
STOP_TERMS = {
    "anatomy": {"tissue", "organ", "region", "structure", "system", "space", "surface", "body", "part", "segment",
                "layer", "wall", "cavity", "margin", "side", "portion", "zone", "area", "site", "mass", "entity",
                "lobe", "unit", "duct", "gland", "node", "vessel", "cell", "organism", "lumen", "tube", "joint",
                "fluid", "matrix", "material", "compartment", "skin region", "skin zone", "region of skin",
                "portion of skin", "head", "neck", "trunk", "anatomical entity", "anatomical structure", "life",
                "lifespan", "muscle", "bud", "primordium", "pad", "fat", "hair", "plate", "process", "tract",
                "cord", "fold", "ring", "column", "base", "apex", "body proper", "whole body", "tip", "cap",
                "root", "stalk", "bulb", "horn", "head", "chest", "back", "arm", "leg", "foot", "hand", "face",
                "temple", "chin", "pelvis", "spine", "orbit", "bone", "skin", "blood", "lymph", "limb", "digit",
                "cervical", "oral", "nasal", "spinal", "cranial", "iliac", "pubic", "facial", "dural", "labial",
                "lingual", "pedal", "costal", "sacral", "navicular", "marrow", "dura", "mouth", "gum", "tonsil",
                "womb", "cutis", "bowel", "intestinal", "bladder", "vesical", "nephric", "mental region",
                "membrane", "palatine", "hilum", "hilus", "tissue", "periorbital", "organ system"},
    # bare "tumor", "cancer" stay: next to an organ they compose ("pancreatic head tumor")
    "tumor": {"malignant neoplasm", "malignant tumor", "malignant tumour", "metastasis", "metastases", "metastatic neoplasm", "metastatic tumor",
              "metastatic cancer", "neoplasm metastasis", "lesion", "growth", "mass", "benign neoplasm",
              "neoplastic disease", "tumor of", "cancer of", "primary tumor", "secondary neoplasm",
              "primary malignant neoplasm", "malignant neoplastic disease", "neoplasia",
              "malignant neoplasm of", "hamartoma", "cyst", "nodule", "polyp", "carcinomatosis",
              "metastatic disease", "metastatic malignant neoplasm", "disseminated disease"},
    "treatment": {"therapy", "treatment", "therapeutics", "drug", "agent", "management", "care", "procedure",
                  "surgical procedure", "operative procedure", "medication", "oxygen", "water", "saline", "air",
                  "iron", "zinc", "calcium", "sodium", "potassium", "magnesium", "glucose", "alcohol", "ethanol",
                  "vitamin", "protein", "collagen", "dextrose", "sugar", "salt", "carbon", "nitrogen",
                  "biopsy", "imaging", "scan", "examination", "observation", "follow-up", "support",
                  "pet", "ct", "mri", "dota", "tate", "psma", "gallium", "lutetium", "iodine", "radium",
                  "injection", "injections", "operation", "operations", "infusion", "infusions"},  # a route or an event
}
# UBERON branches that are not adult human anatomy.
UBERON_EXCLUDE_ROOTS = {"UBERON:0002050", "UBERON:0005423", "UBERON:0000105", "UBERON:0000104",
                        "UBERON:0000463"}  # embryonic, developing, life stages, body substances (serum, bile)
# MeSH therapeutic (E02) and surgical (E04) branches that hold anticancer treatments; the rest
# (rehabilitation, patient care, reproductive techniques, biopsy, drainage, plastic surgery...)
# is either not a treatment here or optional under the guidelines, and only adds noise.
MESH_TREATMENT_BRANCHES = (
    "E02.095", "E02.154", "E02.186", "E02.258", "E02.319", "E02.348", "E02.565", "E02.594", "E02.774",
    "E02.808", "E02.815", "E02.895", "E02.926",
    "E04.014", "E04.035", "E04.100", "E04.157", "E04.166", "E04.210", "E04.221", "E04.262", "E04.270",
    "E04.406", "E04.426", "E04.446", "E04.466", "E04.480", "E04.494", "E04.502", "E04.506", "E04.515",
    "E04.525", "E04.540", "E04.545", "E04.555", "E04.579", "E04.580", "E04.584", "E04.620", "E04.690",
    "E04.708", "E04.726", "E04.910", "E04.928", "E04.936", "E04.943", "E04.950")
POSITIONAL_REGION = re.compile(r"((?:sub|supra|infra|pre|retro|para|peri|post|inter|extra|epi|hypo)[a-z]+"
                               r"(?:al|ar|ic|ary|eal))\s+(?:region|space|area|fossa)")
UBERON_EXCLUDE_WORDS = re.compile(r"\b(embryo\w*|fetal|foetal|primordi\w*|larva\w*|fin|gill|tadpole|bud|placode|"
                                  r"anlage|future|presumptive|ectoderm|mesoderm|endoderm|somite|insect|avian)\b")
ANTICANCER_ACTIONS = re.compile(r"^(Antineoplastic Agents.*|Radiopharmaceuticals|Immune Checkpoint Inhibitors|"
                                r"Protein Kinase Inhibitors|Aromatase Inhibitors|Bone Density Conservation Agents|"
                                r"Estrogen Antagonists|Androgen Antagonists|Selective Estrogen Receptor Modulators|"
                                r"Angiogenesis Inhibitors|Topoisomerase I{1,2} Inhibitors|Tubulin Modulators|"
                                r"Antibodies, Monoclonal.*|Histone Deacetylase Inhibitors|Antimetabolites, Antineoplastic)$")


_SALTS = re.compile(r"\s+(acetate|hydrochloride|dihydrochloride|mesylate|dimesylate|sodium|disodium|potassium|"
                    r"citrate|tartrate|bitartrate|maleate|malate|tosylate|besylate|sulfate|phosphate|succinate|"
                    r"fumarate|bromide|chloride|hyclate|calcium|monohydrate|hydrate|dihydrate|pamoate|embonate)$", re.I)


def strip_salt(name: str) -> str:
    """'Lanreotide Acetate' -> 'Lanreotide': source lists differ on salt forms."""
    return _SALTS.sub("", name.strip())


def nfold(s: str) -> str:
    """Loose string key for joining names across sources."""
    s = s.lower().replace("(disease)", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    return " ".join(norm_token(w) for w in s.split())



def predisposition_syndromes(rows: list[dict]) -> set[str]:
    """MONDO concepts of the neoplasm subtree that are there only as hereditary neoplastic
    syndromes (Li-Fraumeni, NF1, dyskeratosis congenita...): a predisposition, not the tumor
    that metastasized (guidelines TU1), so not tumor concepts."""
    ids = {r["id"] for r in rows}
    parents = {r["id"]: [p for p in r["direct_parents"].split("|") if p in ids] for r in rows}
    out, grew = {"MONDO:0015356"}, True  # hereditary neoplastic syndrome
    while grew:
        grew = False
        for cid, ps in parents.items():
            if cid not in out and ps and all(p in out for p in ps):
                out.add(cid)
                grew = True
    return out

class Builder:
    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.onto = shared / "ontologies"
        self.concepts: dict[str, dict] = {}
        # (category, surface) -> list of (priority, concept_id)
        self.surfaces: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        self.tokenizer = spacy.blank("en").tokenizer
        self.clinical: dict[str, str] = {}  # UBERON id -> NCIt's preferred name (clinical wording)
        self.brands: set[tuple[str, str]] = set()  # (category, lower-case surface) named as a brand
        self.common_names: set[tuple[str, str]] = set()  # ... and named by any other source
        self.stop_folded = {cat: {" ".join(norm_token(w) for w in t.split()) for t in terms}
                            for cat, terms in STOP_TERMS.items()}

    # -- helpers --------------------------------------------------------------
    def concept(self, cid: str, category: str, label: str, parents=(), xrefs=(), primary_site: str = "") -> dict:
        c = self.concepts.get(cid)
        if c is None:
            c = self.concepts[cid] = {"category": category, "label": label, "parents": list(parents),
                                      "xrefs": list(xrefs), "primary_site": primary_site}
        return c

    def term(self, category: str, surface: str, cid: str, priority: int, brand: bool = False) -> None:
        """`brand`: a brand name, a proper noun that matches only as written ("Choice" is warfarin,
        "choice" a word) unless another source names the same surface."""
        surface = re.sub(r"\s+", " ", surface.replace("(disease)", "")).strip().rstrip(",.;")
        folded = " ".join(norm_token(w) for w in surface.lower().split())
        if len(surface) < 2 or priority > 0 and (surface.lower() in STOP_TERMS[category]
                                                 or folded in self.stop_folded[category]):
            return
        if len(surface) > 80 or surface.count(" ") > 7:
            return
        # short lower-case synonyms ("rich", "bac", "ism") are mostly words or lab jargon;
        # clinically useful short words (lung, eye, hip) come from curated.tsv
        if priority > 0 and len(surface) <= 4 and " " not in surface and not is_case_sensitive(surface):
            return
        self.surfaces[(category, surface)].append((priority, cid))
        (self.brands if brand else self.common_names).add((category, surface.lower()))
        if category == "treatment" and surface.lower().endswith("ectomy"):
            # the participle names the same procedure: "post thyroidectomized", "nephrectomized"
            self.surfaces[(category, surface[:-1] + "ized")].append((priority, cid))

    # -- sources --------------------------------------------------------------
    def uberon(self) -> None:
        rows = {}
        with gzip.open(self.onto / "uberon/uberon_v2026-04-01_terms.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if r["deprecated"] == "0":
                    rows[r["id"]] = r
        parents = {k: [p for p in r["direct_parents"].split("|") if p] for k, r in rows.items()}

        def excluded(cid: str, seen=None) -> bool:
            seen = seen or set()
            if cid in UBERON_EXCLUDE_ROOTS:
                return True
            return any(p not in seen and (seen.add(p) or excluded(p, seen)) for p in parents.get(cid, []))

        for cid, r in rows.items():
            # UBERON:2xxxxxx and 3xxxxxx come from teleost and amphibian anatomy (fins, autopalatine)
            if not cid.startswith("UBERON:") or cid[7] in "23" or excluded(cid) or \
                    UBERON_EXCLUDE_WORDS.search(r["label"]):
                continue
            self.concept(cid, "anatomy", r["label"], parents=[p for p in parents[cid] if p in rows])
            if SCAFFOLD_CLASS.search(r["label"]):
                continue  # "multi-tissue structure", "female anatomical structure": kept for roll-ups, never a site
            self.term("anatomy", r["label"], cid, 1)
            for syn in r["synonyms"].split("|"):
                if syn and not UBERON_EXCLUDE_WORDS.search(syn):
                    self.term("anatomy", syn, cid, 2)
        # NCIt preferred anatomy names -> UBERON (clinical wording: "Scalp", "Finger")
        with open(self.onto / "ncit_uberon_mapping/ncit_uberon.tsv", encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("subject"):
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 5 and parts[4] in self.concepts:
                    self.concepts[parts[4]]["xrefs"].append(parts[0])
                    self.clinical.setdefault(parts[4], parts[1])
                    self.term("anatomy", parts[1], parts[4], 2)

    def adjectives(self) -> None:
        """Anatomy named by its adjective ("patellar metastasis", "calcaneal", "mandibular"): the
        regular Latin adjective of a one-word anatomy name becomes a term of that concept when
        UBERON's own names use the word ("patellar ligament", "calcaneal tendon"); irregular ones
        (pelvic, laryngeal) come from the ontologies or curated.tsv."""
        vocabulary = {w for (cat, surface) in self.surfaces if cat == "anatomy" for w in surface.lower().split()}
        for (cat, surface), cands in sorted(self.surfaces.items()):
            cid = min(cands)[1]
            lineage = self.ancestors(cid)
            if cat != "anatomy" or not surface.isalpha() or not surface.islower() or \
                    not lineage & ADJECTIVE_ROOTS or lineage & DESCRIBING_ROOTS:
                continue  # tissues, layers and directions ("stromal", "mucosal", "dorsal") describe, they do not place
            for adjective in latin_adjectives(surface):
                if adjective in vocabulary and ("anatomy", adjective) not in self.surfaces \
                        and adjective not in NOT_PLACES:
                    self.term("anatomy", adjective, cid, 3)

    def region_adjectives(self) -> None:
        """A positional adjective ("submandibular", "retroperitoneal", "epidural": below, behind, upon
        a structure) alone names the region UBERON calls "<adjective> region / space / area / fossa"
        when it is no term of its own: "a submandibular metastasis", "a retroperitoneal mass"."""
        surfaces = {surface.lower() for (cat, surface) in self.surfaces if cat == "anatomy"}
        for (cat, surface), cands in sorted(self.surfaces.items()):
            m = POSITIONAL_REGION.fullmatch(surface.lower()) if cat == "anatomy" else None
            if m and m.group(1) not in surfaces:
                self.term("anatomy", m.group(1), min(cands)[1], 3)

    def ancestors(self, cid: str) -> set[str]:
        """is_a / part_of ancestors of a concept, itself included."""
        seen, todo = {cid}, [cid]
        while todo:
            for p in self.concepts.get(todo.pop(), {}).get("parents", []):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    def mondo(self) -> None:
        with gzip.open(self.onto / "mondo/mondo_v2026-05-05_neoplasm_subtree.tsv.gz", "rt", encoding="utf-8") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        syndromes = predisposition_syndromes(rows)
        for r in rows:
            cid = r["id"]
            if cid in syndromes:
                continue
            self.concept(cid, "tumor", r["label"], parents=[p for p in r["direct_parents"].split("|") if p])
            self.term("tumor", r["label"], cid, 1)
            for syn in r["synonyms"].split("|"):
                if syn and "aJCC" not in syn and not syn.lower().startswith("stage "):
                    self.term("tumor", syn, cid, 2)
        self.neoplasia_names()
        by_name: dict[str, str] = {}
        for (cat, surface), cands in self.surfaces.items():
            if cat == "tumor":
                by_name.setdefault(nfold(surface), min(cands)[1])
        # OncoTree codes as cross-references (and its names as extra terms)
        tree = json.loads((self.onto / "oncotree/oncotree_2025_10_03.json").read_text())
        stack = list(tree.values())
        while stack:
            node = stack.pop()
            stack.extend(node.get("children", {}).values())
            cid = by_name.get(nfold(node["name"]))
            if cid:
                self.concepts[cid]["xrefs"].append("ONCOTREE:" + node["code"])
                self.term("tumor", node["name"], cid, 3)
        # NCIt codes from the GDC dictionary's diagnosis names
        with gzip.open(self.onto / "gdc_dictionary/gdc_enums_ncit.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if r["property"] == "primary_diagnosis" and r["ncit_code"]:
                    cid = by_name.get(nfold(r["enum_value"])) or by_name.get(nfold(r["ncit_preferred_term"]))
                    if cid and "NCIT:" + r["ncit_code"] not in self.concepts[cid]["xrefs"]:
                        self.concepts[cid]["xrefs"].append("NCIT:" + r["ncit_code"])

    def neoplasia_names(self) -> None:
        """"neoplasia" for "neoplasm" ("gestational trophoblastic neoplasia")."""
        tumor_names = {nfold(surface) for (cat, surface) in self.surfaces if cat == "tumor"}
        for (cat, surface), cands in list(self.surfaces.items()):
            if cat == "tumor" and surface.endswith(" neoplasm") and nfold(surface[:-1] + "ia") not in tumor_names:
                self.term("tumor", surface[:-1] + "ia", min(cands)[1], 2)

    def mesh(self) -> None:
        trees: dict[str, list[str]] = defaultdict(list)
        with gzip.open(self.onto / "mesh/mesh2024_mesh_trees.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                trees[r["DescriptorUI"]].append(r["tree_location"])
        self.mesh_trees = trees
        self.mesh_names: dict[str, str] = {}  # nfold(entry term) -> descriptor
        self.mesh_terms: dict[str, list[str]] = defaultdict(list)  # descriptor -> its entry terms
        self.mesh_label: dict[str, str] = {}
        procedures = {d for d, locs in trees.items()
                      if any(t.startswith(MESH_TREATMENT_BRANCHES) for t in locs)
                      and not any(t.startswith("E01") for t in locs)}
        with gzip.open(self.onto / "mesh/mesh2024_mesh_thesaurus.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if r["IsPermutedTermYN"] != "N":
                    continue
                d = r["DescriptorUI"]
                self.mesh_label[d] = r["DescriptorName"]
                self.mesh_names.setdefault(nfold(r["TermName"]), d)
                if "," not in r["TermName"]:  # "Hydrochloride, Doxorubicin" is an index form
                    self.mesh_terms[d].append(r["TermName"])
                if d in procedures and "," not in r["TermName"]:
                    cid = "MESH:" + d
                    self.concept(cid, "treatment", r["DescriptorName"].lower())
                    self.term("treatment", r["TermName"], cid, 1 if r["RecordPreferredTermYN"] == "Y" else 2)
        for d in procedures:  # tree parents within the procedure subtrees
            cid = "MESH:" + d
            if cid in self.concepts:
                parent_locs = {t.rsplit(".", 1)[0] for t in trees[d] if "." in t}
                self.concepts[cid]["parents"] = sorted(
                    "MESH:" + p for p, locs in trees.items() if p in procedures and parent_locs & set(locs))
        self.mesh_actions: dict[str, set[str]] = defaultdict(set)
        with gzip.open(self.onto / "mesh/mesh2024_pharm_action.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                self.mesh_actions[r["DescriptorUI"]].add(r["PharmActionName"])

    def drugs(self) -> None:
        gdc_agents = set()
        with gzip.open(self.onto / "gdc_dictionary/gdc_enums_ncit.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if r["property"] == "therapeutic_agents":
                    gdc_agents.add(nfold(strip_salt(r["enum_value"])))
        anticancer_mesh = {d for d, acts in self.mesh_actions.items() if any(ANTICANCER_ACTIONS.match(a) for a in acts)}
        unii_to_db: dict[str, str] = {}
        self.other_drug_words: set[str] = set()
        with gzip.open(self.onto / "drugbank/drugbank_vocabulary.csv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                names = [r["Common name"]] + [s.strip() for s in r["Synonyms"].split(" | ") if s.strip()]
                keys = {nfold(strip_salt(n)) for n in names}
                mesh_hits = {self.mesh_names[k] for k in keys if k in self.mesh_names}
                if not (keys & gdc_agents or mesh_hits & anticancer_mesh):
                    # a drug outside the lexicon: its one-word names must not pass for misspellings of ours
                    self.other_drug_words.update(n.lower() for n in names if n.isalpha())
                    continue
                cid = r["DrugBank ID"]
                name = r["Common name"]
                # INN names are lower-case ("lanreotide"); keep mixed case ("177Lu-DOTATATE", "Lu 177")
                label = name.lower() if name[1:] == name[1:].lower() else name
                self.concept(cid, "treatment", label, xrefs=sorted("MESH:" + m for m in mesh_hits))
                self.term("treatment", r["Common name"], cid, 1)
                for n in names[1:]:
                    self.term("treatment", n, cid, 2)
                # MeSH's entry terms of the same drug: trade names clinicians write (Adriamycin,
                # Gleevec, Zoladex, Sandostatin) and spellings DrugBank lacks
                # (with a word of four characters at least: "AT 10", "Ara-C" match ordinary text or jargon)
                for d in sorted(mesh_hits):
                    for n in self.mesh_terms[d]:
                        if any(len(w) >= 4 and not w.isdigit() for w in re.findall(r"[A-Za-z0-9]+", n)):
                            self.term("treatment", n, cid, 2)
                if r["UNII"]:
                    unii_to_db[r["UNII"]] = cid
        # FDA brand names (bn) for the selected drugs: Lutathera, Herceptin, Ibrance
        with gzip.open(self.onto / "unii/UNII_Names_2025-06_nonsys.tsv.gz", "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                cid = unii_to_db.get(r["UNII"])
                if cid and r["TYPE"] == "bn" and re.fullmatch(r"[A-Z][A-Z0-9 \-]{2,24}", r["Name"]):
                    self.term("treatment", r["Name"].title(), cid, 3, brand=True)

    def curated(self, path: Path) -> list[str]:
        problems = []
        self.resolved: list[tuple[str, str, str]] = []
        index = {cat: {} for cat in STOP_TERMS}
        for (cat, surface), cands in self.surfaces.items():
            index[cat].setdefault(nfold(surface), min(cands)[1])
        with open(path, encoding="utf-8") as f:
            rows = [ln for ln in f if not ln.startswith("#")]
        for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            cat, label, terms = r["category"], r["label"], [t for t in r["terms"].split("|") if t]
            cid = r["concept_id"]
            if cid.endswith("?"):
                prefix = cid[:-1]
                found = next((index[cat][nfold(t)] for t in [label, *terms]
                              if nfold(t) in index[cat] and index[cat][nfold(t)].startswith(prefix[:2])), None)
                if found is None and prefix == "MESH":
                    d = next((self.mesh_names[nfold(t)] for t in [label, *terms] if nfold(t) in self.mesh_names), None)
                    found = "MESH:" + d if d else None
                cid = found or "LITMINE:" + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
            elif cid not in self.concepts and not (cid.startswith("MESH:") and cid[5:] in self.mesh_label):
                problems.append(f"curated {cid} ({label}) is not in the {cat} ontology data")
            c = self.concept(cid, cat, label)
            c["category"], c["label"], c["curated"] = cat, label, True  # a person chose this label
            self.resolved.append((r["concept_id"], cid, label))
            if r["primary_site"]:
                c["primary_site"] = r["primary_site"]
            for t in [label, *terms]:
                self.term(cat, t, cid, 0)
        return problems

    # -- labels ---------------------------------------------------------------
    def preferred_labels(self) -> None:
        """Labels people read (docs/extraction.md): an ontology label with scaffolding words
        ("adult mammalian kidney", "manual digit 2", "craniocervical region") gives way to the
        concept's NCIt clinical name or its shortest clean synonym; "malignant X neoplasm" becomes
        "X cancer" when that is a name of the concept; words are lower case except acronyms,
        symbols and eponyms. Curated labels are kept as written."""
        names: dict[str, set[str]] = defaultdict(set)
        for (_, surface), cands in self.surfaces.items():
            for _, cid in cands:
                names[cid].add(surface)
        all_names = [c["label"] for c in self.concepts.values()] + [surface for (_, surface) in self.surfaces]
        eponyms = Eponyms(all_names)
        for cid, c in self.concepts.items():
            if c.get("curated"):
                continue
            if cid.startswith("MESH:"):  # MeSH inverts its names: "Radiotherapy, Adjuvant" is adjuvant radiotherapy
                c["label"] = " ".join(part.strip() for part in reversed(c["label"].split(",")))
            c["label"] = preferred_label(c["label"], self.clinical.get(cid), names.get(cid, set()), eponyms)

    # -- output ---------------------------------------------------------------
    def write(self, out: Path) -> tuple[str, dict[str, int]]:
        self.preferred_labels()
        rows = []
        for (cat, surface), cands in self.surfaces.items():
            best = min(cands)[1]
            if best not in self.concepts:
                continue
            key = (cat, surface.lower())
            cs = is_case_sensitive(surface) or key in self.brands and key not in self.common_names
            toks = [t.text for t in self.tokenizer(surface)]
            tokens = " ".join(toks) if cs else " ".join(norm_token(t) for t in toks)
            rows.append((tokens, cat, best, "1" if cs else "0", min(cands)[0], surface))
        # one concept per (tokens, category, case): lowest priority number wins, then the id
        chosen: dict[tuple[str, str, str], tuple] = {}
        for row in sorted(rows, key=lambda r: (r[0], r[1], r[3], r[4], r[2])):
            chosen.setdefault((row[0], row[1], row[3]), row)
        used = {r[2] for r in chosen.values()}
        with open(out / "terms.tsv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
            w.writerow(["tokens", "category", "concept_id", "case_sensitive", "surface"])
            for key in sorted(chosen):
                t, cat, cid, cs, _, surface = chosen[key]
                w.writerow([t, cat, cid, cs, surface.replace("\t", " ")])
        with open(out / "concepts.tsv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
            w.writerow(["concept_id", "category", "label", "parents", "xrefs", "primary_site"])
            for cid in sorted(self.concepts):
                c = self.concepts[cid]
                # keep concepts with terms plus every ancestor needed for roll-ups
                if cid not in used and c["category"] != "anatomy" and c["category"] != "tumor":
                    continue
                w.writerow([cid, c["category"], c["label"].replace("\t", " "), "|".join(sorted(set(c["parents"]))),
                            "|".join(sorted(set(c["xrefs"]))), c["primary_site"]])
        # The version names the compiled content, not the inputs: the same ontologies can arrive as different
        # bytes (recompressed archives), and a re-extraction should follow only a real change of the lexicon.
        # Words one edit away from a drug name here that are names of other drugs ("methoxamine" is
        # not a misspelled "methoxyamine"): the matcher reads a near miss as a misspelling otherwise.
        labels = [c["label"].lower() for cid, c in self.concepts.items() if cid in used and is_drug(cid)]
        misspelling = MisspellingIndex(labels)
        terms_words = {r[0] for r in chosen.values()}
        lookalikes = sorted(w for w in self.other_drug_words if w not in terms_words and misspelling.lookup(w))
        with open(out / "lookalikes.txt", "w", encoding="utf-8") as f:
            f.write("".join(w + "\n" for w in lookalikes))
        version = content_digest([out / "terms.tsv", out / "concepts.tsv", out / "lookalikes.txt"])
        (out / "VERSION").write_text(version + "\n")
        counts = defaultdict(int)
        for (_, cat, _) in chosen:
            counts[cat] += 1
        return version, dict(counts)


SCAFFOLD_CLASS = re.compile(r"\bstructure\b")  # UBERON's grouping classes, not places in a body
SCAFFOLDING = re.compile(r"\b(?:mammalian|structure|of body|manual digit|pedal digit|craniocervical|segment of trunk|"
                         r"region of vertebral column|subdivision)\b", re.I)


# adjectives of bones and organs place a metastasis; those of tissues and directions describe one
ADJECTIVE_ROOTS = {"UBERON:0001434", "UBERON:0000062"}  # skeletal system, organ
# tissue, stroma, parenchyma, mucosa, organ component layer, serous membrane, anatomical wall
DESCRIBING_ROOTS = {"UBERON:0000479", "UBERON:0003891", "UBERON:0000353", "UBERON:0000344", "UBERON:0004923",
                    "UBERON:0000042", "UBERON:0000060"}
# directions and histologic patterns ("alveolar soft part sarcoma", "trabecular carcinoma" arise anywhere)
NOT_PLACES = {"dorsal", "ventral", "radial", "rostral", "lobar", "lobular", "medullar", "septal", "marsupial",
              "alveolar", "trabecular"}
_ADJECTIVE_ENDINGS = [("a", ["ar", "al"]), ("us", ["al", "ar"]), ("um", ["al"]), ("ble", ["bular"]),
                      ("cle", ["cular"])]


def latin_adjectives(noun: str) -> list[str]:
    """patella -> patellar, tibia -> tibial, calcaneus -> calcaneal, sternum -> sternal,
    mandible -> mandibular, clavicle -> clavicular."""
    for ending, forms in _ADJECTIVE_ENDINGS:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            return [noun[: -len(ending)] + form for form in forms]
    return []


class Eponyms:
    """Which capitalized words are names of people or places ("Hodgkin", "Bartholin", "Sezary"),
    judged from how the lexicon's own names write them: a word written capitalized inside
    lower-case names at least a third as often as in lower case anywhere (lower-cased synonyms
    exist) is one; a word never written in lower case is one unless it only stands in title-case
    names ("Phenethyl Isothiocyanate")."""

    def __init__(self, names: list[str]) -> None:
        self.capitalized: dict[str, int] = defaultdict(int)  # lower-cased word -> names writing it capitalized inside
        self.lower: dict[str, int] = defaultdict(int)        # word -> names writing it in lower case
        for name in names:
            words = re.split(r"[\s/-]+", name)
            for w in set(words):
                if w.islower():
                    self.lower[w] += 1
            if words and words[0][:1].islower():
                for w in set(words[1:]):
                    if re.fullmatch(r"[A-Z][a-z]{2,}", w):
                        self.capitalized[w.lower()] += 1

    def __call__(self, word: str, title_case: bool) -> bool:
        cap, low = self.capitalized[word.lower()], self.lower[word.lower()]
        return cap > 0 and 3 * cap >= low or (cap == low == 0 and not title_case)


# UBERON's scaffolding in clinical words: digits by name, "mammalian" and "of body" dropped
REWRITES = [(re.compile(p), r) for p, r in [
    (r"\bmanual digit 1\b", "thumb"), (r"\bmanual digit 2\b", "index finger"), (r"\bmanual digit 3\b", "middle finger"),
    (r"\bmanual digit 4\b", "ring finger"), (r"\bmanual digit 5\b", "little finger"), (r"\bpedal digit 1\b", "big toe"),
    (r"\bpedal digit 2\b", "second toe"), (r"\bpedal digit 3\b", "third toe"), (r"\bpedal digit 4\b", "fourth toe"),
    (r"\bpedal digit 5\b", "little toe"), (r"\bmanual digits?\b", "finger"), (r"\bpedal digits?\b", "toe"),
    (r"\bmammalian ", ""), (r" of body\b", ""), (r"^abdominal segment of trunk$", "abdominal region"),
    # UBERON's limb segments for all tetrapods, in human words
    (r"\bhindlimb stylopod\b", "thigh"), (r"\bhindlimb zeugopod\b", "lower leg"),
    (r"\bforelimb stylopod\b", "upper arm"), (r"\bforelimb zeugopod\b", "forearm"),
    (r"^stylopod$", "upper arm or thigh"), (r"^zeugopod$", "forearm or lower leg"),
    (r"\bhindlimb\b", "lower limb"), (r"\bforelimb\b", "upper limb"),
    (r"\bpes\b(?! (?:lemniscus|hippocampi|anserinus))", "foot"), (r"\bmanus\b", "hand")]]
_OTHER_SPECIES = re.compile(r"\b(?:equine|bovine|canine|murine|avian|teleost|sensu|insect|fish)\b", re.I)


def preferred_label(label: str, clinical: str | None, names: set[str], eponyms: Eponyms) -> str:
    for pattern, replacement in REWRITES:
        label = pattern.sub(replacement, label)
    if SCAFFOLDING.search(label):
        def clean(n: str) -> bool:
            return not SCAFFOLDING.search(n) and not _OTHER_SPECIES.search(n) and not re.search(r"[(),;\d]", n) \
                and len(n) > 2
        options = sorted((n for n in names if clean(n)), key=lambda n: (len(n.split()), len(n), n.lower(), n))
        if clinical and clean(clinical):
            options.insert(0, clinical)
        if options:
            label = options[0]
    m = re.fullmatch(r"malignant (.+) neoplasm", label)
    if m and f"{m[1]} cancer".lower() in {n.lower() for n in names}:
        label = f"{m[1]} cancer"

    words = [w for w in re.split(r"[\s/-]+", label) if re.search(r"[a-zA-Z]{3}", w)]
    title_case = len(words) > 1 and all(w[:1].isupper() for w in words)

    def case(word: re.Match) -> str:  # "Interferon Gamma" -> "interferon gamma"; SN-38, Tc-99m, Drummond stay
        w = word.group(0)
        return w.lower() if re.fullmatch(r"[A-Z][a-z]{2,}", w) and not eponyms(w, title_case) else w
    return re.sub(r"[^\s/-]+", case, label)


def content_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "lexicon")
    args = ap.parse_args()
    if not (args.shared / "ontologies").is_dir():
        print(f"error: {args.shared / 'ontologies'} not found (pass --shared)", file=sys.stderr)
        return 2
    b = Builder(args.shared)
    b.uberon()
    b.adjectives()
    b.region_adjectives()
    b.mondo()
    b.mesh()
    b.drugs()
    problems = b.curated(args.out / "curated.tsv")
    for p in problems:
        print("warning:", p, file=sys.stderr)
    for asked, got, label in b.resolved:
        if asked.endswith("?"):
            print(f"curated {label!r}: {asked} -> {got} ({b.concepts[got]['label'] if got in b.concepts else ''})")
    version, counts = b.write(args.out)
    print(f"lexicon {version}: " + ", ".join(f"{k} {v} terms" for k, v in sorted(counts.items()))
          + f"; {len(b.concepts)} concepts")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
