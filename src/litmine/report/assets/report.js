// litmine report: the case table and the claims list, drawn from the embedded JSON.
// No network and no libraries: text goes into the page through textContent only.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const PAGE = 100;
  const CATEGORIES = [
    ["tumor_type", "Tumor type"], ["primary_site", "Primary site"],
    ["metastatic_site", "Metastatic sites"], ["treatment", "Treatments"],
  ];
  const KIND = { anatomy: "site", tumor: "tumor", treatment: "treatment" };  // mention categories, as readers say them
  const papers = DATA.papers;
  const state = { text: "", tumor: "", region: "", factsOnly: true, key: "year", dir: -1, shown: PAGE, open: new Set() };

  // -- helpers --------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  function links(p) {
    const out = [];
    if (p.pmid) out.push(["PubMed", "https://pubmed.ncbi.nlm.nih.gov/" + encodeURIComponent(p.pmid) + "/"]);
    if (p.doi) out.push(["DOI", "https://doi.org/" + p.doi.split("/").map(encodeURIComponent).join("/")]);
    if (p.pmcid) out.push(["PMC", "https://pmc.ncbi.nlm.nih.gov/articles/" + encodeURIComponent(p.pmcid) + "/"]);
    if (p.pmid) out.push(["Europe PMC", "https://europepmc.org/article/MED/" + encodeURIComponent(p.pmid)]);
    else if (p.pmcid) out.push(["Europe PMC", "https://europepmc.org/article/PMC/" + encodeURIComponent(p.pmcid)]);
    return out;
  }
  const labels = (p, cat) => p.facts[cat].map((f) => f.label);
  const firstSites = (p) => p.first.filter((c) => c.treatment === null);
  function claimVerdict(c) {
    if (!c.combination.site.length && !c.combination.treatment.length) return "nothing extracted to check";
    if (!c.earlier_count) return "no earlier report here";
    const e = c.earlier[0];
    return "earlier report: " + (e.pmid ? "PMID " + e.pmid : e.id) + " (" + (e.year || "n.d.") + ")" +
      (c.earlier_count > 1 ? " and " + (c.earlier_count - 1) + " more" : "");
  }
  // a sentence with the given [start, end) spans marked
  function highlighted(sentence, spans) {
    const q = el("q", { class: "sentence" });
    let at = 0;
    for (const [a, b] of spans.slice().sort((x, y) => x[0] - y[0])) {
      if (a < at) continue;
      q.append(sentence.slice(at, a), el("mark", { text: sentence.slice(a, b) }));
      at = b;
    }
    q.append(sentence.slice(at));
    return q;
  }
  function evidenceList(p, refs) {
    const bySentence = new Map();
    for (const [i, a, b] of refs) {
      if (!bySentence.has(i)) bySentence.set(i, []);
      bySentence.get(i).push([a, b]);
    }
    const ul = el("ul", { class: "evidence-sentences" });
    for (const [i, spans] of bySentence) {
      const s = p.sentences[i];
      ul.append(el("li", {}, el("span", { class: "section", text: s.section }), " ", highlighted(s.text, spans)));
    }
    return ul;
  }

  // -- searching, sorting ----------------------------------------------------------------------
  for (const p of papers) {
    p._search = [p.title, p.journal, p.pmid, p.doi, ...CATEGORIES.flatMap(([c]) => labels(p, c))]
      .filter(Boolean).join(" \u0001 ").toLowerCase();
    p._regions = new Set(p.facts.metastatic_site.map((f) => f.region));
    p._hasFacts = CATEGORIES.some(([c]) => p.facts[c].length > 0);
  }
  // papers without facts are hidden at first, unless no paper in scope has any
  state.factsOnly = papers.some((p) => p._hasFacts);
  document.getElementById("facts-only").checked = state.factsOnly;
  const sortValue = {
    title: (p) => (p.title || "").toLowerCase(), year: (p) => p.date || String(p.year || ""),
    journal: (p) => (p.journal || "").toLowerCase(), first: (p) => firstSites(p).length,
  };
  function value(p, key) {
    return key in sortValue ? sortValue[key](p) : labels(p, key).join(", ").toLowerCase();
  }
  function filtered() {
    const words = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    const rows = papers.filter((p) =>
      (!state.factsOnly || p._hasFacts) &&
      (!state.tumor || labels(p, "tumor_type").includes(state.tumor)) &&
      (!state.region || p._regions.has(state.region)) &&
      words.every((w) => p._search.includes(w)));
    const k = state.key, d = state.dir;
    return rows.sort((a, b) => {
      const x = value(a, k), y = value(b, k);
      if (x === y) return a.id < b.id ? -1 : 1;
      if (x === "" || x === 0) return 1;   // empty cells last, whatever the direction
      if (y === "" || y === 0) return -1;
      return (x < y ? -1 : 1) * d;
    });
  }

  // -- the table -------------------------------------------------------------------------------
  const tbody = document.querySelector("#case-table tbody");
  function factCell(p, cat) {
    const td = el("td", { class: "facts" });
    for (const f of p.facts[cat]) {
      td.append(el("button", { type: "button", class: "fact " + cat, "data-paper": p.id, "data-fact": cat + "|" + f.id,
        title: "show the evidence" }, f.label));
    }
    return td;
  }
  function titleCell(p) {
    const [first] = links(p);
    const td = el("td", { class: "title" });
    td.append(first ? el("a", { href: first[1], target: "_blank", rel: "noopener" }, p.title) : el("span", { text: p.title }));
    const ids = el("div", { class: "ids" });
    for (const [name, href] of links(p)) ids.append(el("a", { href, target: "_blank", rel: "noopener", text: name }), " ");
    ids.append(el("button", { type: "button", class: "toggle", "data-paper": p.id, "aria-expanded": String(state.open.has(p.id)) },
      state.open.has(p.id) ? "hide evidence" : "evidence"));
    td.append(ids);
    for (const c of p.claims) {
      td.append(el("div", { class: "claim-badge " + (c.earlier_count ? "refuted" : "upheld"),
        title: c.sentence }, "claims a first: " + claimVerdict(c)));
    }
    return td;
  }
  function evidenceRow(p, focus) {
    const panel = el("div", { class: "evidence" });
    for (const [cat, name] of CATEGORIES) {
      if (!p.facts[cat].length) continue;
      const block = el("div", { class: "category" }, el("h4", { text: name }));
      for (const f of p.facts[cat]) {
        const item = el("div", { class: "fact-evidence" + (focus === cat + "|" + f.id ? " focus" : ""),
          "data-fact": cat + "|" + f.id }, el("strong", { text: f.label }), " ", el("code", { text: f.id }));
        if (f.implied) item.append(el("span", { class: "note", text: " implied by the tumor type" }));
        item.append(f.evidence.length ? evidenceList(p, f.evidence) : el("p", { class: "note", text: "no sentence stored" }));
        block.append(item);
      }
      panel.append(block);
    }
    if (p.other.length) {
      const block = el("div", { class: "category other" }, el("h4", { text: "Mentioned, not counted as the patient's" }));
      for (const o of p.other) {
        block.append(el("div", { class: "fact-evidence background" }, el("strong", { text: o.label }),
          el("span", { class: "note", text: " " + (KIND[o.category] || o.category) + ", read as " + o.reasons.join(", ") }),
          evidenceList(p, o.evidence)));
      }
      panel.append(block);
    }
    if (p.first.length) {
      const sites = firstSites(p);
      const block = el("div", { class: "category" }, el("h4", { text: "First report in this warehouse" }));
      const ul = el("ul");
      for (const c of sites) {
        const withTx = p.first.filter((x) => x.treatment !== null && x.tumor === c.tumor && x.site === c.site);
        ul.append(el("li", { text: c.tumor + " → " + c.site + (withTx.length ? "; treated with " +
          withTx.map((x) => x.treatment).join(", ") : "") }));
      }
      const txOnly = p.first.filter((x) => x.treatment !== null && !sites.some((c) => c.tumor === x.tumor && c.site === x.site));
      for (const x of txOnly) ul.append(el("li", { text: x.tumor + " → " + x.site + " treated with " + x.treatment }));
      block.append(ul);
      panel.append(block);
    }
    for (const c of p.claims) {
      panel.append(el("div", { class: "category claim" }, el("h4", { text: "First-report claim" }),
        highlighted(c.sentence, []), el("p", { text: "Checked: " + describeCombination(c) + " — " + claimVerdict(c) + "." })));
    }
    return el("tr", { class: "evidence-row", "data-paper": p.id }, el("td", { colspan: "8" }, panel));
  }
  function describeCombination(c) {
    const parts = [c.combination.tumor.join(" / ") || "any tumor"];
    if (c.combination.site.length) parts.push("in " + c.combination.site.join(" / "));
    if (c.combination.treatment.length) parts.push("with " + c.combination.treatment.join(" / "));
    return parts.join(" ");
  }
  function paperRow(p) {
    const tr = el("tr", { class: "paper", "data-paper": p.id });
    tr.append(titleCell(p), el("td", { class: "year", text: p.year || "" }), el("td", { class: "journal", text: p.journal || "" }));
    for (const [cat] of CATEGORIES) tr.append(factCell(p, cat));
    const first = firstSites(p).length;
    tr.append(el("td", { class: "first", text: first ? String(first) : "" }));
    return tr;
  }
  let current = [];
  function render(limit) {
    current = filtered();
    const shown = current.slice(0, limit === undefined ? state.shown : limit);
    const frag = document.createDocumentFragment();
    for (const p of shown) {
      frag.append(paperRow(p));
      if (state.open.has(p.id)) frag.append(evidenceRow(p, state.focus));
    }
    tbody.replaceChildren(frag);
    document.getElementById("row-count").textContent =
      "showing " + shown.length.toLocaleString() + " of " + current.length.toLocaleString() + " papers";
    document.getElementById("show-more").hidden = shown.length >= current.length;
    for (const th of document.querySelectorAll("#case-table th")) {
      th.setAttribute("aria-sort", th.dataset.key === state.key ? (state.dir > 0 ? "ascending" : "descending") : "none");
    }
  }

  // -- claims ------------------------------------------------------------------------------------
  function renderClaims() {
    const list = document.getElementById("claim-list");
    const items = papers.flatMap((p) => p.claims.map((c) => [p, c]))
      .sort((a, b) => (a[0].date || "").localeCompare(b[0].date || ""));
    if (!items.length) { list.replaceWith(el("p", { class: "empty", text: "No paper in scope claims a first." })); return; }
    for (const [p, c] of items) {
      const [first] = links(p);
      const earlier = el("span", { class: "verdict " + (c.earlier_count ? "refuted" : "upheld") });
      if (c.earlier_count) {
        earlier.append("earlier report" + (c.earlier_count > 1 ? "s" : "") + ": ");
        c.earlier.forEach((e, i) => {
          if (i) earlier.append(", ");
          const label = (e.pmid ? "PMID " + e.pmid : e.id) + " (" + (e.year || "n.d.") + ")";
          earlier.append(e.pmid ? el("a", { href: "https://pubmed.ncbi.nlm.nih.gov/" + e.pmid + "/", target: "_blank", rel: "noopener", text: label }) : label);
        });
        if (c.earlier_count > c.earlier.length) earlier.append(" and " + (c.earlier_count - c.earlier.length) + " more");
      } else earlier.append(claimVerdict(c));
      list.append(el("li", {},
        first ? el("a", { href: first[1], target: "_blank", rel: "noopener", text: p.title }) : p.title,
        " (" + (p.year || "n.d.") + ")", el("blockquote", { text: c.sentence }),
        el("div", {}, "Checked: " + describeCombination(c) + " — ", earlier)));
    }
  }

  // -- CSV -------------------------------------------------------------------------------------
  function csv(rows) {
    const cols = ["paper_id", "pmid", "doi", "pmcid", "year", "journal", "title", "tumor_type", "primary_site",
      "metastatic_sites", "treatments", "first_report_of", "claim", "claim_check"];
    const quote = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    const lines = [cols.join(",")];
    for (const p of rows) {
      lines.push([p.id, p.pmid, p.doi, p.pmcid, p.year, p.journal, p.title, labels(p, "tumor_type").join("; "),
        labels(p, "primary_site").join("; "), labels(p, "metastatic_site").join("; "), labels(p, "treatment").join("; "),
        firstSites(p).map((c) => c.tumor + " -> " + c.site).join("; "), p.claims.map((c) => c.sentence).join(" | "),
        p.claims.map(claimVerdict).join(" | ")].map(quote).join(","));
    }
    return lines.join("\r\n") + "\r\n";
  }

  // -- wiring ------------------------------------------------------------------------------------
  function fillSelect(id, values) {
    const select = document.getElementById(id);
    for (const [v, n] of values) select.append(el("option", { value: v }, v + " (" + n + ")"));
  }
  const count = (get) => {
    const m = new Map();
    for (const p of papers) for (const v of new Set(get(p))) m.set(v, (m.get(v) || 0) + 1);
    return m;
  };
  fillSelect("tumor-filter", [...count((p) => labels(p, "tumor_type"))].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  const regionCounts = count((p) => [...p._regions]);
  fillSelect("region-filter", DATA.regions.filter((r) => regionCounts.has(r)).map((r) => [r, regionCounts.get(r)]));

  const reset = () => { state.shown = PAGE; render(); };
  document.getElementById("filter").addEventListener("input", (e) => { state.text = e.target.value; reset(); });
  document.getElementById("tumor-filter").addEventListener("change", (e) => { state.tumor = e.target.value; reset(); });
  document.getElementById("region-filter").addEventListener("change", (e) => { state.region = e.target.value; reset(); });
  document.getElementById("facts-only").addEventListener("change", (e) => { state.factsOnly = e.target.checked; reset(); });
  document.getElementById("show-more").addEventListener("click", () => { state.shown += PAGE * 5; render(); });
  document.querySelector("#case-table thead").addEventListener("click", (e) => {
    const th = e.target.closest("th");
    if (!th) return;
    state.dir = state.key === th.dataset.key ? -state.dir : (th.dataset.key === "year" || th.dataset.key === "first" ? -1 : 1);
    state.key = th.dataset.key;
    render();
  });
  tbody.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-paper]");
    if (!button) return;
    const id = button.dataset.paper;
    const fact = button.dataset.fact;
    if (state.open.has(id) && (!fact || state.focus === fact)) state.open.delete(id);
    else state.open.add(id);
    state.focus = fact || null;
    render();
    const focused = fact && tbody.querySelector('tr.evidence-row[data-paper="' + CSS.escape(id) + '"] .focus');
    if (focused) focused.scrollIntoView({ block: "nearest" });
  });
  document.getElementById("download-csv").addEventListener("click", () => {
    const blob = new Blob(["\ufeff" + csv(current)], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "litmine-cases.csv" });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });
  // printing shows every filtered row (up to a few thousand), not only the first page
  window.addEventListener("beforeprint", () => render(5000));
  window.addEventListener("afterprint", () => render());

  renderClaims();
  render();
})();
