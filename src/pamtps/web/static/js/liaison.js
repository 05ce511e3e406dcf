// The liaison's page: redeem an invite code, report a problem (with a photo), follow reports,
// and confirm the receiver's side of a ballot-box handover with the seals read on the boxes.
"use strict";
(() => {
  const { msg, escape, locale } = window.pamtps.page();
  const message = document.getElementById("message");
  // kind "bad" (an error: red, announced at once) or "good"; information otherwise.
  const say = (text, kind = "") => {
    message.textContent = text;
    message.hidden = !text;
    message.dataset.kind = kind;
    message.setAttribute("role", kind === "bad" ? "alert" : "status");
  };
  const failed = (error) => error instanceof TypeError ? msg("liaison.offline") : error.message;
  const key = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now() + Math.random()));

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
    } catch (error) { box.textContent = error.message; }
  }

  const reportForm = document.getElementById("report-form");
  reportForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(reportForm);
    const { tps_code: tpsCode } = window.pamtps.page().config;
    try {
      const response = await fetch("/api/v1/incidents", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json",
                   "X-CSRF-Token": window.pamtps.csrfToken(), "Idempotency-Key": key() },
        body: JSON.stringify({ tps_code: tpsCode, category: form.get("category"),
                               severity: form.get("severity"), description: form.get("description") }),
      });
      const data = await response.json();
      if (!response.ok) throw new Error((data.detail || {}).message || response.statusText);
      const photo = form.get("photo");
      if (photo && photo.size) await window.pamtps.uploadPhoto(data.id, photo);
      reportForm.reset();
      say(msg(data.merged ? "liaison.merged" : "liaison.sent", { id: data.id }), "good");
      load();
    } catch (error) { say(failed(error), "bad"); }
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
  const when = (iso) => new Date(iso).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  const side = (done) => (done
    ? `<td class="good">✓ ${escape(done.receiver_name || done.confirmed_by)}<br><small>${escape(when(done.at))}</small></td>`
    : `<td>${escape(msg("liaison.escort_not_yet"))}</td>`);

  // ``next``: choose the next leg to confirm even if the form has the focus (after a handover).
  async function loadEscort(next = false) {
    const box = document.getElementById("escort-state");
    const { tps_code: tpsCode } = window.pamtps.page().config;
    try {
      const data = await window.pamtps.api("/api/v1/escorts");
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
    } catch (error) { box.textContent = error.message; }
  }

  handoverForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { tps_code: tpsCode } = window.pamtps.page().config;
    const inputs = [...handoverForm.querySelectorAll("input[data-box]")];
    const leg = handoverForm.elements.leg.value;
    const body = { leg, side: "receiver",
                   seals: Object.fromEntries(inputs.map((input) => [input.dataset.box, input.value.trim()])) };
    try {
      const response = await fetch(`/api/v1/escorts/${tpsCode}/handovers`, {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Accept: "application/json",
                   "X-CSRF-Token": window.pamtps.csrfToken(), "Idempotency-Key": key() },
      });
      const data = await response.json();
      if (!response.ok) throw new Error((data.detail || {}).message || response.statusText);
      for (const input of inputs) input.value = "";
      tell(msg(data.leg_complete ? "liaison.handover_complete" : "liaison.handover_done",
               { leg: LEGS[leg] }), "good");
      await loadEscort(true);
    } catch (error) { tell(error.message, "bad"); }
  });
  loadEscort();
  if (window.EventSource) new EventSource("/api/v1/events").addEventListener("escort", () => loadEscort());
})();
