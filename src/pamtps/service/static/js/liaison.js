// The liaison's page: redeem an invite code, report a problem (with a photo), follow reports.
"use strict";
(() => {
  const { msg, escape } = window.pamtps.page();
  const message = document.getElementById("message");
  const say = (text) => { message.textContent = text; message.hidden = !text; };
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
      } catch (error) { say(error.message); }
    });
    return;
  }

  async function upload(incidentId, file) {
    const response = await fetch(`/api/v1/incidents/${incidentId}/photos`, {
      method: "POST", body: file, credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream",
                 "X-CSRF-Token": window.pamtps.csrfToken(), "Idempotency-Key": key() },
    });
    if (!response.ok) throw new Error(((await response.json()).detail || {}).message);
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
      if (photo && photo.size) await upload(data.id, photo);
      reportForm.reset();
      say(msg(data.merged ? "liaison.merged" : "liaison.sent", { id: data.id }));
      load();
    } catch (error) { say(error.message); }
  });
  load();
})();
