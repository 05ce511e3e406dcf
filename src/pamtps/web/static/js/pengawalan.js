// The command post's escort page: counters, the escorts of the TPS the user sees (pending or all,
// by kecamatan) and the escort alerts, kept live by /api/v1/events (escort, alert, status) with
// a refresh every minute in case an event was lost; for command and Polsek, the liaison invite
// codes too (issue, list, revoke, the printable sheet). Command, Polsek and Padal close a flag
// (a refused handover) with a note typed in the alert itself; it leaves the list live.
"use strict";
(function () {
  const { config, msg, escape } = pamtps.page();
  const $ = (id) => document.getElementById(id);
  const KINDS = ["escort_seal_mismatch", "escort_out_of_order", "escort_overdue"];
  const FLAGS = ["escort_seal_mismatch", "escort_out_of_order"];
  let escorts = [];
  let alerts = [];
  let people = {}; // username -> name, as the API names them
  const person = (username) => people[username] || username;
  let closing = null; // the flag whose close form is open: { id, note, error }
  const canClose = $("alerts-card").dataset.canClose === "true";
  window.pamtpsEscorts = { ready: false };

  const uuid = () => (window.crypto.randomUUID ? window.crypto.randomUUID()
    : [...window.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join(""));
  // Times in the operation's one zone with its name ("07-12-2026 06.24 WIB").
  const time = (iso) => pamtps.when(iso);
  // A KPU TPS code: 10 digits of its desa, then its number (1601142015901: TPS 901 of 16.01.14.2015).
  const desaOf = (code) => `${code.slice(0, 2)}.${code.slice(2, 4)}.${code.slice(4, 6)}.${code.slice(6, 10)}`;
  const kecamatanOf = (code) => desaOf(code).slice(0, 8);
  const tpsLabel = (code) => pamtps.tpsName(code, config.desaLabels, msg);
  const inArea = (code) => !$("filter-kecamatan").value || kecamatanOf(code) === $("filter-kecamatan").value;
  const alertsOf = (code, kinds) => alerts.filter((a) => kinds.includes(a.kind) && a.tps_codes.includes(code));

  function debounce(run, ms) {
    let timer;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(() => run().catch((error) => setSync("offline", pamtps.failure(error))), ms);
    };
  }

  function setSync(state, text) {
    $("sync").dataset.state = state;
    $("sync").textContent = text || msg("escorts.sync." + state, { time: pamtps.when(new Date().toISOString(), { date: false }) });
  }

  function stateOf(escort) {
    if (escort.legs.ppk.complete) return "at_ppk";
    if (escort.legs.pps.complete) return "at_pps";
    return escort.sealed ? "sealed" : "counted";
  }

  // Drawing.

  function drawCounters() {
    const mine = escorts.filter((e) => inArea(e.tps_code));
    const counts = {
      counted: mine.filter((e) => e.counting_finished_at).length,
      at_pps: mine.filter((e) => stateOf(e) === "at_pps").length,
      at_ppk: mine.filter((e) => stateOf(e) === "at_ppk").length,
      pending: mine.filter((e) => e.pending).length,
      overdue: new Set(alerts.filter((a) => a.kind === "escort_overdue")
        .flatMap((a) => a.tps_codes).filter(inArea)).size,
    };
    for (const [name, count] of Object.entries(counts)) $("count-" + name).textContent = count;
  }

  // The escorting officer by his rank and name; the receiver by the name he gave (the account
  // that confirmed it below), else by his account's name.
  function sideCell(done, side) {
    if (!done) return `<td class="muted">${escape(msg("escorts.not_yet"))}</td>`;
    const named = side === "receiver" && done.receiver_name;
    return `<td class="good">✓ ${escape(named ? done.receiver_name : person(done.confirmed_by))}`
      + `<br><small>${escape(time(done.at))}${named ? ` · ${escape(person(done.confirmed_by))}` : ""}</small></td>`;
  }

  function row(escort) {
    const code = escort.tps_code;
    const state = stateOf(escort);
    const overdue = alertsOf(code, ["escort_overdue"]);
    const flags = alertsOf(code, FLAGS);
    const badges = [
      ...overdue.map((a) => `<span class="flag overdue" title="${escape(a.message)}">${escape(msg("escorts.overdue"))}</span>`),
      ...flags.map((a) => `<span class="flag flagged" data-kind="${a.kind}" title="${escape(a.message)}">`
        + `${escape(msg("alert." + a.kind))}</span>`),
    ];
    const seals = Object.keys(escort.seals).length;
    return `<tr data-tps="${code}" data-state="${state}" class="escort-row${overdue.length ? " overdue" : ""}${flags.length ? " flagged" : ""}">
      <td><a href="/tps/${code}">${escape(tpsLabel(code))}</a><br><small>${code}</small></td>
      <td>${escape(time(escort.counting_finished_at))}</td>
      <td>${seals ? `${seals}/${config.boxes.length}` : "-"}</td>
      ${config.legs.map((leg) => sideCell(escort.legs[leg].officer, "officer") + sideCell(escort.legs[leg].receiver, "receiver")).join("")}
      <td class="state">${escape(msg("escorts.state." + state))} ${badges.join(" ")}</td></tr>`;
  }

  function drawTable() {
    const pendingOnly = $("filter-show").value === "pending";
    const shown = escorts.filter((e) => inArea(e.tps_code) && (!pendingOnly || e.pending));
    // What needs the command first: overdue or flagged, then the oldest counting.
    const urgent = (e) => (alertsOf(e.tps_code, KINDS).length ? 0 : 1);
    shown.sort((a, b) => urgent(a) - urgent(b)
      || String(a.counting_finished_at).localeCompare(String(b.counting_finished_at)));
    const empty = escorts.length ? "escorts.none_shown" : "escorts.none";
    $("escort-rows").innerHTML = shown.length ? shown.map(row).join("")
      : `<tr><td colspan="8" class="muted">${escape(msg(empty))}</td></tr>`;
    $("shown").textContent = msg("escorts.shown", { count: shown.length });
  }

  function closeControls(alert) {
    if (!canClose || !FLAGS.includes(alert.kind)) return "";
    if (!closing || closing.id !== alert.id) {
      return `<br><button type="button" class="small-button" data-close="${alert.id}">${escape(msg("escorts.close"))}</button>`;
    }
    return `<form class="close-flag" data-close-form="${alert.id}">
      <label>${escape(msg("escorts.close_note"))}
        <textarea name="note" rows="2" maxlength="500" required>${escape(closing.note)}</textarea></label>
      <p class="notice" data-role="close-error" data-kind="bad"${closing.error ? "" : " hidden"}>${escape(closing.error || "")}</p>
      <button type="submit">${escape(msg("escorts.close_confirm"))}</button>
      <button type="button" data-close-cancel>${escape(msg("escorts.close_cancel"))}</button></form>`;
  }

  function drawAlerts() {
    const typing = closing && $("alerts").querySelector(`[data-close-form="${closing.id}"] textarea`);
    if (typing) closing.note = typing.value; // a redraw (an event) keeps what is being typed
    const focused = typing && typing === document.activeElement;
    if (closing && !alerts.some((a) => a.id === closing.id)) closing = null; // closed elsewhere
    const mine = alerts.filter((a) => a.tps_codes.some(inArea));
    $("alert-count").textContent = mine.length;
    $("alerts").innerHTML = mine.length ? mine.map((a) => `
      <li class="alert-item" data-kind="${a.kind}" data-alert="${a.id}"><b>${escape(msg("alert." + a.kind))}</b> · ${escape(time(a.raised_at))}
        <br>${escape(a.message)}<br>${a.tps_codes.map((code) => `<a href="/tps/${code}">${escape(tpsLabel(code))}</a>`).join(", ")}
        ${closeControls(a)}</li>`).join("")
      : `<li class="muted">${escape(msg("escorts.no_alerts"))}</li>`;
    const note = closing && $("alerts").querySelector(`[data-close-form="${closing.id}"] textarea`);
    if (note && focused) note.focus();
  }

  function draw() {
    drawCounters();
    drawTable();
    drawAlerts();
  }

  async function refreshEscorts() {
    const data = await pamtps.api("/api/v1/escorts");
    escorts = data.escorts;
    people = { ...people, ...(data.people || {}) };
    draw();
  }

  async function refreshAlerts() {
    alerts = (await pamtps.api("/api/v1/alerts")).alerts.filter((a) => KINDS.includes(a.kind));
    draw();
  }

  const escortsSoon = debounce(refreshEscorts, 300);
  const alertsSoon = debounce(refreshAlerts, 300);

  function listen() {
    const source = new EventSource("/api/v1/events");
    let reconnecting = false;
    source.onopen = () => {
      setSync("live");
      if (reconnecting) { escortsSoon(); alertsSoon(); } // events missed while away
      reconnecting = true;
    };
    source.onerror = () => setSync("offline");
    const on = (kind, handle) => source.addEventListener(kind, (event) => {
      handle(JSON.parse(event.data));
      setSync("live");
    });
    on("escort", () => escortsSoon());
    on("alert", (data) => { if (KINDS.includes(data.kind)) alertsSoon(); });
    on("status", (data) => { if (data.status === "penghitungan_selesai") escortsSoon(); });
  }

  $("filter-show").onchange = draw;
  $("filter-kecamatan").onchange = draw;

  // Liaison invite codes (command and Polsek).

  async function send(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Accept: "application/json",
          "X-CSRF-Token": pamtps.csrfToken(), "Idempotency-Key": uuid() },
      });
    } catch (error) {
      throw new Error(pamtps.failure(error)); // no signal: said in the page's language
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error((data && data.detail && data.detail.message) || msg("page.refused", { status: response.status }));
    return data;
  }

  // Closing a flag with a note (command, Polsek, Padal).

  function openClose(id) {
    closing = { id, note: "", error: "" };
    $("alert-result").hidden = true;
    drawAlerts();
    $("alerts").querySelector(`[data-close-form="${id}"] textarea`).focus();
  }

  async function closeFlag(form) {
    const id = closing.id;
    closing.note = form.elements.note.value;
    try {
      await send(`/api/v1/alerts/${id}/resolve`, { note: closing.note });
      closing = null;
      alerts = alerts.filter((a) => a.id !== id);
      draw();
      $("alert-result").hidden = false;
      $("alert-result").textContent = msg("escorts.closed");
    } catch (error) {
      closing.error = pamtps.failure(error);
      drawAlerts();
    }
  }

  function closeForms() {
    $("alerts").addEventListener("click", (event) => {
      const open = event.target.closest("[data-close]");
      if (open) openClose(Number(open.dataset.close));
      if (event.target.closest("[data-close-cancel]")) { closing = null; drawAlerts(); }
    });
    $("alerts").addEventListener("submit", (event) => {
      event.preventDefault();
      closeFlag(event.target).catch((error) => setSync("offline", pamtps.failure(error)));
    });
  }

  function tell(text, kind) {
    const box = $("codes-result");
    box.hidden = !text;
    box.dataset.kind = kind;
    box.textContent = text;
  }

  // The TPS typed, or else the desa picked; null if neither.
  function picked() {
    const form = $("codes-form");
    const tps = form.elements.tps.value.trim();
    const desa = tps ? "" : form.elements.desa.value;
    if (!tps && !desa) return null;
    const holders = [...form.querySelectorAll('input[name="holder"]:checked')].map((input) => input.value);
    return { tps, desa, holders, query: tps ? `tps=${encodeURIComponent(tps)}` : `desa=${encodeURIComponent(desa)}` };
  }

  function choice() {
    const pick = picked();
    if (!pick) tell(msg("escorts.codes_pick"), "bad");
    return pick;
  }

  function sheetLink() {
    const pick = picked();
    $("codes-sheet").href = pick ? `/api/v1/liaison/sheet?${pick.query}` : "#";
  }

  function codeRow(code) {
    const holder = msg("escorts.holder." + code.holder);
    const revoke = code.state === "revoked" ? "" : `<button type="button" class="small-button" data-revoke="${code.id}"
      data-holder="${escape(holder)}" data-tps="${code.tps_code}">${escape(msg("escorts.codes_revoke"))}</button>`;
    return `<tr data-code-id="${code.id}" data-state="${code.state}">
      <td>${escape(tpsLabel(code.tps_code))}<br><small>${code.tps_code}</small></td><td>${escape(holder)}</td>
      <td><code class="code">${escape(code.code || "-")}</code></td><td>${escape(msg("escorts.codes_state." + code.state))}</td>
      <td>${escape(time(code.issued_at))}<br><small>${escape(person(code.issued_by))}</small></td><td>${revoke}</td></tr>`;
  }

  async function listCodes(pick) {
    const data = await pamtps.api(`/api/v1/liaison/codes?${pick.query}`);
    people = { ...people, ...(data.people || {}) };
    $("code-rows").innerHTML = data.codes.length ? data.codes.map(codeRow).join("")
      : `<tr><td colspan="6" class="muted">${escape(msg("escorts.codes_none"))}</td></tr>`;
    for (const button of document.querySelectorAll("[data-revoke]")) {
      button.onclick = () => revoke(button.dataset, pick);
    }
  }

  async function revoke({ revoke: id, holder, tps }, pick) {
    if (!window.confirm(msg("escorts.codes_confirm_revoke", { holder, tps }))) return;
    try {
      await send(`/api/v1/liaison/codes/${id}/revoke`, {});
      await listCodes(pick);
      tell(msg("escorts.codes_revoked", { holder, tps }), "good");
    } catch (error) { tell(pamtps.failure(error), "bad"); }
  }

  function codesForm() {
    const form = $("codes-form");
    const kecamatan = new Map(config.kecamatan);
    const desa = Object.entries(config.desa).sort((a, b) => a[1].localeCompare(b[1]));
    for (const [code, name] of desa) {
      form.elements.desa.add(new Option(`${name} (${kecamatan.get(code.slice(0, 8)) || code})`, code));
    }
    form.onsubmit = async (event) => {
      event.preventDefault();
      const pick = choice();
      if (!pick || !window.confirm(msg("escorts.codes_confirm_issue"))) return;
      try {
        const body = { tps: pick.tps ? [pick.tps] : [], desa: pick.desa || null, holders: pick.holders };
        const answer = await send("/api/v1/liaison/codes", body);
        await listCodes(pick);
        tell(msg("escorts.codes_issued", { count: answer.codes.length }), "good");
      } catch (error) { tell(pamtps.failure(error), "bad"); }
    };
    $("codes-list").onclick = async () => {
      const pick = choice();
      if (!pick) return;
      tell("", "info");
      try { await listCodes(pick); } catch (error) { tell(pamtps.failure(error), "bad"); }
    };
    form.elements.tps.oninput = sheetLink;
    form.elements.desa.onchange = sheetLink;
    sheetLink();
    $("codes-sheet").onclick = (event) => { if (!choice()) event.preventDefault(); };
  }

  async function start() {
    if (config.canIssueCodes) codesForm();
    if (canClose) closeForms();
    await Promise.all([refreshEscorts(), refreshAlerts()]);
    listen();
    setInterval(() => { escortsSoon(); alertsSoon(); }, 60000); // in case an event was lost
    window.pamtpsEscorts.ready = true;
  }

  start().catch((error) => setSync("offline", pamtps.failure(error)));
})();
