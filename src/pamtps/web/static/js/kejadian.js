// The command post's incident page: the incident list (live from /api/v1/events), the selected
// incident with its workflow, the reserve's recommendation and dispatches, the reserve and the
// latest situation report. The state is kept in window.pamtpsKejadian (the browser tests read it).
"use strict";
(function () {
  const { config, msg, escape } = pamtps.page();
  const names = config.names || {};
  const $ = (id) => document.getElementById(id);
  const incidents = new Map(); // id -> incident as the API lists it
  const units = new Map(); // reserve unit id -> unit
  let selected = null; // the id shown in the detail
  let pendingOverride = null; // the unit the floor refused, waiting for a reason
  let listLoaded = false; // the first list is the state, not news

  window.pamtpsKejadian = { incidents, units, ready: false, selected: () => selected };

  // Talking to the API: writes carry the CSRF token and a fresh Idempotency-Key; errors keep
  // the API's code (dispatch.below_floor opens the override).

  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

  async function call(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json", "X-CSRF-Token": pamtps.csrfToken() };
    if (method !== "GET") headers["Idempotency-Key"] = newKey();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new Error(pamtps.failure(error)); // no signal: said in the page's language
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (data && data.detail) || {};
      const error = new Error(detail.message || msg("page.refused", { status: response.status }));
      error.code = detail.code;
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function say(id, text, kind) {
    const element = $(id);
    element.textContent = text || "";
    element.hidden = !text;
    element.dataset.kind = kind || "";
  }

  // Words and times.

  const minutesSince = (iso) => Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
  // Times in the operation's one zone with its name ("06.23 WIB"), never the browser's own.
  const clock = (iso) => pamtps.when(iso, { date: false });
  // "1 laporan", "1 report" / "2 reports": a message's ".one" form when the count is one.
  const counted = (key, count) => msg((count === 1 && (config.messages || {})[key + ".one"]) ? key + ".one" : key,
    { count: pamtps.number(count) });
  let people = {}; // username -> name, from the selected incident's detail
  const person = (username) => people[username] || username;

  function age(iso) {
    const minutes = Math.max(0, minutesSince(iso));
    if (minutes < 60) return msg("kejadian.age", { minutes });
    return msg("kejadian.age_hours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
  }

  const tpsLabel = (code) => pamtps.tpsName(code, config.desa, msg);

  const waiting = (i) => i.open && (i.status === "new" || i.status === "verified");

  // The response timer: how long an incident may wait for an owner before the command hears of
  // it. Once escalated, the "Naik ke Komando" mark says it all.
  function timer(i) {
    if (!waiting(i) || i.level === "command") return "";
    const limit = (config.responseMinutes || {})[i.severity] || 0;
    const left = Math.round(limit - (Date.now() - new Date(i.reported_at).getTime()) / 60000);
    return left >= 0
      ? `<span class="timer">${escape(msg("kejadian.timer.left", { minutes: left }))}</span>`
      : `<span class="timer overdue">${escape(msg("kejadian.timer.over", { minutes: -left }))}</span>`;
  }

  const badge = (kind, value, text) => `<span class="pill ${kind}-${escape(value)}">${escape(text)}</span>`;
  const statusBadge = (status) => badge("status", status, msg("incident.status." + status));
  const severityBadge = (severity) => badge("severity", severity, msg("incident.severity." + severity));
  const unitBadge = (status) => badge("unit", status, msg("dispatch.unit_status." + status));
  const escalated = (i) => i.level === "command"
    ? ` ${badge("level", "command", msg("kejadian.escalated"))}` : "";

  // The list.

  function ordered() {
    const filter = $("filter-status").value;
    return [...incidents.values()]
      .filter((i) => (filter === "open" ? i.open : !filter || i.status === filter))
      .sort((a, b) => (b.open - a.open) || (b.id - a.id));
  }

  function drawList() {
    const body = $("incident-rows");
    body.replaceChildren();
    for (const i of ordered()) {
      const row = body.insertRow();
      row.dataset.incident = i.id;
      row.className = `incident-row${i.id === selected ? " selected" : ""}${i.open ? "" : " closed"}`;
      row.tabIndex = 0;
      row.innerHTML = `<td><a href="#${i.id}">#${i.id}</a></td><td>${escape(tpsLabel(i.tps_code))}</td>`
        + `<td>${escape(msg("incident.category." + i.category))}`
        + `${i.reports > 1 ? ` <small>(${escape(counted("kejadian.reports", i.reports))})</small>` : ""}</td>`
        + `<td>${severityBadge(i.severity)}</td><td>${statusBadge(i.status)}${escalated(i)}</td>`
        + `<td>${escape(age(i.reported_at))}<br>${timer(i)}</td><td>${escape(i.owner || "-")}</td>`;
      row.onclick = () => { window.location.hash = String(i.id); };
      row.onkeydown = (event) => { if (event.key === "Enter") row.onclick(); };
    }
    if (!body.rows.length) body.innerHTML = `<tr><td colspan="7" class="muted">${escape(msg("kejadian.none"))}</td></tr>`;
    $("open-count").textContent = [...incidents.values()].filter((i) => i.open).length;
  }

  async function loadList() {
    const data = await call("/api/v1/incidents");
    const before = new Map(incidents);
    incidents.clear();
    for (const i of data.incidents) incidents.set(i.id, i);
    // After the first load, what changed while an event was lost alerts as the event would have.
    if (listLoaded) for (const i of data.incidents) if (deservesAlert(before.get(i.id), i)) alarm(i);
    listLoaded = true;
    drawList();
  }

  // The selected incident.

  function fact(label, value) {
    return `<dt>${escape(label)}</dt><dd>${value}</dd>`;
  }

  function drawFacts(i) {
    const tps = `<a href="/tps/${encodeURIComponent(i.tps_code)}">${escape(tpsLabel(i.tps_code))}</a>`;
    const rows = [
      fact(msg("kejadian.status"), statusBadge(i.status) + escalated(i)),
      fact(msg("kejadian.severity"), severityBadge(i.severity)),
      fact("TPS", tps),
      fact(msg("kejadian.fact.kecamatan"), escape(names[i.kecamatan] || i.kecamatan || "-")),
      fact("Polsek", escape(names[i.sector] || i.sector || "-")),
      fact(msg("kejadian.fact.reported"), escape(`${clock(i.reported_at)} · ${age(i.reported_at)} · ${person(i.reported_by)}`)),
      fact(msg("kejadian.fact.reports"), escape(counted("kejadian.reports", i.reports))),
      fact(msg("kejadian.fact.level"), escape(msg("kejadian.level." + i.level))),
      fact(msg("kejadian.owner"), escape(i.owner || "-")),
    ];
    if (timer(i)) rows.push(fact(msg("kejadian.fact.timer"), timer(i)));
    if (i.refer_to) rows.push(fact(msg("kejadian.fact.refer"), escape(msg("kejadian.refer." + i.refer_to))));
    if (i.closed_at) rows.push(fact(msg("kejadian.fact.closed"), escape(clock(i.closed_at))));
    $("detail-facts").innerHTML = rows.join("");
  }

  // How a report came: "via SMS, 42 menit terlambat"; nothing for an app report on time.
  function arrival(r) {
    const channel = r.channel || "app";
    const name = msg("channel." + channel);
    if (channel === "app") return r.delay_min ? msg("channel.late", { minutes: r.delay_min }) : "";
    return r.delay_min ? msg("channel.via_late", { channel: name, minutes: r.delay_min })
      : msg("channel.via", { channel: name });
  }

  function drawTimeline(detail) {
    const events = [
      ...detail.trail.map((r) => ({ at: r.at, text: msg("kejadian.trail", {
        who: person(r.reported_by), role: msg("role." + r.role), severity: msg("incident.severity." + r.severity),
      }) + (r.description ? `: ${r.description}` : "") + (arrival(r) ? ` · ${arrival(r)}` : "") })),
      ...detail.steps.map((s) => ({ at: s.at, good: s.to === "resolved", text: msg("kejadian.trail_step", {
        actor: person(s.actor), status: msg("incident.status." + s.to),
      }) + (s.owner ? ` · ${msg("kejadian.owner")}: ${s.owner}` : "") + (s.note ? ` · ${s.note}` : "") })),
    ];
    if (detail.escalated_at) events.push({ at: detail.escalated_at, bad: true, text: msg("kejadian.escalated") });
    events.sort((a, b) => a.at.localeCompare(b.at));
    $("detail-timeline").innerHTML = events.map((e) => `<li class="${e.good ? "good" : e.bad ? "bad" : ""}">`
      + `<time>${escape(clock(e.at))}</time>${escape(e.text)}</li>`).join("");
  }

  function drawSteps(i) {
    const form = $("step-form");
    if (!form) return;
    form.hidden = !i.next.length;
    $("owner-label").hidden = !i.next.includes("handled");
    const suggested = i.refer_to ? `referred_${i.refer_to}` : "";
    $("step-buttons").innerHTML = i.next.map((step) => {
      const hint = step === suggested ? ` (${msg("kejadian.suggested")})` : "";
      const kind = step.startsWith("referred") ? ' class="secondary"' : "";
      return `<button type="button" data-step="${escape(step)}"${kind}>${escape(msg("kejadian.step." + step) + hint)}</button>`;
    }).join("");
    for (const button of $("step-buttons").querySelectorAll("[data-step]")) {
      button.onclick = () => step(i.id, button.dataset.step, button);
    }
  }

  async function step(id, to, button) {
    button.disabled = true;
    try {
      const body = { to, note: $("step-note").value };
      if (to === "handled") body.owner = $("step-owner").value;
      const answer = await call(`/api/v1/incidents/${id}/transition`, { method: "POST", body });
      incidents.set(answer.id, answer);
      $("step-note").value = "";
      say("step-message", msg("kejadian.stepped", { id, status: msg("incident.status." + answer.status) }), "good");
      drawList();
      await loadDetail();
    } catch (error) {
      say("step-message", pamtps.failure(error), "bad");
      button.disabled = false;
    }
  }

  async function loadDetail() {
    if (selected === null) return;
    const id = selected;
    let detail;
    try {
      detail = await call(`/api/v1/incidents/${id}`);
    } catch (error) {
      $("detail-empty").textContent = pamtps.failure(error);
      $("detail-empty").hidden = false;
      $("detail-body").hidden = true;
      $("dispatch").hidden = true;
      return;
    }
    if (id !== selected) return;
    const { trail, steps, photos, people: named, ...incident } = detail;
    people = named || {};
    incidents.set(id, incident);
    $("detail-empty").hidden = true;
    $("detail-body").hidden = false;
    $("detail-title").textContent = `#${id} ${msg("incident.category." + detail.category)} · ${tpsLabel(detail.tps_code)}`;
    drawFacts(detail);
    $("detail-description").textContent = detail.description;
    $("detail-photos").innerHTML = photos.map((p) =>
      `<a href="${escape(p.url)}" target="_blank" rel="noopener">${escape(msg("kejadian.photo", { n: p.n }))}</a>`).join(" · ");
    drawTimeline(detail);
    drawSteps(detail);
    drawList();
    $("dispatch").hidden = false;
    await Promise.all([loadRecommendation(), loadDispatches()]);
  }

  function select(id) {
    seen(id);
    if (id === selected) return;
    selected = id;
    pendingOverride = null;
    say("step-message", "");
    say("dispatch-message", "");
    if ($("override-form")) $("override-form").hidden = true;
    loadDetail();
  }

  function selectFromUrl() {
    const wanted = Number(window.location.hash.slice(1) || new URLSearchParams(window.location.search).get("id"));
    if (Number.isInteger(wanted) && wanted > 0) select(wanted);
  }

  // Dispatch: the recommendation, sending a unit (the floor, the override), following it.

  function moveUpText(move) {
    return msg("dispatch.move_up", {
      unit: move.name || move.code, from: names[move.from_station] || move.from_station,
      to: names[move.to_station] || move.to_station, eta: pamtps.number(move.eta_min),
    });
  }

  async function loadRecommendation() {
    const id = selected;
    const body = $("candidate-rows");
    const incident = incidents.get(id);
    $("candidates-box").hidden = !incident || !incident.open;
    if (!incident || !incident.open) return;
    let data;
    try {
      data = await call(`/api/v1/incidents/${id}/recommendation`);
    } catch (error) {
      $("candidates-note").textContent = pamtps.failure(error);
      body.replaceChildren();
      return;
    }
    if (id !== selected) return;
    $("candidates-note").textContent = msg("dispatch.candidates_note", { floor: data.floor });
    body.replaceChildren();
    for (const c of data.candidates) {
      const row = body.insertRow();
      row.dataset.unit = c.code;
      row.className = c.recommended ? "recommended" : c.below_floor ? "below-floor" : "";
      const notes = [];
      if (c.recommended) notes.push(`<b class="pill recommended">${escape(msg("dispatch.recommended"))}</b>`);
      notes.push(escape(c.below_floor
        ? msg("dispatch.below", { left: c.left_at_station, floor: data.floor })
        : msg("dispatch.left", { left: c.left_at_station })));
      if (c.move_up) notes.push(`<small class="move-up">${escape(moveUpText(c.move_up))}</small>`);
      row.innerHTML = `<td><b>${escape(c.name)}</b> <small>${escape(c.code)}</small><br>${notes.join("<br>")}</td>`
        + `<td>${escape(names[c.station] || c.station)}</td><td>${c.officers}</td>`
        + `<td class="eta"><b>${escape(pamtps.number(c.eta_min))}</b></td>`
        + `<td>${config.canDispatch
          ? `<button type="button" data-send="${escape(c.code)}">${escape(msg("dispatch.send"))}</button>` : ""}</td>`;
    }
    for (const button of body.querySelectorAll("[data-send]")) {
      button.onclick = () => send(button.dataset.send, null, button);
    }
    if (!data.candidates.length) body.innerHTML = `<tr><td colspan="5" class="muted">${escape(msg("dispatch.no_candidates"))}</td></tr>`;
  }

  async function send(unit, reason, button) {
    const id = selected;
    if (button) button.disabled = true;
    const body = { unit, incident: id };
    if (reason) body.override_reason = reason;
    try {
      const answer = await call("/api/v1/dispatches", { method: "POST", body });
      pendingOverride = null;
      $("override-form").hidden = true;
      $("override-reason").value = "";
      const sent = units.get(answer.unit_id);
      let text = msg("dispatch.done", { unit: sent ? sent.name : answer.unit, eta: pamtps.number(answer.eta_min) });
      if (answer.move_up) text += " " + moveUpText(answer.move_up);
      say("dispatch-message", text, "good");
    } catch (error) {
      say("dispatch-message", pamtps.failure(error), "bad");
      if (error.code === "dispatch.below_floor") {
        pendingOverride = unit;
        $("override-form").hidden = false;
        $("override-form").dataset.unit = unit;
        $("override-reason").focus();
      }
    }
    if (button) button.disabled = false;
    await Promise.all([loadRecommendation(), loadDispatches(), loadReserve()]);
  }

  async function loadDispatches() {
    const id = selected;
    let data;
    try {
      data = await call(`/api/v1/incidents/${id}/dispatches`);
    } catch (error) {
      $("dispatch-rows").innerHTML = `<tr><td colspan="5">${escape(pamtps.failure(error))}</td></tr>`;
      return;
    }
    if (id !== selected) return;
    const body = $("dispatch-rows");
    body.replaceChildren();
    for (const d of data.dispatches) {
      const row = body.insertRow();
      row.dataset.dispatch = d.id;
      row.dataset.status = d.status;
      const unit = [...units.values()].find((u) => u.id === d.unit_id);
      const next = config.canDispatch ? (config.dispatchNext[d.status] || []) : [];
      const forced = d.override_reason ? `<br><small>${escape(msg("dispatch.forced", { reason: d.override_reason }))}</small>` : "";
      row.innerHTML = `<td>${escape(unit ? unit.name : d.unit)}<br><small>${escape(d.unit)} · ${escape(clock(d.created_at))}</small>${forced}</td>`
        + `<td>${d.officers}</td><td class="eta"><b>${escape(pamtps.number(d.eta_min))}</b></td><td>${unitBadge(d.status)}</td>`
        + `<td>${next.map((s) => `<button type="button" class="unit-step" data-status="${escape(s)}">${escape(msg("dispatch.action." + s))}</button>`).join(" ")}</td>`;
      for (const button of row.querySelectorAll("[data-status]")) {
        button.onclick = () => moveUnit(d.id, button.dataset.status, button);
      }
    }
    if (!data.dispatches.length) body.innerHTML = `<tr><td colspan="5" class="muted">${escape(msg("dispatch.none_sent"))}</td></tr>`;
  }

  async function moveUnit(dispatchId, status, button) {
    button.disabled = true;
    try {
      await call(`/api/v1/dispatches/${dispatchId}/status`, { method: "POST", body: { status } });
      say("dispatch-message", "");
    } catch (error) {
      say("dispatch-message", pamtps.failure(error), "bad");
    }
    await Promise.all([loadDispatches(), loadReserve(), loadRecommendation()]);
  }

  // The reserve.

  async function loadReserve() {
    let data;
    try {
      data = await call("/api/v1/reserve");
    } catch (error) {
      $("reserve-summary").textContent = pamtps.failure(error);
      return;
    }
    units.clear();
    for (const u of data.units) units.set(u.id, u);
    $("reserve-summary").textContent = msg("dispatch.summary", { floor: data.floor, committed: data.committed_officers });
    const body = $("reserve-rows");
    body.replaceChildren();
    const stations = new Map();
    for (const u of data.units) stations.set(u.station, [...(stations.get(u.station) || []), u]);
    for (const [station, members] of stations) {
      const standing = members.filter((u) => u.status === "available").reduce((n, u) => n + u.officers, 0);
      const head = body.insertRow();
      head.className = `station${standing < data.floor ? " below-floor" : ""}`;
      head.innerHTML = `<th colspan="3">${escape(msg("dispatch.station_line", {
        station: names[station] || station, available: standing }))}</th>`;
      for (const u of members) {
        const row = body.insertRow();
        row.dataset.unit = u.code;
        row.dataset.status = u.status;
        row.innerHTML = `<td>${escape(u.name)}<br><small>${escape(u.code)}</small></td><td>${u.officers}</td><td>${unitBadge(u.status)}</td>`;
      }
    }
  }

  // The situation report.

  async function loadSitrep() {
    const box = $("sitrep-latest");
    if (!box) return;
    try {
      drawSitrep(await call("/api/v1/sitreps/latest"));
    } catch (error) {
      box.textContent = error.status === 404 ? msg("sitrep.none") : pamtps.failure(error);
    }
  }

  function drawSitrep(report) {
    const summary = report.summary || {};
    $("sitrep-latest").innerHTML = `${escape(msg("sitrep.latest", {
      time: pamtps.when(report.at), kind: msg("sitrep.kind." + report.kind) }))}<br>`
      + `<small>${escape(msg("sitrep.summary", { open: summary.incidents_open ?? "-", closed: summary.incidents_closed ?? "-" }))}</small><br>`
      + `<a class="button" id="sitrep-pdf" href="${escape(report.pdf)}">${escape(msg("sitrep.pdf"))}</a> `
      + `<a class="button" id="sitrep-xlsx" href="${escape(report.xlsx)}">${escape(msg("sitrep.xlsx"))}</a>`;
    $("sitrep-latest").dataset.id = report.id;
  }

  async function makeSitrep() {
    const button = $("sitrep-make");
    button.disabled = true;
    try {
      drawSitrep(await call("/api/v1/sitreps", { method: "POST" }));
    } catch (error) {
      $("sitrep-latest").textContent = pamtps.failure(error);
    }
    button.disabled = false;
  }

  // Alerting: a new or newly escalated incident of high severity counts in the tab title, plays
  // the bundled sound and, where the user allowed it, shows a browser notification. It stays in
  // the count until the commander opens it: a glance at the tab says what still waits.

  const HIGH = new Set(["tinggi", "kritis"]);
  const alerted = new Set(); // ids not opened since their alert
  const plainTitle = document.title;
  window.pamtpsKejadian.alerted = () => [...alerted];

  function drawTitle() {
    document.title = alerted.size ? `(${pamtps.number(alerted.size)}) ${plainTitle}` : plainTitle;
  }

  function deservesAlert(before, after) {
    if (!after.open || !HIGH.has(after.severity)) return false;
    if (!before) return true;
    return !HIGH.has(before.severity) || (after.level === "command" && before.level !== "command");
  }

  function alarm(incident) {
    if (incident.id === selected && document.visibilityState === "visible") return;
    alerted.add(incident.id);
    drawTitle();
    const sound = $("alert-sound");
    // Browsers refuse to play before the user has touched the page: the title still counts.
    if (sound) Promise.resolve(sound.play()).catch(() => {});
    if ("Notification" in window && Notification.permission === "granted") {
      const text = msg("kejadian.alert.body", { category: msg("incident.category." + incident.category),
        severity: msg("incident.severity." + incident.severity), tps: tpsLabel(incident.tps_code) });
      const note = new Notification(msg("kejadian.alert.title", { id: incident.id }), {
        body: text, tag: `incident-${incident.id}`, lang: document.documentElement.lang });
      note.onclick = () => { window.focus(); window.location.hash = String(incident.id); };
    }
  }

  function seen(id) {
    if (alerted.delete(id)) drawTitle();
  }

  // Permission for notifications is asked once, on the user's first click (browsers ignore a
  // request that no gesture started).
  function askForNotifications() {
    if ("Notification" in window && Notification.permission === "default") {
      Promise.resolve(Notification.requestPermission()).catch(() => {});
    }
  }

  // Live.

  function setSync(state) {
    const sync = $("sync");
    sync.dataset.state = state;
    sync.textContent = msg("kejadian.sync." + state, { time: clock(new Date().toISOString()) });
  }

  function debounce(fn, ms) {
    let timer;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  const detailSoon = debounce(loadDetail, 300);
  const reserveSoon = debounce(loadReserve, 300);
  const dispatchSoon = debounce(() => selected !== null && Promise.all([loadDispatches(), loadRecommendation()]), 300);

  function listen() {
    const source = new EventSource("/api/v1/events");
    let reconnecting = false;
    source.onopen = () => {
      setSync("live");
      if (reconnecting) refreshAll(); // events missed while away
      reconnecting = true;
    };
    source.onerror = () => setSync("offline");
    source.addEventListener("incident", (event) => {
      const { change, ...incident } = JSON.parse(event.data);
      const before = incidents.get(incident.id);
      incidents.set(incident.id, incident);
      if (deservesAlert(before, incident)) alarm(incident);
      drawList();
      if (incident.id === selected) detailSoon();
      setSync("live");
    });
    source.addEventListener("dispatch", () => {
      reserveSoon();
      dispatchSoon();
      setSync("live");
    });
  }

  async function refreshAll() {
    await Promise.all([loadList(), loadReserve(), loadSitrep()]);
    if (selected !== null) await loadDetail();
  }

  async function start() {
    $("timer-help").textContent = msg("kejadian.timer_help", config.responseMinutes || {});
    $("filter-status").onchange = drawList;
    if ($("sitrep-make")) $("sitrep-make").onclick = makeSitrep;
    const override = $("override-form");
    if (override) {
      override.onsubmit = (event) => {
        event.preventDefault();
        const reason = $("override-reason").value.trim();
        if (pendingOverride && reason) send(pendingOverride, reason, $("override-send"));
      };
      $("override-cancel").onclick = () => { override.hidden = true; pendingOverride = null; say("dispatch-message", ""); };
    }
    window.addEventListener("hashchange", selectFromUrl);
    document.addEventListener("click", askForNotifications, { once: true });
    await Promise.all([loadList(), loadReserve(), loadSitrep()]);
    listen();
    selectFromUrl();
    setInterval(() => refreshAll().catch(() => setSync("offline")), 30000); // in case an event was lost
    setInterval(drawList, 20000); // ages and response timers move on
    window.pamtpsKejadian.ready = true;
    document.body.dataset.ready = "true";
  }

  start().catch((error) => {
    $("sync").dataset.state = "offline";
    $("sync").textContent = pamtps.failure(error);
  });
})();
