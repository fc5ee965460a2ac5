// dyadwatch dashboard: the dyad timeline (SVG), a period's events and an event's reports.
// Data comes from our own /api; every piece of text is set with textContent, never as HTML.
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const QUADS = [
    ["verbal_coop", "verbal cooperation"],
    ["material_coop", "material cooperation"],
    ["verbal_conflict", "verbal conflict"],
    ["material_conflict", "material conflict"],
  ];

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = {};
    try {
      body = await response.json();
    } catch (_ignored) {
      body = {};
    }
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  }

  function setStatus(text) {
    const status = document.getElementById("status");
    if (status) status.textContent = text;
  }

  // --- the timeline ------------------------------------------------------------------------------

  function drawTimeline(box, data, onPick) {
    const periods = data.periods;
    const width = 900;
    const height = 320;
    const m = { top: 16, right: 48, bottom: 44, left: 40 };
    const plotW = width - m.left - m.right;
    const plotH = height - m.top - m.bottom;
    const band = plotW / Math.max(periods.length, 1);
    const most = Math.max(1, ...periods.map((p) => p.both.events));
    const yCount = (n) => m.top + plotH - (n / most) * plotH;
    const yGold = (g) => m.top + plotH / 2 - (g / 10) * (plotH / 2);
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      class: "timeline",
      role: "img",
      "aria-label": `events between ${data.a} and ${data.b} by ${data.interval}`,
    });
    chart.appendChild(svg("line", { class: "axis", x1: m.left, y1: m.top + plotH, x2: m.left + plotW, y2: m.top + plotH }));
    chart.appendChild(svg("line", { class: "zero", x1: m.left, y1: yGold(0), x2: m.left + plotW, y2: yGold(0) }));
    chart.appendChild(svg("text", { class: "tick", x: m.left - 6, y: m.top + 4, "text-anchor": "end" }, most));
    chart.appendChild(svg("text", { class: "tick", x: m.left - 6, y: m.top + plotH, "text-anchor": "end" }, 0));
    chart.appendChild(svg("text", { class: "tick gold", x: m.left + plotW + 6, y: m.top + 4 }, "+10"));
    chart.appendChild(svg("text", { class: "tick gold", x: m.left + plotW + 6, y: m.top + plotH }, "−10"));
    const every = Math.ceil(periods.length / 12);
    const points = [];
    periods.forEach((p, i) => {
      const x = m.left + i * band;
      const group = svg("g", { class: "period", tabindex: 0, role: "button", "data-period": p.label });
      group.appendChild(svg("title", {}, `${p.label}: ${p.both.events} events, mean Goldstein ${p.both.goldstein_mean ?? "—"}`));
      group.appendChild(svg("rect", { class: "hit", x: x, y: m.top, width: band, height: plotH }));
      let stacked = 0;
      QUADS.forEach(([key], q) => {
        const n = p.both[key];
        if (!n) return;
        const top = yCount(stacked + n);
        group.appendChild(svg("rect", {
          class: `bar q${q + 1}`,
          x: x + band * 0.15,
          y: top,
          width: band * 0.7,
          height: yCount(stacked) - top,
        }));
        stacked += n;
      });
      if (i % every === 0) {
        group.appendChild(svg("text", { class: "tick", x: x + band / 2, y: m.top + plotH + 16, "text-anchor": "middle" }, p.label));
      }
      points.push(p.both.goldstein_mean === null ? null : [x + band / 2, yGold(p.both.goldstein_mean)]);
      const pick = () => {
        chart.querySelectorAll(".period.selected").forEach((g) => g.classList.remove("selected"));
        group.classList.add("selected");
        onPick(p);
      };
      group.addEventListener("click", pick);
      group.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") pick();
      });
      chart.appendChild(group);
    });
    // the Goldstein line joins neighbouring periods only: a period without events breaks it
    let run = [];
    const flush = () => {
      if (run.length > 1) chart.appendChild(svg("polyline", { class: "goldstein", points: run.join(" ") }));
      run = [];
    };
    for (const pt of points) {
      if (pt === null) {
        flush();
        continue;
      }
      run.push(pt.join(","));
      chart.appendChild(svg("circle", { class: "goldstein-dot", cx: pt[0], cy: pt[1], r: 3 }));
    }
    flush();
    box.replaceChildren(chart);
  }

  // --- a period's events, an event's reports -----------------------------------------------------

  function actorLabel(actor) {
    if (!actor) return "—";
    return `${actor.name || actor.text || actor.code} (${actor.code})`;
  }

  async function showPeriod(a, b, period) {
    const title = document.getElementById("period-title");
    const list = document.getElementById("events");
    title.textContent = `Events ${period.label}`;
    document.querySelectorAll("#period .hint").forEach((hint) => hint.remove());
    list.replaceChildren(el("li", { class: "status" }, "loading…"));
    const query = new URLSearchParams({ dyad: `${a}-${b}`, since: period.period, until: period.end, limit: "200" });
    try {
      const page = await getJSON(`/api/events?${query}`);
      list.replaceChildren();
      for (const e of page.items) {
        const button = el("button", { type: "button", class: `event-pick q${e.quad_class}`, "data-event": e.event_id });
        button.appendChild(el("span", { class: "date" }, e.date || "undated"));
        button.appendChild(document.createTextNode(` ${actorLabel(e.source)} → `));
        button.appendChild(el("strong", {}, `${e.event_code} ${e.event_name}`));
        button.appendChild(document.createTextNode(` → ${actorLabel(e.target)}`));
        button.addEventListener("click", () => showEvent(e.event_id));
        const item = el("li");
        item.appendChild(button);
        list.appendChild(item);
      }
      if (!page.items.length) list.replaceChildren(el("li", { class: "status" }, "no events"));
    } catch (error) {
      list.replaceChildren(el("li", { class: "status error" }, `could not load events: ${error.message}`));
    }
  }

  function sentence(mention) {
    const p = el("p", { class: "sentence" });
    for (const segment of mention.segments) {
      if (segment.role) p.appendChild(el("mark", { class: `hl-${segment.role}`, title: segment.role }, segment.text));
      else p.appendChild(document.createTextNode(segment.text));
    }
    return p;
  }

  function attribution(mention) {
    const p = el("p", { class: "attribution" });
    const article = el("a", { href: `/articles/${encodeURIComponent(mention.article_id)}` }, mention.title || mention.article_id);
    p.appendChild(article);
    const parts = [];
    if (mention.source) parts.push(mention.source);
    if (mention.attributed_source) parts.push(`original source: ${mention.attributed_source}`);
    parts.push(mention.published || "date unknown");
    if (mention.reported_by) parts.push(`reported by ${mention.reported_by}`);
    p.appendChild(document.createTextNode(` · ${parts.join(" · ")}`));
    if (mention.url && /^https?:\/\//i.test(mention.url)) {
      p.appendChild(document.createTextNode(" · "));
      p.appendChild(el("a", { href: mention.url, rel: "noopener noreferrer nofollow" }, "original"));
    }
    return p;
  }

  async function showEvent(eventId) {
    const body = document.getElementById("event-body");
    body.replaceChildren(el("p", { class: "status" }, "loading…"));
    document.querySelectorAll("#event .hint").forEach((hint) => hint.remove());
    try {
      const e = await getJSON(`/api/events/${encodeURIComponent(eventId)}`);
      const head = el("p", { class: "event-line" });
      head.appendChild(el("span", { class: "date" }, e.date || "undated"));
      head.appendChild(document.createTextNode(` ${actorLabel(e.source)} → `));
      head.appendChild(el("a", { class: `event q${e.quad_class}`, href: `/events/${encodeURIComponent(e.event_id)}` }, `${e.event_code} ${e.event_name}`));
      head.appendChild(document.createTextNode(` → ${actorLabel(e.target)}`));
      const meta = el("p", { class: "meta" }, `QuadClass ${e.quad_class} · Goldstein ${e.goldstein} · ${e.num_mentions} reports, ${e.num_sources} sources${e.location ? ` · in ${e.location.name}` : ""}`);
      const list = el("ol", { class: "mentions" });
      for (const m of e.mentions) {
        const item = el("li", { class: "mention" });
        item.appendChild(sentence(m));
        item.appendChild(attribution(m));
        list.appendChild(item);
      }
      body.replaceChildren(head, meta, list);
    } catch (error) {
      body.replaceChildren(el("p", { class: "status error" }, `could not load the event: ${error.message}`));
    }
  }

  async function startDyad(section) {
    const { a, b, interval } = section.dataset;
    if (!a || !b) return;
    const box = document.getElementById("timeline");
    setStatus("loading the timeline…");
    try {
      const data = await getJSON(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/timeline?interval=${encodeURIComponent(interval)}`);
      if (!data.periods.length) {
        box.replaceChildren();
        setStatus(`No dated events between ${a} and ${b}.`);
        return;
      }
      drawTimeline(box, data, (period) => showPeriod(a, b, period));
      const t = data.totals.both;
      setStatus(`${t.events} events (${data.totals.ab.events} ${a} → ${b}, ${data.totals.ba.events} ${b} → ${a}) · CCI ${t.cci ?? "—"} · mean Goldstein ${t.goldstein_mean ?? "—"}`);
    } catch (error) {
      box.replaceChildren();
      setStatus(`could not load the timeline: ${error.message}`);
    }
  }

  // The world map: wheel or +/- to zoom around a point, drag to pan, reset to the whole world.
  function startMap(map) {
    const full = map.viewBox.baseVal;
    const home = { x: full.x, y: full.y, w: full.width, h: full.height };
    let view = { ...home };
    const show = () => map.setAttribute("viewBox", `${view.x} ${view.y} ${view.w} ${view.h}`);
    const clamp = () => {
      view.w = Math.min(home.w, Math.max(home.w / 64, view.w));
      view.h = view.w * home.h / home.w;
      view.x = Math.min(home.x + home.w - view.w, Math.max(home.x, view.x));
      view.y = Math.min(home.y + home.h - view.h, Math.max(home.y, view.y));
    };
    const zoom = (factor, cx, cy) => {
      const px = cx ?? view.x + view.w / 2;
      const py = cy ?? view.y + view.h / 2;
      view = { x: px - (px - view.x) * factor, y: py - (py - view.y) * factor, w: view.w * factor, h: view.h * factor };
      clamp();
      show();
    };
    const toMap = (event) => {
      const box = map.getBoundingClientRect();
      return [view.x + (event.clientX - box.left) / box.width * view.w, view.y + (event.clientY - box.top) / box.height * view.h];
    };
    map.addEventListener("wheel", (event) => {
      event.preventDefault();
      const [x, y] = toMap(event);
      zoom(event.deltaY < 0 ? 0.8 : 1.25, x, y);
    }, { passive: false });
    let drag = null;
    map.addEventListener("pointerdown", (event) => {
      drag = { x: event.clientX, y: event.clientY, view: { ...view } };
      map.classList.add("dragging");
    });
    window.addEventListener("pointerup", () => { drag = null; map.classList.remove("dragging"); });
    map.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const box = map.getBoundingClientRect();
      view.x = drag.view.x - (event.clientX - drag.x) / box.width * view.w;
      view.y = drag.view.y - (event.clientY - drag.y) / box.height * view.h;
      clamp();
      show();
    });
    document.querySelectorAll("[data-zoom]").forEach((button) => button.addEventListener("click", () => {
      const how = button.dataset.zoom;
      if (how === "reset") { view = { ...home }; show(); } else zoom(how === "in" ? 0.5 : 2);
    }));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.getElementById("dyad");
    if (section) startDyad(section);
    const map = document.getElementById("worldmap");
    if (map) startMap(map);
  });
})();
