// The officer's page: his order, its acknowledgement, the check-in (GPS or QR), the phases of
// the day, the status of his TPS and the escort of its ballot boxes. Every write goes through
// the phone's outbox (outbox.js, IndexedDB) with its Idempotency-Key and the phone's time: sent
// at once when there is signal, otherwise kept and sent when it returns (never applied twice).
// An action waiting in the outbox is shown as such and its button stays disabled.
"use strict";
(function () {
  const { config, msg, escape } = pamtps.page();
  const $ = (id) => document.getElementById(id);
  const LEGACY_QUEUE = "pamtps.queue"; // the localStorage queue of earlier releases
  const field = window.pamtpsField;
  const done = new Set(config.done);
  let outboxItems = []; // the outbox as last drawn
  let order = null;

  // In the operation's one zone with its name ("07-12-2026 06.24 WIB").
  const time = (iso) => pamtps.when(iso);
  let people = {}; // username -> name, as the API names them
  const tpsName = (tps) => pamtps.tpsName(tps.code, config.desa, msg); // 'TPS 001 · Desa Air Paoh'
  const person = (p) => (p ? `${p.rank} ${p.name} (${p.nrp})` : "-");

  // The answer shows next to what was sent (``near``: the form or button), not at the top.
  function say(text, kind = "info", near = null) {
    const box = $("message");
    if (near && near.parentNode && box.previousElementSibling !== near) near.after(box);
    box.hidden = !text;
    box.dataset.kind = kind;
    box.textContent = text;
  }

  // Writes: through the outbox. Sent: the server's answer; waiting (no signal): null;
  // refused: thrown, with the server's reason.
  async function write(path, body, options) {
    const item = await field.write(path, body, typeof options === "string" ? { label: options } : options);
    if (item.state === "refused") throw new Error(item.reason);
    return item.state === "sent" ? item.answer : null;
  }

  const waitingItems = () => outboxItems.filter((item) => item.state === "waiting");
  const waitingAt = (path) => waitingItems().filter((item) => item.path === path);
  const itemLabel = (key, params) => field.msg("outbox.label." + key, params);

  // Queued by an earlier release in localStorage: moved into the outbox with key and time.
  async function adoptLegacyQueue() {
    const old = JSON.parse(window.localStorage.getItem(LEGACY_QUEUE) || "[]");
    for (const item of old) {
      await window.pamtpsOutbox.add({ path: item.path, body: item.body, key: item.idempotency_key,
        label: item.path });
    }
    window.localStorage.removeItem(LEGACY_QUEUE);
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
    const tps = d.tps.map((t) => `<li>${escape(pamtps.tpsName(t.code, config.desa, msg))}, ${t.kecamatan} `
      + `<a href="geo:${t.lat},${t.lng}">${msg("duty.open_map")}</a></li>`).join("");
    const s = d.schedule;
    // The wall-clock time of the regency, as ordered, written as the page's language does.
    const when = (iso) => iso.slice(11, 16).replace(":", document.documentElement.lang === "en" ? ":" : ".");
    const changes = (order.changes || []).map((c) => `<li>${msg("duty.field." + c.field)}</li>`).join("");
    $("order").innerHTML = `
      <h2>${escape(pamtps.postName(order.details.tps.map((t) => t.code), config.desa, msg))} <small>${msg("class." + d.class)}</small></h2>
      <p><small class="code-secondary">${d.post}</small></p>
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

  const WAITING = () => ` (${msg("duty.waiting_mark")})`;

  function drawAck() {
    $("ack").hidden = false;
    const waiting = waitingAt(`/api/v1/orders/${order.id}/ack`).length > 0;
    $("ack-text").textContent = !order.must_acknowledge
      ? msg("duty.acknowledged_at", { time: time(order.acknowledged_at) })
      : waiting ? msg("duty.acknowledged") + WAITING() : msg("duty.please_acknowledge");
    $("ack-button").hidden = !order.must_acknowledge;
    $("ack-button").disabled = waiting;
  }

  // Arrived: on the server, or a check-in waiting in the outbox (shown as waiting).
  function drawCheckin() {
    $("checkin").hidden = false;
    const waiting = waitingAt("/api/v1/checkin").length > 0;
    const arrived = done.has("tiba_di_tps") || waiting;
    $("checkin-done").hidden = !arrived;
    $("checkin-done").textContent = msg("duty.checked_in") + (done.has("tiba_di_tps") ? "" : WAITING());
    $("checkin-done").dataset.state = done.has("tiba_di_tps") ? "sent" : "waiting";
    $("checkin-forms").hidden = arrived;
    $("qr-scan").hidden = !("BarcodeDetector" in window);
  }

  // Phases go forward only (the server refuses a step back): one done gets a tick, one waiting
  // its mark, and one passed over (Apel after the check-in, say) says so instead of just locking.
  function drawPhases() {
    $("phases").hidden = false;
    const buttons = $("phase-buttons");
    buttons.replaceChildren();
    const queuedPhases = new Set(waitingItems().map((item) => (item.path === "/api/v1/checkin"
      ? "tiba_di_tps" : item.path === "/api/v1/movements" ? item.body.phase : null)));
    const reached = (p) => done.has(p) || queuedPhases.has(p);
    const last = Math.max(-1, ...config.phases.map((p, i) => (reached(p) ? i : -1)));
    config.phases.forEach((phase, i) => {
      if (phase === "tiba_di_tps") return; // the check-in above
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.phase = phase;
      const mark = done.has(phase) ? " ✓" : queuedPhases.has(phase) ? WAITING()
        : i < last ? ` (${msg("duty.phase_skipped")})` : "";
      button.textContent = msg("phase." + phase) + mark;
      button.disabled = i <= last;
      button.onclick = () => act(buttons, async () => {
        button.disabled = true;
        const answer = await write("/api/v1/movements", { phase }, itemLabel("movement", { phase: msg("phase." + phase) }));
        if (answer) done.add(phase);
        drawPhases();
        return answer ? msg("duty.reported", { what: msg("phase." + phase) }) : "";
      });
      buttons.append(button);
    });
  }

  async function drawStatuses() {
    $("statuses").hidden = false;
    try {
      const state = await pamtps.api("/api/v1/tps/state");
      lastStatus = new Map(state.tps.map((row) => [row.tps_code, row.last_status]));
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // no signal: what the server last said
    }
    const rows = $("status-rows");
    rows.replaceChildren();
    for (const tps of order.details.tps) {
      const queuedSteps = waitingAt(`/api/v1/tps/${tps.code}/status`).map((item) => item.body.status);
      const current = queuedSteps.length ? queuedSteps[queuedSteps.length - 1] : lastStatus.get(tps.code);
      const next = config.statuses[current ? config.statuses.indexOf(current) + 1 : 0];
      const row = document.createElement("div");
      row.className = "status-row";
      row.dataset.tps = tps.code;
      const label = document.createElement("p");
      label.textContent = `${tpsName(tps)}: ${current ? msg("status." + current) : msg("duty.no_status")}`
        + (queuedSteps.length ? WAITING() : "");
      row.append(label);
      if (next) {
        const note = document.createElement("input");
        note.placeholder = msg("duty.note");
        note.maxLength = 1000;
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = msg("duty.report_status", { status: msg("status." + next) });
        button.onclick = () => act(rows, async () => { // rows: the list is redrawn
          button.disabled = true;
          const answer = await write(`/api/v1/tps/${tps.code}/status`, { status: next, note: note.value },
            itemLabel("status", { tps: tpsName(tps), status: msg("status." + next) }));
          await drawStatuses();
          return answer ? msg("duty.reported", { what: msg("status." + next) }) : "";
        });
        row.append(note, button);
      }
      rows.append(row);
    }
    await drawEscorts();
  }

  // The ballot-box escort: the five seals after counting, then both sides of each leg.

  const COUNTED = config.statuses.indexOf("penghitungan_selesai");
  const LEGS = { pps: "TPS → PPS", ppk: "PPS → PPK" };
  const SIDES = ["officer", "receiver"];
  const notes = new Map(); // TPS code -> the last answer shown in its block: {text, kind}
  let lastStatus = new Map();
  let escorts = new Map(); // TPS code -> its escort as the server last told

  const queuedFor = (code) => waitingItems().filter((item) => item.path.startsWith(`/api/v1/escorts/${code}/`));
  const sealsOf = (form) => Object.fromEntries([...form.querySelectorAll("input[data-box]")]
    .map((input) => [input.dataset.box, input.value.trim()]));

  function sealFields(values) {
    const fields = $("seal-fields").content.cloneNode(true);
    for (const input of fields.querySelectorAll("input")) input.value = values[input.dataset.box] || "";
    return fields;
  }

  function showNote(block, code) {
    const note = notes.get(code);
    const box = block.querySelector('[data-role="note"]');
    box.hidden = !note;
    if (!note) return;
    box.dataset.kind = note.kind;
    box.textContent = note.text;
  }

  // Refused: the note says why and the form keeps what was typed. Done: the block is redrawn.
  async function escortAct(code, run) {
    try {
      const text = await run();
      notes.set(code, { text, kind: queuedFor(code).length ? "info" : "good" });
      await drawEscorts();
    } catch (error) {
      notes.set(code, { text: pamtps.failure(error), kind: "bad" });
    }
    const block = document.querySelector(`.escort-tps[data-tps="${code}"]`);
    if (!block) return;
    showNote(block, code);
    block.querySelector('[data-role="note"]').scrollIntoView({ block: "center" });
  }

  function sideCell(escort, waiting, leg, side) {
    const done = escort && escort.legs[leg][side];
    if (done) {
      const named = side === "receiver" && done.receiver_name; // the officer by rank and name
      const who = named ? done.receiver_name : people[done.confirmed_by] || done.confirmed_by;
      return `<td class="good">✓ ${escape(who)}<br><small>${time(done.at)}</small></td>`;
    }
    const queuedNow = waiting.some((item) => item.body.leg === leg && item.body.side === side);
    return `<td>${msg(queuedNow ? "duty.escort_waiting" : "duty.escort_not_yet")}</td>`;
  }

  function sealsAndLegs(seals, escort, waiting) {
    const labels = [...$("seal-fields").content.querySelectorAll("label")].map((label) =>
      `<dt>${escape(label.firstChild.textContent.trim())}</dt>`
      + `<dd>${escape(seals[label.querySelector("input").dataset.box])}</dd>`);
    const rows = Object.entries(LEGS).map(([leg, name]) => `<tr data-leg="${leg}"><th>${name}</th>`
      + SIDES.map((side) => sideCell(escort, waiting, leg, side)).join("") + "</tr>");
    return `<h4>${msg("duty.escort_seals")}</h4><dl class="facts seals">${labels.join("")}</dl>
      <table class="grid legs"><thead><tr><th>${msg("duty.escort_leg")}</th>
      <th>${msg("duty.escort_officer")}</th><th>${msg("duty.escort_receiver")}</th></tr></thead>
      <tbody>${rows.join("")}</tbody></table>`;
  }

  function sealsForm(code) {
    const form = document.createElement("form");
    form.dataset.form = "seals";
    form.innerHTML = `<h4>${msg("duty.escort_seals")}</h4><p><small>${msg("duty.escort_seals_help")}</small></p>`;
    form.append(sealFields({}));
    const button = document.createElement("button");
    button.type = "submit";
    button.textContent = msg("duty.escort_record_seals");
    form.append(button);
    form.onsubmit = (event) => {
      event.preventDefault();
      escortAct(code, async () => {
        const answer = await write(`/api/v1/escorts/${code}/seals`, { seals: sealsOf(form) },
          itemLabel("seals", { tps: code }));
        return msg(answer ? "duty.escort_seals_recorded" : "duty.escort_queued");
      });
    };
    return form;
  }

  function handoverForm(code, seals, escort, waiting) {
    const has = (leg, side) => Boolean(escort && escort.legs[leg][side])
      || waiting.some((item) => item.body.leg === leg && item.body.side === side);
    const leg = Object.keys(LEGS).find((l) => !(has(l, "officer") && has(l, "receiver"))) || "ppk";
    const sideFor = (l) => (has(l, "officer") ? "receiver" : "officer"); // his own side first
    const side = sideFor(leg);
    const option = (value, text, chosen) =>
      `<option value="${value}"${value === chosen ? " selected" : ""}>${escape(text)}</option>`;
    const form = document.createElement("form");
    form.dataset.form = "handover";
    form.innerHTML = `<h4>${msg("duty.escort_handover")}</h4>
      <label>${msg("duty.escort_leg")} <select name="leg">
        ${Object.entries(LEGS).map(([value, name]) => option(value, name, leg)).join("")}</select></label>
      <label>${msg("duty.escort_side")} <select name="side">
        ${SIDES.map((value) => option(value, msg("duty.escort_side." + value), side)).join("")}</select></label>
      <label data-role="receiver">${msg("duty.escort_receiver_name")}
        <input name="receiver_name" maxlength="200" autocomplete="off"></label>
      <p><small data-role="check"></small></p>
      <div data-role="seals"></div>
      <button type="submit">${msg("duty.escort_confirm")}</button>`;
    const fill = () => {
      const officer = form.elements.side.value === "officer";
      form.querySelector('[data-role="receiver"]').hidden = officer;
      form.elements.receiver_name.required = !officer;
      form.querySelector('[data-role="check"]').textContent =
        msg(officer ? "duty.escort_check_officer" : "duty.escort_check_receiver");
      // The officer checks the numbers he recorded; a receiver types what he reads himself.
      form.querySelector('[data-role="seals"]').replaceChildren(sealFields(officer ? seals : {}));
    };
    form.elements.side.onchange = fill;
    form.elements.leg.onchange = () => {
      form.elements.side.value = sideFor(form.elements.leg.value);
      fill();
    };
    fill();
    form.onsubmit = (event) => {
      event.preventDefault();
      const body = { leg: form.elements.leg.value, side: form.elements.side.value, seals: sealsOf(form) };
      if (body.side === "receiver") body.receiver_name = form.elements.receiver_name.value.trim();
      escortAct(code, async () => {
        const answer = await write(`/api/v1/escorts/${code}/handovers`, body,
          itemLabel("handover", { tps: code, leg: LEGS[body.leg] }));
        const name = LEGS[body.leg];
        if (!answer) return msg("duty.escort_queued");
        return answer.leg_complete ? msg("duty.escort_leg_complete", { leg: name })
          : msg("duty.escort_confirmed", { leg: name, side: msg("duty.escort_side." + body.side) });
      });
    };
    return form;
  }

  function escortBlock(tps, escort) {
    const waiting = queuedFor(tps.code);
    const sealing = waiting.find((item) => item.path.endsWith("/seals"));
    const seals = escort && escort.sealed ? escort.seals : sealing && sealing.body.seals;
    const block = document.createElement("div");
    block.className = "escort-tps";
    block.dataset.tps = tps.code;
    block.innerHTML = `<h3>${escape(tpsName(tps))}</h3>
      <p class="notice" data-role="note" role="status" hidden></p>`;
    const counted = config.statuses.indexOf(lastStatus.get(tps.code)) >= COUNTED;
    if (!seals && !counted) {
      block.insertAdjacentHTML("beforeend", `<p><small>${msg("duty.escort_after_counting")}</small></p>`);
    } else if (!seals) {
      block.append(sealsForm(tps.code));
    } else {
      block.insertAdjacentHTML("beforeend", sealsAndLegs(seals, escort, waiting));
      if (escort && escort.legs.ppk.complete) {
        block.insertAdjacentHTML("beforeend", `<p class="good" data-role="delivered">${msg("duty.escort_delivered")}</p>`);
      } else {
        block.append(handoverForm(tps.code, seals, escort, waiting));
      }
    }
    showNote(block, tps.code);
    return block;
  }

  // A block is drawn again only when what it shows changed: a live update must not wipe what
  // the officer is typing into another TPS's form.
  async function drawEscorts() {
    if (!order || order.kind !== "post") return;
    try {
      const answer = await pamtps.api("/api/v1/escorts");
      escorts = new Map(answer.escorts.map((escort) => [escort.tps_code, escort]));
      people = answer.people || {};
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // no signal: what the server last said
    }
    $("escort").hidden = false;
    const rows = $("escort-rows");
    for (const tps of order.details.tps) {
      const escort = escorts.get(tps.code);
      const signature = JSON.stringify([escort, queuedFor(tps.code), lastStatus.get(tps.code)]);
      const old = rows.querySelector(`.escort-tps[data-tps="${tps.code}"]`);
      if (old && old.dataset.signature === signature) continue;
      const block = escortBlock(tps, escort);
      block.dataset.signature = signature;
      block.dataset.server = JSON.stringify([escort, lastStatus.get(tps.code)]);
      if (old && old.dataset.server === block.dataset.server) keepTyped(old, block);
      if (old) old.replaceWith(block); else rows.append(block);
    }
  }

  // Only the outbox changed (a write sent, refused or queued): the redrawn form keeps the leg,
  // side, name and seals the officer chose, as a refusal must.
  function keepTyped(old, block) {
    const before = old.querySelector('form[data-form="handover"]');
    const after = block.querySelector('form[data-form="handover"]');
    if (!before || !after) return;
    for (const name of ["leg", "side", "receiver_name"]) after.elements[name].value = before.elements[name].value;
    after.elements.side.onchange();
    const typed = sealsOf(before);
    for (const input of after.querySelectorAll("input[data-box]")) input.value = typed[input.dataset.box] || "";
  }

  // Incidents at the post's TPS: the officer's own reports and the KPPS's, with what became of
  // them. A report made without signal waits in the outbox with its photo (shrunk on the phone).

  function drawIncidentForm() {
    $("incident").hidden = false;
    const select = document.querySelector('#incident-form select[name="tps_code"]');
    if (!select.options.length) {
      for (const tps of order.details.tps) select.add(new Option(tpsName(tps), tps.code));
    }
  }

  async function drawIncidents() {
    const box = $("incident-list");
    let data;
    try {
      data = await pamtps.api("/api/v1/incidents");
    } catch (error) {
      if (error instanceof TypeError) return; // no signal: the list drawn last stays
      throw error;
    }
    box.innerHTML = data.incidents.length ? data.incidents.map((i) => `
      <p data-incident="${i.id}"><b>#${i.id} ${escape(msg("incident.category." + i.category))}</b>
      · ${escape(msg("incident.status." + i.status))}${i.owner ? " · " + escape(i.owner) : ""}
      <br><small>${escape(time(i.reported_at))} · ${escape(i.description)}</small></p>`).join("")
      : `<p class="muted">${escape(msg("duty.no_incidents"))}</p>`;
  }

  $("incident-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const fields = new FormData(form);
    const button = form.querySelector('button[type="submit"]');
    act(form, async () => {
      button.disabled = true;
      try {
        const body = Object.fromEntries(["tps_code", "category", "severity", "description"]
          .map((name) => [name, fields.get(name)]));
        const file = fields.get("photo");
        const photo = file && file.size ? await field.compress(file) : null;
        const tps = form.elements.tps_code.selectedOptions[0].textContent;
        const answer = await write("/api/v1/incidents", body, { photo, label: itemLabel("incident",
          { tps, category: msg("incident.category." + body.category) }) });
        form.reset();
        if (!answer) return "";
        await drawIncidents();
        return msg(answer.merged ? "duty.incident_merged" : "duty.incident_sent", { id: answer.id });
      } finally {
        button.disabled = false;
      }
    });
  });

  function listen() {
    if (!window.EventSource) return;
    const source = new EventSource("/api/v1/events");
    source.addEventListener("escort", () => drawEscorts().catch(() => {}));
    source.addEventListener("incident", () => drawIncidents().catch(() => {}));
  }

  // Actions: ``near`` is where the answer shows (the form or the buttons that were used).

  async function act(near, run) {
    try {
      const text = await run(); // empty: kept in the outbox for later
      say(text || field.msg("outbox.queued"), text ? "good" : "info", near);
    } catch (error) {
      say(pamtps.failure(error), "bad", near);
    }
  }

  $("ack-button").onclick = () => act($("ack"), async () => {
    $("ack-button").disabled = true;
    const answer = await write(`/api/v1/orders/${order.id}/ack`, {}, itemLabel("ack"));
    if (answer) order = answer;
    drawAck();
    return answer ? msg("duty.acknowledged") : "";
  });

  async function checkIn(body) {
    const answer = await write("/api/v1/checkin", body, itemLabel("checkin", { method: body.method.toUpperCase() }));
    if (answer) done.add("tiba_di_tps");
    drawCheckin();
    drawPhases();
    return answer ? msg("duty.checked_in_at", { distance: Math.round(answer.distance_m ?? 0) }) : "";
  }

  $("gps-button").onclick = () => act($("checkin"), () => new Promise((resolve, reject) => {
    if (!navigator.geolocation) { reject(new Error(msg("duty.no_gps"))); return; }
    navigator.geolocation.getCurrentPosition(
      (position) => checkIn({ method: "gps", lat: position.coords.latitude, lng: position.coords.longitude })
        .then(resolve, reject),
      () => reject(new Error(msg("duty.no_gps"))),
      { enableHighAccuracy: true, timeout: 20000 },
    );
  }));
  $("qr-button").onclick = () => act($("checkin"), () => checkIn({ method: "qr", token: $("qr-token").value.trim() }));
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
      say(pamtps.failure(error), "bad", $("checkin"));
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
    drawIncidentForm();
    await drawStatuses();
    await drawIncidents();
  }

  // The outbox changed: marks redrawn; once something reached the server, what it says now.
  let sentSeen = null;
  field.onDraw((items) => {
    outboxItems = items;
    // Only what the server took changes what it says; a refusal changes nothing there, and
    // reloading then would redraw the form he is correcting.
    const sent = items.filter((item) => item.state === "sent").map((item) => item.key).join();
    const news = sentSeen !== null && sent !== sentSeen;
    sentSeen = sent;
    if (!order || order.kind !== "post") return;
    drawAck();
    drawCheckin();
    drawPhases();
    if (news) load().catch(() => null);
    else drawStatuses().catch(() => null);
  });

  const keep = ["/api/v1/orders/me", "/api/v1/tps/state", "/api/v1/incidents", "/api/v1/escorts"];
  adoptLegacyQueue().then(() => field.start({ keep })).then(load).then(listen)
    .then(() => { window.pamtpsTugas = { ready: true }; })
    .catch((error) => { $("order").textContent = pamtps.failure(error); });
})();
