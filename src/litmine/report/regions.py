"""Body regions for charts: each metastatic site is counted under the first region (in this order)
that is among its UBERON ancestors (is_a and part_of, the `concept_ancestor` closure).

Organ systems come first because that is how metastases are counted clinically (a femur
metastasis is a bone metastasis before it is a lower-limb one); anatomical regions follow. The
extra anchors fill gaps of UBERON's part_of links (the colon is not part_of the abdomen there).
"""

from __future__ import annotations

import duckdb

REGIONS: list[tuple[str, tuple[str, ...]]] = [
    ("brain and spinal cord", ("UBERON:0001017",)),                      # central nervous system
    ("bone", ("UBERON:0001434",)),                                       # skeletal system
    ("lymph nodes", ("UBERON:0000029",)),
    ("skin", ("UBERON:0002199",)),                                       # integument
    ("head", ("UBERON:0000033", "UBERON:0000970", "UBERON:0000165", "UBERON:0000004")),  # head, eye, mouth, nose
    ("neck", ("UBERON:0000974", "UBERON:0002046")),                      # neck, thyroid gland
    ("chest", ("UBERON:0001443", "UBERON:0000915", "UBERON:0000977", "UBERON:0001004")),  # + pleura, respiratory
    ("abdomen", ("UBERON:0000916", "UBERON:0001007", "UBERON:0001008")),  # + digestive, renal system
    ("pelvis and genitals", ("UBERON:0002355", "UBERON:0002356", "UBERON:0000990", "UBERON:0001255")),
    ("back", ("UBERON:0001137",)),
    ("upper limb", ("UBERON:0002102",)),
    ("lower limb", ("UBERON:0002103",)),
    ("muscle and soft tissue", ("UBERON:0000383", "UBERON:0001630")),
]
OTHER = "other"
ORDER = [name for name, _ in REGIONS] + [OTHER]


def register(con: duckdb.DuckDBPyConnection, table: str = "site_region") -> None:
    """Temporary table `table(concept_id, region)`: the region of every anatomy concept."""
    anchors = [(name, cid, rank) for rank, (name, ids) in enumerate(REGIONS) for cid in ids]
    con.execute("CREATE OR REPLACE TEMP TABLE region_anchor (region VARCHAR, concept_id VARCHAR, rank INTEGER)")
    con.executemany("INSERT INTO region_anchor VALUES (?, ?, ?)", anchors)  # a dozen rows
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT c.concept_id, coalesce(arg_min(r.region, r.rank), '{OTHER}') AS region
        FROM concept c
        LEFT JOIN concept_ancestor a ON a.concept_id = c.concept_id
        LEFT JOIN region_anchor r ON r.concept_id = a.ancestor_id
        WHERE c.category = 'anatomy'
        GROUP BY c.concept_id""")
