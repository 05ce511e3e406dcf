// The liaison's page: redeem an invite code, report a problem (with a photo), follow reports,
// and confirm the receiver's side of a ballot-box handover with the seals read on the boxes.
// His reports and confirmations go through the phone's outbox (outbox.js, IndexedDB), as the
// officer's do: with their Idempotency-Key and the phone's time, sent at once when there is
// signal, otherwise kept on the phone (marked waiting) and sent when the signal returns.
"use strict";
(() => {
  const { msg, escape } = window.pamtps.page();
  const message = document.getElementById("message");
  // kind "bad" (an error: red, announced at once) or "good"; information otherwise.
  const say = (text, kind = "") => {
    message.textContent = text;
    message.hidden = !text;
    message.dataset.kind = kind;
    message.setAttribute("role", kind === "bad" ? "alert" : "status");
  };
  const failed = (error) => error instanceof TypeError ? msg("liaison.offline") : error.message;

  const redeemForm = document.getElementById("redeem-form");
  if (redeemForm) {
    redeemForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(redeemForm);
      try {
        await window.pamtps.api("/api/v1/liaison/redeem", {
          method: "POST", body: { code: form.get("code"), name: form.get("name"), session: true },
        });
        window.location.replace("/liaison");
      } catch (error) { say(failed(error), "bad"); }
    });
    return;
  }

  async function load() {
    const box = document.getElementById("incidents");
    try {
      const data = await window.pamtps.api("/api/v1/incidents");
      box.innerHTML = data.incidents.length ? data.incidents.map((i) => `
        <p><b>#${i.id} ${escape(msg("incident.category." + i.category))}</b>
        · ${escape(msg("incident.status." + i.status))}${i.owner ? " · " + escape(i.owner) : ""}
        <br><small>${escape(i.description)}</small></p>`).join("") : `<p>${escape(msg("liaison.none"))}</p>`;
    } catch (error) { box.textContent = window.pamtps.failure(error); }
  }

  const field = window.pamtpsField;
  const label = (name, params) => field.msg("outbox.label." + name, params);
  // A write through the outbox. Sent: the server's answer; waiting (no signal): null;
  // refused: thrown, with the server's reason.
  async function write(path, body, options) {
    const item = await field.write(path, body, options);
    if (item.state === "refused") throw new Error(item.reason);
    return item.state === "sent" ? item.answer : null;
  }

  const reportForm = document.getElementById("report-form");
  const reportButton = reportForm.querySelector('button[type="submit"]');
  reportForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(reportForm);
    const { tps_code: tpsCode } = window.pamtps.page().config;
    const category = reportForm.elements.category;
    reportButton.disabled = true; // one tap, one report
    try {
      const file = form.get("photo");
      const photo = file && file.size ? await field.compress(file) : null;
      const data = await write("/api/v1/incidents", {
        tps_code: tpsCode, category: form.get("category"),
        severity: form.get("severity"), description: form.get("description"),
      }, { label: label("incident", { tps: tpsCode,
        category: category.options[category.selectedIndex].text }), photo });
      reportForm.reset();
      if (!data) { say(field.msg("outbox.queued")); return; }
      say(msg(data.merged ? "liaison.merged" : "liaison.sent", { id: data.id }), "good");
      load();
    } catch (error) { say(failed(error), "bad"); } finally { reportButton.disabled = false; }
  });
  load();

  // The escort of this TPS's ballot boxes: who confirmed each leg, and the receiver's side.
  const LEGS = { pps: "TPS → PPS", ppk: "PPS → PPK" };
  const handoverForm = document.getElementById("handover-form");
  const result = document.getElementById("handover-result");
  const tell = (text, kind) => {
    result.textContent = text;
    result.dataset.kind = kind;
    result.hidden = !text;
  };
  // In the operation's one zone with its name ("07-12-2026 06.24 WIB").
  const when = (iso) => window.pamtps.when(iso);
  let people = {}; // username -> name, as the API names them
  const side = (done) => (done
    ? `<td class="good">✓ ${escape(done.receiver_name || people[done.confirmed_by] || done.confirmed_by)}<br><small>${escape(when(done.at))}</small></td>`
    : `<td>${escape(msg("liaison.escort_not_yet"))}</td>`);

  // ``next``: choose the next leg to confirm even if the form has the focus (after a handover).
  async function loadEscort(next = false) {
    const box = document.getElementById("escort-state");
    const { tps_code: tpsCode } = window.pamtps.page().config;
    try {
      const data = await window.pamtps.api("/api/v1/escorts");
      people = data.people || {};
      const escort = data.escorts.find((e) => e.tps_code === tpsCode);
      if (!escort || !escort.sealed) {
        box.innerHTML = `<p>${escape(msg("liaison.escort_unsealed"))}</p>`;
        handoverForm.hidden = true;
        return;
      }
      const rows = Object.entries(LEGS).map(([leg, name]) => `<tr data-leg="${leg}"><th>${name}</th>`
        + `${side(escort.legs[leg].officer)}${side(escort.legs[leg].receiver)}</tr>`).join("");
      box.innerHTML = `<p>${escape(msg("liaison.escort_sealed"))}</p>
        <table class="grid legs"><thead><tr><th>${escape(msg("liaison.handover_leg"))}</th>
        <th>${escape(msg("liaison.escort_officer"))}</th><th>${escape(msg("liaison.escort_receiver"))}</th>
        </tr></thead><tbody>${rows}</tbody></table>`;
      if (escort.legs.ppk.complete) {
        box.insertAdjacentHTML("beforeend", `<p class="good" data-role="delivered">${escape(msg("liaison.escort_delivered"))}</p>`);
      }
      const open = Object.keys(LEGS).find((leg) => !escort.legs[leg].receiver);
      handoverForm.hidden = !open;
      if (open && (next || !handoverForm.contains(document.activeElement))) {
        handoverForm.elements.leg.value = open;
      }
    } catch (error) { box.textContent = window.pamtps.failure(error); }
  }

  handoverForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { tps_code: tpsCode } = window.pamtps.page().config;
    const inputs = [...handoverForm.querySelectorAll("input[data-box]")];
    const leg = handoverForm.elements.leg.value;
    const body = { leg, side: "receiver",
                   seals: Object.fromEntries(inputs.map((input) => [input.dataset.box, input.value.trim()])) };
    const button = document.getElementById("handover-button");
    button.disabled = true;
    try {
      const data = await write(`/api/v1/escorts/${tpsCode}/handovers`, body,
        { label: label("handover", { tps: tpsCode, leg: LEGS[leg] }) });
      for (const input of inputs) input.value = "";
      if (!data) { tell(field.msg("outbox.queued"), "info"); return; }
      tell(msg(data.leg_complete ? "liaison.handover_complete" : "liaison.handover_done",
               { leg: LEGS[leg] }), "good");
      await loadEscort(true);
    } catch (error) { tell(window.pamtps.failure(error), "bad"); } finally { button.disabled = false; }
  });
  // Something waiting reached the server: what it says now (no reload).
  let sentSeen = null;
  field.onDraw((items) => {
    const sent = items.filter((item) => item.state !== "waiting").map((item) => item.key).join();
    if (sentSeen !== null && sent !== sentSeen) { load(); loadEscort(); }
    sentSeen = sent;
  });
  field.start({ keep: ["/api/v1/incidents", "/api/v1/escorts"] });
  loadEscort();
  if (window.EventSource) new EventSource("/api/v1/events").addEventListener("escort", () => loadEscort());
})();
