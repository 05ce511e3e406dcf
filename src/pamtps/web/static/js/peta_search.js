// The map's search: a TPS by its KPU code, by its number within a desa ("901 Air Paoh",
// "TPS 3 Sundan"), or the TPS of a desa by the desa's name. Pure (no map, no page): peta.js
// gives it the TPS properties and draws the answer; the browser tests call it too.
"use strict";
window.pamtpsSearch = (function () {
  const fold = (text) => String(text || "").toLowerCase().normalize("NFKD").replace(/[^a-z0-9 ]+/g, " ")
    .replace(/\s+/g, " ").trim();

  // What the user typed, read as {code} (10+ digits), {number, place} or {place}.
  function parse(query) {
    const text = fold(query).replace(/^tps /, "");
    const digits = text.replace(/ /g, "");
    if (/^\d{10,}$/.test(digits)) return { code: digits };
    const leading = text.match(/^(\d{1,3})(?: (.*))?$/);
    if (leading) return { number: Number(leading[1]), place: leading[2] || "" };
    const trailing = text.match(/^(.*?) (?:tps )?(\d{1,3})$/);
    if (trailing) return { number: Number(trailing[2]), place: trailing[1] };
    return { place: text };
  }

  // The best matches first: an exact desa name before a desa that only starts or contains it.
  function rank(name, place) {
    if (!place) return 1;
    const desa = fold(name);
    if (desa === place) return 0;
    if (desa.startsWith(place)) return 1;
    if (desa.split(" ").some((word) => word.startsWith(place))) return 2;
    return desa.includes(place) ? 3 : -1;
  }

  // props: iterable of TPS properties ({code, number, desa, kecamatan, ...}); at most `limit`.
  function find(props, query, limit = 20) {
    const want = parse(query);
    if (!want.code && !want.place && want.number == null) return [];
    const found = [];
    for (const p of props) {
      let score;
      if (want.code) {
        score = p.code.startsWith(want.code) ? (p.code === want.code ? 0 : 1) : -1;
      } else {
        if (want.number != null && Number(p.number) !== want.number) continue;
        score = rank(p.desa, want.place);
        if (score < 0 && want.place) score = fold(p.kecamatan).includes(want.place) ? 4 : -1;
      }
      if (score >= 0) found.push([score, p]);
    }
    found.sort((a, b) => a[0] - b[0] || String(a[1].desa).localeCompare(String(b[1].desa))
      || a[1].number - b[1].number);
    return found.slice(0, limit).map(([, p]) => p);
  }

  return { parse, find };
})();
