"""The report's charts: Vega-Lite specifications built with Altair, rendered to SVG by vl-convert
(no browser, no network), so the report embeds them inline and prints them as drawn."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import vl_convert as vlc

from litmine.report import regions

# Liberation Sans has Arial's metrics: labels measured here fit where Arial or Helvetica draws them
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
CONFIG = {"font": FONT, "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 220, "titlePadding": 8},
          "title": {"fontSize": 14, "anchor": "start", "fontWeight": 600}, "view": {"stroke": None},
          "legend": {"labelFontSize": 11, "titleFontSize": 12}}


@dataclass
class Chart:
    key: str
    title: str
    caption: str
    svg: str | None  # None: nothing to draw in this scope


def render(charts: dict[str, list[dict]], exact_sites: bool = False) -> list[Chart]:
    site_title = "Metastatic site" if exact_sites else "Body region of the metastatic site"
    specs = [
        ("matrix", "Tumor type × metastatic site",
         "Papers per tumor type and " + ("metastatic site." if exact_sites else
                                         "body region of the metastasis (exact sites: litmine report --exact-sites)."),
         _heatmap(charts["matrix"], "site", site_title, "tumor", "Tumor type",
                  None if exact_sites else regions.ORDER)),
        ("years", "Papers per year", "Case reports and other papers in scope, by publication year.",
         _years(charts["years"])),
        ("treatments", "Treatments by tumor type", "Papers reporting each treatment received, per tumor type.",
         _heatmap(charts["treatments"], "treatment", "Treatment", "tumor", "Tumor type", None)),
        ("regions", "Metastatic sites by body region", "Papers with a metastasis in each body region.",
         _regions(charts["regions"])),
    ]
    return [Chart(key, title, caption, _svg(spec) if spec else None) for key, title, caption, spec in specs]


def _svg(chart: alt.TopLevelMixin) -> str:
    svg = vlc.vegalite_to_svg(chart.configure(**CONFIG).to_dict())
    return svg.replace("<svg ", '<svg role="img" ', 1)


def _heatmap(rows: list[dict], x: str, x_title: str, y: str, y_title: str, x_order: list[str] | None):
    if not rows:
        return None
    n_x, n_y = len({r[x] for r in rows}), len({r[y] for r in rows})
    by_papers = alt.EncodingSortField(field="papers", op="sum", order="descending")  # most reported first
    x_sort = [v for v in x_order if v in {r[x] for r in rows}] if x_order else by_papers
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=x_sort, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y(f"{y}:N", title=y_title, sort=by_papers),
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("papers:Q", title="papers", scale=alt.Scale(scheme="blues"), legend=alt.Legend(tickMinStep=1)))
    text = base.mark_text(fontSize=11).encode(
        text="papers:Q",
        color=alt.condition(alt.datum.papers > max(r["papers"] for r in rows) * 0.6, alt.value("white"),
                            alt.value("#1f2937")))
    return (rect + text).properties(width=max(120, 30 * n_x), height=max(60, 22 * n_y))


def _years(rows: list[dict]):
    if not rows:
        return None
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("year:O", title="Publication year", axis=alt.Axis(labelAngle=-40)),
        y=alt.Y("sum(papers):Q", title="Papers", axis=_count_axis(max(
            sum(r["papers"] for r in rows if r["year"] == y) for y in {r["year"] for r in rows}))),
        color=alt.Color("kind:N", title=None, scale=alt.Scale(domain=["case reports", "other papers"],
                                                              range=["#2563eb", "#cbd5e1"])),
        order=alt.Order("kind:N", sort="ascending"),
    ).properties(width=max(240, 14 * len({r["year"] for r in rows})), height=180)


def _regions(rows: list[dict]):
    if not rows:
        return None
    bars = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("region:N", title="Body region", sort="-x"),
        x=alt.X("papers:Q", title="Papers", axis=_count_axis(max(r["papers"] for r in rows))),
    )
    return (bars.mark_bar(color="#2563eb") + bars.mark_text(align="left", dx=3, fontSize=11).encode(text="papers:Q")
            ).properties(width=320, height=max(60, 22 * len(rows)))


def _count_axis(most: int) -> alt.Axis:
    """Whole-number ticks: small counts get every integer (no 0.5 papers)."""
    return alt.Axis(values=list(range(most + 1)), format="d") if most <= 8 else alt.Axis(tickMinStep=1, format="d")
