// The officer's page: his order, its acknowledgement, the check-in (GPS or QR), the phases of
// the day and the status of his TPS. Every write carries a fresh Idempotency-Key; a write that
// cannot reach the server (no signal) waits in localStorage with its key and its time, and is
// sent again through /api/v1/field/batch once the phone is back online (never applied twice).
"use strict";
(function () {
  const { config, msg, locale: lang, escape } = pamtps.page();
  const $ = (id) => document.getElementById(id);
  const QUEUE = "pamtps.queue";
  const done = new Set(config.done);
  let order = null;

  const uuid = () => (window.crypto.randomUUID ? window.crypto.randomUUID()
    : [...window.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join(""));
  const time = (iso) => new Date(iso).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  const person = (p) => (p ? `${p.rank} ${p.name} (${p.nrp})` : "-");

  function say(text, kind = "info") {
    const box = $("message");
    box.hidden = false;
    box.dataset.kind = kind;
    box.textContent = text;
  }

  // Writes, and the queue of writes made without signal.

  const queued = () => JSON.parse(window.localStorage.getItem(QUEUE) || "[]");
  function setQueue(items) {
    window.localStorage.setItem(QUEUE, JSON.stringify(items));
    $("queue").hidden = !items.length;
    $("queue").textContent = msg("duty.queued", { count: items.length });
  }

  async function post(path, body, key) {
    const response = await fetch(path, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", Accept: "application/json",
        "X-CSRF-Token": pamtps.csrfToken(), "Idempotency-Key": key },
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error((data && data.detail && data.detail.message) || response.statusText);
    return data;
  }

  // Send now; without signal, queue (the phone's time goes along). Refusals are thrown.
  async function write(path, body) {
    const key = uuid();
    try {
      return await post(path, body, key);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // the server answered: a real refusal
      setQueue([...queued(), { path, body: { ...body, at: new Date().toISOString() }, idempotency_key: key }]);
      return null;
    }
  }

  async function flush() {
    const items = queued();
    if (!items.length) return;
    try {
      const answer = await post("/api/v1/field/batch", { reports: items }, uuid());
      setQueue([]);
      const refused = answer.results.filter((r) => r.status >= 400 && r.status !== 409);
      if (refused.length) say(refused.map((r) => r.detail.message).join(" "), "bad");
      await load();
    } catch (error) {
      if (!(error instanceof TypeError)) say(error.message, "bad");
    }
  }

  // Drawing the order.

  function list(title, items) {
    return `<dt>${title}</dt><dd>${items.length ? items.map(person).join("<br>") : "-"}</dd>`;
  }

  function escapeAll(value) {
    if (typeof value === "string") return escape(value);
    if (Array.isArray(value)) return value.map(escapeAll);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeAll(v)]));
    return value;
  }

  function drawOrder() {
    const d = escapeAll(order.details);
    if (order.kind !== "post") {
      const duty = d.new_duty ? msg("duty.new_duty", { duty: d.new_duty.duty, target: d.new_duty.target }) : "";
      $("order").innerHTML = `<h2>${msg("duty.withdrawn")}</h2><p>${duty}</p>`;
      return;
    }
    const tps = d.tps.map((t) => `<li>${t.label} ${t.desa}, ${t.kecamatan} `
      + `<a href="geo:${t.lat},${t.lng}">${msg("duty.open_map")}</a></li>`).join("");
    const s = d.schedule;
    const when = (iso) => iso.slice(11, 16); // the wall-clock time of the regency, as ordered
    const changes = (order.changes || []).map((c) => `<li>${msg("duty.field." + c.field)}</li>`).join("");
    $("order").innerHTML = `
      <h2>${msg("duty.post")} ${d.post} <small>${msg("class." + d.class)}</small></h2>
      <p>${d.sector.name} · ${msg("duty.kecamatan")} ${d.kecamatan.name}</p>
      <ul class="tps-list">${tps}</ul>
      <dl class="facts">
        ${list(msg("duty.team_leader"), [d.team_leader])}
        ${list(msg("duty.partners"), d.partners)}
        ${list("Padal", d.padal)}
        ${list("Kapolsek", d.kapolsek ? [d.kapolsek] : [])}
        <dt>${msg("duty.times")}</dt>
        <dd>${msg("duty.schedule", { apel: when(s.apel), at_tps_by: when(s.at_tps_by), voting_opens: when(s.voting_opens), zone: s.zone })}</dd>
      </dl>
      ${changes ? `<p class="notice">${msg("duty.changed")}</p><ul>${changes}</ul>` : ""}`;
  }

  function drawAck() {
    $("ack").hidden = false;
    $("ack-text").textContent = order.must_acknowledge ? msg("duty.please_acknowledge")
      : msg("duty.acknowledged_at", { time: time(order.acknowledged_at) });
    $("ack-button").hidden = !order.must_acknowledge;
  }

  function drawCheckin() {
    $("checkin").hidden = false;
    const arrived = done.has("tiba_di_tps");
    $("checkin-done").hidden = !arrived;
    $("checkin-done").textContent = msg("duty.checked_in");
    $("checkin-forms").hidden = arrived;
    $("qr-scan").hidden = !("BarcodeDetector" in window);
  }

  function drawPhases() {
    $("phases").hidden = false;
    const buttons = $("phase-buttons");
    buttons.replaceChildren();
    const last = Math.max(-1, ...config.phases.map((p, i) => (done.has(p) ? i : -1)));
    config.phases.forEach((phase, i) => {
      if (phase === "tiba_di_tps") return; // the check-in above
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = msg("phase." + phase) + (done.has(phase) ? " ✓" : "");
      button.disabled = i <= last;
      button.onclick = () => act(async () => {
        if (await write("/api/v1/movements", { phase })) done.add(phase);
        drawPhases();
        return msg("duty.reported", { what: msg("phase." + phase) });
      });
      buttons.append(button);
    });
  }

  async function drawStatuses() {
    $("statuses").hidden = false;
    const state = await pamtps.api("/api/v1/tps/state");
    const last = new Map(state.tps.map((row) => [row.tps_code, row.last_status]));
    const rows = $("status-rows");
    rows.replaceChildren();
    for (const tps of order.details.tps) {
      const current = last.get(tps.code);
      const next = config.statuses[current ? config.statuses.indexOf(current) + 1 : 0];
      const row = document.createElement("div");
      row.className = "status-row";
      const label = document.createElement("p");
      label.textContent = `${tps.label} ${tps.desa}: ${current ? msg("status." + current) : msg("duty.no_status")}`;
      row.append(label);
      if (next) {
        const note = document.createElement("input");
        note.placeholder = msg("duty.note");
        note.maxLength = 1000;
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = msg("duty.report_status", { status: msg("status." + next) });
        button.onclick = () => act(async () => {
          await write(`/api/v1/tps/${tps.code}/status`, { status: next, note: note.value });
          await drawStatuses();
          return msg("duty.reported", { what: msg("status." + next) });
        });
        row.append(note, button);
      }
      rows.append(row);
    }
  }

  // Actions.

  async function act(run) {
    try {
      const text = await run();
      const waiting = queued().length;
      say(waiting ? msg("duty.queued", { count: waiting }) : text, waiting ? "info" : "good");
    } catch (error) {
      say(error.message, "bad");
    }
  }

  $("ack-button").onclick = () => act(async () => {
    const answer = await write(`/api/v1/orders/${order.id}/ack`, {});
    if (answer) order = answer;
    drawAck();
    return msg("duty.acknowledged");
  });

  async function checkIn(body) {
    const answer = await write("/api/v1/checkin", body);
    if (answer) done.add("tiba_di_tps");
    drawCheckin();
    drawPhases();
    return answer ? msg("duty.checked_in_at", { distance: Math.round(answer.distance_m ?? 0) }) : "";
  }

  $("gps-button").onclick = () => act(() => new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error(msg("duty.no_gps"))); return; }
    navigator.geolocation.getCurrentPosition(
      (position) => checkIn({ method: "gps", lat: position.coords.latitude, lng: position.coords.longitude })
        .then(resolve, reject),
      () => reject(new Error(msg("duty.no_gps"))),
      { enableHighAccuracy: true, timeout: 20000 },
    );
  }));
  $("qr-button").onclick = () => act(() => checkIn({ method: "qr", token: $("qr-token").value.trim() }));
  $("qr-scan").onclick = async () => {
    const video = $("qr-video");
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.hidden = false;
      await video.play();
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      for (let found = []; !found.length; await new Promise((r) => setTimeout(r, 300))) {
        found = await detector.detect(video);
        if (found.length) $("qr-token").value = found[0].rawValue;
      }
    } catch (error) {
      say(error.message, "bad");
    } finally {
      for (const track of (video.srcObject ? video.srcObject.getTracks() : [])) track.stop();
      video.hidden = true;
    }
  };

  async function load() {
    order = await pamtps.api("/api/v1/orders/me");
    drawOrder();
    if (order.kind !== "post") return;
    drawAck();
    drawCheckin();
    drawPhases();
    await drawStatuses();
  }

  setQueue(queued());
  window.addEventListener("online", flush);
  setInterval(flush, 30000);
  load().then(flush).catch((error) => {
    $("order").textContent = error.message;
  });
})();
