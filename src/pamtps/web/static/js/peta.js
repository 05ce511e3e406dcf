// The command dashboard: the regency map (TPS by live state or class, posts, reserve bases
// coloured by their units' status, open incidents), filters, counters, alerts and the latest
// situation report, kept live by the server-sent events of /api/v1/events.
// The full state (/api/v1/tps/state) is read on (re)connect only; each pushed event restyles
// the markers it concerns. The state is kept in window.pamtpsPeta (the browser tests read it).
// "?redraw=full" keeps the old path (every event re-reads the whole state after 400 ms): the
// baseline of bench/map_render.py.
"use strict";
(function () {
  const { config, msg, locale: lang, escape } = pamtps.page();
  const STATE_COLOURS = { guarded: "#1e8e3e", not_yet: "#9aa0a6", alert: "#d93025", no_post: "#3c4043" };
  const CLASS_COLOURS = { kurang_rawan: "#4f7fd9", rawan: "#f29900", sangat_rawan: "#d93025", khusus: "#9334e6" };
  const RADIUS = { kurang_rawan: 4, rawan: 7, sangat_rawan: 8, khusus: 7 };
  const RESERVE_COLOURS = { all: "#1e8e3e", some: "#f29900", none: "#d93025", unknown: "#ffffff" };
  const SHOWN_ALERTS = 100;
  const SHOWN_RESULTS = 20;
  const NUMBER = new Intl.NumberFormat(lang);
  const RAWAN = new Set(["rawan", "sangat_rawan"]);
  const STATUSES = config.statuses || [];
  const FULL_REDRAW = new URLSearchParams(window.location.search).get("redraw") === "full";

  const $ = (id) => document.getElementById(id);
  const debounce = (fn, ms) => {
    let timer;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  };
  const clock = (iso) => new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });

  // Leaflet's own words (zoom buttons, attribution prefix) in the page's language.
  const map = L.map("map", { preferCanvas: true, zoomSnap: 0.25, zoomControl: false });
  L.control.zoom({ zoomInTitle: msg("peta.zoom_in"), zoomOutTitle: msg("peta.zoom_out") }).addTo(map);
  map.attributionControl.setPrefix(
    `<a href="https://leafletjs.com" title="${escape(msg("peta.leaflet"))}">Leaflet</a>`);
  const renderer = L.canvas({ padding: 0.5 });
  // The TPS in a feature group: a click on any of them reaches one handler (lazy popups).
  const layers = { tps: L.featureGroup(), posts: L.layerGroup(), reserve: L.layerGroup(), incidents: L.layerGroup() };
  const tps = new Map(); // code -> {props, marker, state, lastStatus}
  const postTps = new Map(); // post id -> TPS codes
  const reserve = new Map(); // station -> {props, marker, standing}
  const incidents = new Map(); // open incident id -> {data, marker}
  const view = { colourBy: "state", polsek: "", kecamatan: "", desa: "", state: "" };
  const sectorNames = new Map(); // Polsek code -> name
  let alerts = [];

  window.pamtpsPeta = {
    map, tps, ready: false, stateReads: 0, open: (code) => openTps(code),
    visibleCount: () => layers.tps.getLayers().length,
    stateOf: (code) => tps.get(code)?.state,
    colourOf: (code) => tps.get(code)?.marker.options.fillColor,
    incidents, reserve,
    reserveColourOf: (station) => reserve.get(station)?.marker.options.fillColor,
  };

  // Drawing.

  function style(entry) {
    const cls = entry.props.class;
    const plain = cls === "kurang_rawan";
    return {
      renderer, radius: RADIUS[cls] || 4, fillOpacity: 0.9,
      fillColor: view.colourBy === "class" ? CLASS_COLOURS[cls] : STATE_COLOURS[entry.state],
      color: plain ? "#ffffff" : "#202124", weight: plain ? 0.6 : 2,
    };
  }

  function popup(entry) {
    const p = entry.props;
    const rows = [
      `<b>${escape(p.label)} ${escape(p.desa)}</b>`,
      `${escape(msg("peta.kecamatan"))}: ${escape(p.kecamatan)}`,
      `${escape(msg("peta.class"))}: ${escape(msg("class." + p.class))}`,
      `${escape(msg("peta.state"))}: ${escape(msg("state." + entry.state))}`,
      `${escape(msg("peta.post"))}: ${escape(p.post || "-")}`,
    ];
    if (entry.lastStatus) rows.push(`${escape(msg("peta.last_status"))}: ${escape(msg("status." + entry.lastStatus))}`);
    rows.push(`<a href="/tps/${encodeURIComponent(p.code)}">${escape(msg("peta.open_tps"))}</a>`);
    return rows.join("<br>");
  }

  function drawAreas(areas) {
    // 171 shapes in a regency, 3,400 in a province: one canvas (no element per shape to lay
    // out), in a pane under the TPS (overlayPane: 400).
    map.createPane("areas").style.zIndex = 350;
    const renderer = L.canvas({ padding: 0.5, pane: "areas" });
    const of = (level) => ({ features: areas.features.filter((f) => f.properties.level === level), type: "FeatureCollection" });
    // The desa tile the regency: they carry the land colour; the coarser kecamatan only a line.
    const desa = L.geoJSON(of("desa"), {
      renderer, interactive: false, style: { color: "#aab2bb", weight: 0.6, fillColor: "#f6f7f1", fillOpacity: 0.8 },
    });
    const kecamatan = L.geoJSON(of("kecamatan"), {
      renderer, interactive: false, style: { color: "#37474f", weight: 1.6, fill: false },
    });
    // Names as plain markers centred by CSS: placing one writes its position and reads no
    // size (a permanent tooltip measures itself: one forced layout per name).
    const names = L.layerGroup(of("kecamatan").features.map((f) => L.marker(f.properties.label_at, {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: "area-label", iconSize: [0, 0], html: `<span>${escape(f.properties.name)}</span>` }),
    })));
    for (const layer of [desa, kecamatan, names]) layer.addTo(map);
    return { [msg("peta.layer.kecamatan")]: kecamatan, [msg("peta.layer.desa")]: desa, [msg("peta.layer.names")]: names };
  }

  // Canvas hit-testing picks the last drawn marker: the plain TPS are drawn first, so a small
  // dot next to a big rawan one never takes its click.
  const drawOrder = (p) => (p.class === "kurang_rawan" ? 0 : 1);

  // The compact layer (/api/v1/map/plan?format=compact): rows of values named by `columns`.
  // A TPS marker gets its popup when first opened: 26,000 popups made up front cost a second.
  const TpsMarker = L.CircleMarker.extend({
    openPopup(...args) {
      if (!this.getPopup()) this.bindPopup(() => popup(this.entry));
      return L.CircleMarker.prototype.openPopup.apply(this, args);
    },
  });
  // The first click on a TPS binds its popup (then the popup's own handler takes the clicks).
  layers.tps.on("click", (event) => { if (!event.layer.getPopup()) event.layer.openPopup(); });

  const rowsOf = (table) => table.rows.map((row) => Object.fromEntries(table.columns.map((name, i) => [name, row[i]])));

  // The markers are made once, in their state's colour when the state came with the layer.
  function drawPlan(layer, state) {
    const sectorOf = new Map();
    for (const unit of layer.filters.polsek) {
      sectorNames.set(unit.code, unit.name);
      for (const k of unit.kecamatan) sectorOf.set(k, unit.code);
    }
    const rows = layer.tps.rows;
    const [CODE, NUMBER, DESA, CLASS, POST, LAT, LNG] = ["code", "number", "desa_code", "class", "post", "lat", "lng"]
      .map((name) => layer.tps.columns.indexOf(name));
    const entries = [];
    for (const row of rows) {
      const desaCode = row[DESA];
      const kecamatanCode = desaCode.slice(0, desaCode.lastIndexOf("."));
      const p = {
        kind: "tps", code: row[CODE], number: row[NUMBER], label: `TPS ${String(row[NUMBER]).padStart(3, "0")}`,
        desa: layer.areas[desaCode], desa_code: desaCode, kecamatan: layer.areas[kecamatanCode],
        kecamatan_code: kecamatanCode, sector: sectorOf.get(kecamatanCode) || null, class: row[CLASS], post: row[POST],
      };
      const entry = { props: p, state: p.post ? "not_yet" : "no_post", lastStatus: null, at: [row[LAT], row[LNG]] };
      entries.push(entry);
      if (p.post) {
        if (!postTps.has(p.post)) postTps.set(p.post, []);
        postTps.get(p.post).push(p.code);
      }
    }
    entries.sort((a, b) => drawOrder(a.props) - drawOrder(b.props));
    for (const entry of entries) tps.set(entry.props.code, entry);
    if (state) setStates(state);
    for (const entry of entries) {
      entry.marker = new TpsMarker(entry.at, style(entry));
      entry.marker.entry = entry;
    }
    for (const post of rowsOf(layer.posts)) {
      L.circleMarker([post.lat, post.lng], { renderer, radius: 2.5, color: "#1f4e8c", weight: 1, fillOpacity: 1 })
        .bindTooltip(`${post.id} · ${post.size}/${post.required}`).addTo(layers.posts);
    }
    for (const p of layer.reserve) {
      const entry = { props: p, units: [] };
      entry.marker = L.circleMarker([p.lat, p.lng], { renderer, radius: 10, color: "#1f4e8c", weight: 3, fillColor: RESERVE_COLOURS.unknown, fillOpacity: 0.9 })
        .bindTooltip(() => reserveTooltip(entry)).addTo(layers.reserve);
      reserve.set(p.station, entry);
    }
    $("map").dataset.tpsCount = String(tps.size);
  }

  function fillFilters(filters) {
    const polsek = $("filter-polsek");
    for (const unit of filters.polsek) polsek.add(new Option(unit.name, unit.code));
    const kecamatan = $("filter-kecamatan");
    const all = filters.kecamatan;
    const sectors = new Map(filters.polsek.map((unit) => [unit.code, unit.kecamatan]));
    const desa = $("filter-desa");
    const villages = new Map(); // desa code -> {name, kecamatan name, kecamatan code, sector}
    for (const { props: p } of tps.values()) {
      if (!villages.has(p.desa_code)) villages.set(p.desa_code, { name: p.desa, kecamatan: p.kecamatan, kecamatanCode: p.kecamatan_code, sector: p.sector });
    }
    const byName = [...villages.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name, lang));
    const anyDesa = desa.options[0].outerHTML;
    const fillDesa = () => { // one write for 3,000 desa, not one insertion each
      const options = [anyDesa];
      for (const [code, v] of byName) {
        if ((view.polsek && v.sector !== view.polsek) || (view.kecamatan && v.kecamatanCode !== view.kecamatan)) continue;
        options.push(`<option value="${escape(code)}">${escape(view.kecamatan ? v.name : `${v.name} (${v.kecamatan})`)}</option>`);
      }
      desa.innerHTML = options.join("");
      desa.value = view.desa;
    };
    const fillKecamatan = () => {
      const within = sectors.get(view.polsek);
      kecamatan.length = 1;
      for (const area of all) if (!within || within.includes(area.code)) kecamatan.add(new Option(area.name, area.code));
      kecamatan.value = view.kecamatan;
      fillDesa();
    };
    fillKecamatan();
    polsek.onchange = () => { view.polsek = polsek.value; view.kecamatan = ""; view.desa = ""; fillKecamatan(); apply(true); };
    kecamatan.onchange = () => { view.kecamatan = kecamatan.value; view.desa = ""; fillDesa(); apply(true); };
    desa.onchange = () => { view.desa = desa.value; apply(true); };
    view.refill = fillKecamatan;
    $("filter-state").onchange = (e) => { view.state = e.target.value; apply(false); };
    $("colour-by").onchange = (e) => {
      view.colourBy = e.target.value;
      $("legend-state").hidden = view.colourBy !== "state";
      $("legend-class").hidden = view.colourBy !== "class";
      restyle();
    };
    for (const link of document.querySelectorAll("[data-state-filter]")) {
      link.onclick = (e) => {
        e.preventDefault();
        const state = link.dataset.stateFilter;
        view.state = view.state === state ? "" : state;
        $("filter-state").value = view.state;
        apply(false);
      };
    }
  }

  // Reserve bases by their units' status, and the open incidents.

  function reserveTooltip(entry) {
    const lines = [escape(msg("peta.reserve", { name: entry.props.name, size: entry.props.size }))];
    if (entry.units.length) {
      const available = entry.units.filter((u) => u.status === "available").reduce((n, u) => n + u.officers, 0);
      const size = entry.units.reduce((n, u) => n + u.officers, 0);
      lines[0] = escape(msg("peta.reserve_status", { name: entry.props.name, available, size }));
      for (const u of entry.units) lines.push(`${escape(u.name)}: ${escape(msg("dispatch.unit_status." + u.status))}`);
    }
    return lines.join("<br>");
  }

  function drawReserve(units) {
    for (const entry of reserve.values()) entry.units = [];
    for (const unit of units) reserve.get(unit.station)?.units.push(unit);
    for (const entry of reserve.values()) {
      const out = entry.units.filter((u) => u.status !== "available" && u.officers > 0).length;
      const manned = entry.units.filter((u) => u.officers > 0).length;
      const share = !manned ? "unknown" : out === 0 ? "all" : out < manned ? "some" : "none";
      entry.marker.setStyle({ fillColor: RESERVE_COLOURS[share] });
    }
  }

  function incidentPopup(data) {
    const place = tps.get(data.tps_code);
    const where = place ? `${place.props.label} ${place.props.desa}` : data.tps_code;
    const rows = [
      `<b>#${data.id} ${escape(msg("incident.category." + data.category))}</b>`,
      `${escape(where)}`,
      `${escape(msg("incident.severity." + data.severity))} · ${escape(msg("incident.status." + data.status))}`
        + (data.level === "command" ? ` · ${escape(msg("kejadian.escalated"))}` : ""),
      `<a href="/kejadian#${data.id}">${escape(msg("peta.incident_open"))}</a>`,
    ];
    return rows.join("<br>");
  }

  function placeIncident(data) {
    const known = incidents.get(data.id);
    if (known) layers.incidents.removeLayer(known.marker);
    incidents.delete(data.id);
    const place = tps.get(data.tps_code);
    if (!data.open || !place) return;
    const at = data.lat != null && data.lng != null ? [data.lat, data.lng] : place.marker.getLatLng();
    const icon = L.divIcon({
      className: "incident-marker", iconSize: [18, 16], iconAnchor: [9, 16], popupAnchor: [0, -14],
      html: `<span class="incident-icon sev-${escape(data.severity)}${data.level === "command" ? " escalated" : ""}"></span>`,
    });
    const marker = L.marker(at, { icon, title: `#${data.id}`, zIndexOffset: 1000 }).bindPopup(() => incidentPopup(data));
    incidents.set(data.id, { data, marker });
  }

  function drawIncidents() {
    let shown = 0;
    for (const { data, marker } of incidents.values()) {
      const visible = inArea(tps.get(data.tps_code).props);
      if (visible) shown += 1;
      if (visible !== layers.incidents.hasLayer(marker)) {
        visible ? layers.incidents.addLayer(marker) : layers.incidents.removeLayer(marker);
      }
    }
    $("count-incidents").textContent = shown;
  }

  // Filters, counters, alerts.

  const inArea = (p) => (!view.polsek || p.sector === view.polsek) && (!view.kecamatan || p.kecamatan_code === view.kecamatan)
    && (!view.desa || p.desa_code === view.desa);
  const shownOnMap = (entry) => inArea(entry.props) && (!view.state || entry.state === view.state);

  function apply(fit) {
    const shown = [];
    const adding = [];
    const removing = [];
    for (const entry of tps.values()) {
      const visible = shownOnMap(entry);
      if (visible) shown.push(entry);
      if (visible !== layers.tps.hasLayer(entry.marker)) (visible ? adding : removing).push(entry.marker);
    }
    map.invalidateSize(); // the panel may have moved the map's edges
    // The view first, so that the markers are placed once, at the zoom they are shown at.
    if (fit && shown.length && map.getSize().y > 0) {
      map.fitBounds(L.latLngBounds(shown.map((entry) => entry.at)), { padding: [20, 20], animate: false });
    }
    // Many changes at once (the first drawing, a filter): off the map, changed, back on: one
    // placement and one canvas redraw instead of one per marker.
    const many = adding.length + removing.length > 500 && map.hasLayer(layers.tps);
    if (many) map.removeLayer(layers.tps);
    for (const marker of removing) layers.tps.removeLayer(marker);
    for (const marker of adding) layers.tps.addLayer(marker);
    if (adding.length) for (const entry of shown) if (drawOrder(entry.props)) entry.marker.bringToFront();
    if (many) map.addLayer(layers.tps);
    count();
    drawAlerts();
    drawIncidents();
  }

  function restyle() {
    for (const entry of tps.values()) entry.marker.setStyle(style(entry));
    apply(false);
  }

  function count() {
    const counts = { guarded: 0, not_yet: 0, alert: 0, no_post: 0 };
    const sectors = new Map(); // Polsek code -> {tps, guarded, alert, rawan}
    let total = 0;
    for (const entry of tps.values()) {
      if (!inArea(entry.props)) continue;
      counts[entry.state] += 1;
      total += 1;
      const key = entry.props.sector || "";
      if (!sectors.has(key)) sectors.set(key, { tps: 0, guarded: 0, alert: 0, rawan: 0 });
      const row = sectors.get(key);
      row.tps += 1;
      if (entry.state === "guarded") row.guarded += 1;
      if (entry.state === "alert") row.alert += 1;
      if (RAWAN.has(entry.props.class)) row.rawan += 1;
    }
    for (const state of ["guarded", "not_yet", "alert"]) $("count-" + state).textContent = counts[state];
    $("count-total").textContent = total;
    drawSectors(sectors);
  }

  function drawSectors(sectors) {
    const number = (n) => NUMBER.format(n);
    const rows = [...sectors.entries()].map(([code, row]) => ({ code, name: sectorNames.get(code) || code || "-", ...row }))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
    $("sectors").tBodies[0].innerHTML = rows.map((row) => `<tr data-sector="${escape(row.code)}"${row.alert ? ' class="has-alarm"' : ""}>`
      + `<th scope="row">${escape(row.name)}</th><td class="number">${number(row.tps)}</td>`
      + `<td class="number">${number(row.guarded)}</td><td class="number alarms">${number(row.alert)}</td>`
      + `<td class="number">${number(row.rawan)}</td></tr>`).join("");
  }

  // One pushed event changes a few markers: restyle them, show or hide them under the state
  // filter; the caller recounts once per event (a few ms at 26,000 TPS).
  function update(entry) {
    entry.marker.setStyle(style(entry));
    const visible = shownOnMap(entry);
    if (visible !== layers.tps.hasLayer(entry.marker)) {
      visible ? layers.tps.addLayer(entry.marker) : layers.tps.removeLayer(entry.marker);
      if (visible && drawOrder(entry.props)) entry.marker.bringToFront();
    }
    if (entry.marker.isPopupOpen()) entry.marker.setPopupContent(popup(entry));
  }

  // Search: the answers under the search box; choosing one opens the TPS on the map.

  function openTps(code) {
    const entry = tps.get(code);
    if (!entry) return false;
    if (!shownOnMap(entry)) { // a filter hides it: drop the filters, keep the place
      Object.assign(view, { polsek: "", kecamatan: "", desa: "", state: "" });
      $("filter-polsek").value = ""; $("filter-state").value = "";
      view.refill();
      apply(false);
    }
    map.setView(entry.marker.getLatLng(), Math.max(map.getZoom(), 15));
    entry.marker.openPopup();
    return true;
  }

  function showResults(found, query) {
    const list = $("search-results");
    list.replaceChildren();
    list.hidden = !query;
    if (!query) return;
    if (!found.length) {
      list.innerHTML = `<li class="muted">${escape(msg("peta.search.none", { query }))}</li>`;
      return;
    }
    for (const p of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.code = p.code;
      button.innerHTML = `${escape(p.label)} ${escape(p.desa)}<small>${escape(msg("peta.kecamatan"))} ${escape(p.kecamatan)} · ${escape(p.code)}</small>`;
      button.onclick = () => { list.hidden = true; openTps(p.code); };
      item.append(button);
      list.append(item);
    }
  }

  function wireSearch() {
    const input = $("search");
    const props = () => [...tps.values()].map((entry) => entry.props);
    const run = () => {
      const query = input.value.trim();
      const found = query ? window.pamtpsSearch.find(props(), query, SHOWN_RESULTS) : [];
      showResults(found, query);
      return found;
    };
    input.addEventListener("input", run);
    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const [first] = run();
      if (first) { $("search-results").hidden = true; openTps(first.code); }
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") { input.value = ""; showResults([], ""); }
    });
  }

  function drawAlerts() {
    const list = $("alerts");
    const mine = alerts.filter((a) => a.tps_codes.some((code) => tps.has(code) && inArea(tps.get(code).props)));
    $("alert-count").textContent = mine.length;
    list.replaceChildren();
    for (const alert of mine.slice(0, SHOWN_ALERTS)) {
      const item = document.createElement("li");
      item.className = `alert-item level-${alert.level}`;
      const links = alert.tps_codes.filter((code) => tps.has(code)).map((code) =>
        `<a href="/tps/${encodeURIComponent(code)}">${escape(tps.get(code).props.label)} ${escape(tps.get(code).props.desa)}</a>`);
      item.innerHTML = `<b>${escape(msg("alert." + alert.kind))}</b> · ${escape(msg("alert.level." + alert.level))}`
        + ` · ${clock(alert.escalated_at || alert.raised_at)}<br>${escape(alert.subject)}: ${links.join(", ")}`;
      list.append(item);
    }
    if (!mine.length) list.innerHTML = `<li class="muted">${escape(msg("peta.no_alerts"))}</li>`;
    if (mine.length > SHOWN_ALERTS) list.insertAdjacentHTML("beforeend", `<li class="muted">${escape(msg("peta.more_alerts", { count: mine.length - SHOWN_ALERTS }))}</li>`);
  }

  // Reading the server.

  function setSync(state) {
    const sync = $("sync");
    sync.dataset.state = state;
    sync.textContent = msg("peta.sync." + state, { time: new Date().toLocaleTimeString(lang) });
  }

  // The live state, compact (rows of code, state, last status); read at the start, in parallel
  // with the layers, and again on reconnect.
  function readState() {
    window.pamtpsPeta.stateReads += 1;
    return pamtps.api("/api/v1/tps/state?format=compact");
  }

  function setStates(data) {
    const [CODE, STATE, STATUS] = ["tps_code", "state", "last_status"].map((name) => data.columns.indexOf(name));
    for (const row of data.tps) {
      const entry = tps.get(row[CODE]);
      if (!entry) continue;
      entry.state = row[STATE];
      entry.lastStatus = row[STATUS];
    }
  }

  function applyState(data) {
    setStates(data);
    restyle();
    if ($("sync").dataset.state === "live") setSync("live");
  }

  async function refreshState() {
    applyState(await readState());
  }

  async function refreshAlerts() {
    alerts = (await pamtps.api("/api/v1/alerts")).alerts;
    drawAlerts();
  }

  async function refreshUnacknowledged() {
    const data = await pamtps.api("/api/v1/orders?acknowledged=false&limit=0");
    $("unacknowledged").textContent = msg("peta.unacknowledged", { count: data.count });
  }

  async function refreshIncidents() {
    const data = await pamtps.api("/api/v1/incidents?open=true");
    for (const { marker } of incidents.values()) layers.incidents.removeLayer(marker);
    incidents.clear();
    for (const incident of data.incidents) placeIncident(incident);
    drawIncidents();
  }

  async function refreshReserve() {
    try {
      drawReserve((await pamtps.api("/api/v1/reserve")).units);
    } catch (error) { // no plan in force: the bases stay white
      drawReserve([]);
    }
  }

  async function refreshSitrep() {
    const box = $("peta-sitrep");
    if (!box) return;
    try {
      const report = await pamtps.api("/api/v1/sitreps/latest");
      box.innerHTML = `${escape(new Date(report.at).toLocaleString(lang))} · `
        + `<a href="${escape(report.pdf)}" id="peta-sitrep-pdf">PDF</a> · <a href="${escape(report.xlsx)}">XLSX</a>`;
    } catch (error) {
      box.textContent = msg("sitrep.none");
    }
  }

  const stateSoon = debounce(refreshState, 400);
  const reserveSoon = debounce(refreshReserve, 400);
  const alertsSoon = debounce(refreshAlerts, 400);
  const unacknowledgedSoon = debounce(refreshUnacknowledged, 2000);

  function mark(codes, state, unless) {
    let changed = false;
    for (const code of codes || []) {
      const entry = tps.get(code);
      if (!entry || entry.state === unless || entry.state === state) continue;
      entry.state = state;
      update(entry);
      changed = true;
    }
    if (changed) count();
  }

  function markStatus(data) {
    const entry = tps.get(data.tps_code);
    if (!entry) return;
    if (entry.lastStatus && STATUSES.indexOf(data.status) < STATUSES.indexOf(entry.lastStatus)) return;
    entry.lastStatus = data.status;
    update(entry);
  }

  function listen() {
    const source = new EventSource("/api/v1/events");
    let reconnecting = false;
    source.onopen = () => {
      setSync("live");
      if (reconnecting) { refreshState(); alertsSoon(); refreshIncidents(); reserveSoon(); } // events missed while away
      reconnecting = true;
    };
    const stateAfter = FULL_REDRAW ? stateSoon : () => {};
    source.onerror = () => setSync("offline");
    const on = (kind, handle) => source.addEventListener(kind, (event) => {
      handle(JSON.parse(event.data));
      setSync("live");
    });
    on("checkin", (data) => { mark(postTps.get(data.post_id), "guarded"); stateAfter(); });
    on("alert", (data) => {
      if (data.kind === "unguarded") mark(data.tps_codes, data.change === "resolved" ? "not_yet" : "alert", "guarded");
      stateAfter();
      alertsSoon();
    });
    on("status", (data) => { if (!FULL_REDRAW) markStatus(data); stateAfter(); });
    on("ack", () => unacknowledgedSoon());
    on("incident", (data) => { placeIncident(data); drawIncidents(); });
    on("dispatch", () => reserveSoon());
    on("publish", () => window.location.reload());
  }

  async function start() {
    // All three at once; the markers are drawn once, in their live colours.
    const [areas, layer, state] = await Promise.all([pamtps.api("/api/v1/map/boundaries"),
      pamtps.api("/api/v1/map/plan?format=compact"), readState()]);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { maxZoom: 18, attribution: config.tileAttribution }).addTo(map);
    }
    const base = drawAreas(areas);
    drawPlan(layer, state);
    layers.reserve.addTo(map);
    layers.incidents.addTo(map);
    // The view first, while the page's layout is clean (reading the map's size after the panel
    // is filled would lay the page out twice); then the markers, then the panel.
    apply(true);
    layers.tps.addTo(map); // filled off the map: placed and drawn once
    fillFilters(layer.filters);
    wireSearch();
    L.control.layers(null, {
      ...base,
      [msg("peta.layer.tps")]: layers.tps,
      [msg("peta.layer.posts")]: layers.posts,
      [msg("peta.layer.reserve")]: layers.reserve,
      [msg("peta.layer.incidents")]: layers.incidents,
    }, { collapsed: true }).addTo(map);
    const toggle = map.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) toggle.title = msg("peta.layers");
    L.control.scale({ imperial: false }).addTo(map);
    if (!tps.size) map.fitBounds(Object.values(base)[0].getBounds());
    $("no-plan").hidden = Boolean(layer.plan);
    // When the first frame with every marker has been painted (bench/map_render.py reads it).
    requestAnimationFrame(() => setTimeout(() => { window.pamtpsPeta.drawnAt = performance.now(); }));
    await Promise.all([refreshAlerts(), refreshUnacknowledged(), refreshIncidents(),
      refreshReserve(), refreshSitrep()]);
    listen();
    // In case an event was lost; the TPS state itself is read again on reconnect.
    setInterval(() => { alertsSoon(); reserveSoon(); refreshIncidents(); refreshSitrep(); }, 60000);
    window.pamtpsPeta.ready = true;
    $("map").dataset.ready = "true";
  }

  start().catch((error) => {
    $("sync").dataset.state = "offline";
    $("sync").textContent = error.message;
  });
})();
