// PamTPS pages' shared script: JSON calls to /api/v1 that carry the session's CSRF token.
"use strict";
window.pamtps = {
  csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },
  // What a page's script needs: its config (JSON in #page-config, from the server), msg(key,
  // {params}) from config.messages, the locale for dates, and escape() for HTML text.
  page() {
    const element = document.getElementById("page-config");
    const config = element ? JSON.parse(element.textContent) : {};
    const msg = (key, params = {}) =>
      ((config.messages || {})[key] || key).replace(/\{(\w+)\}/g, (_, name) => params[name] ?? "");
    const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    const escape = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return { config, msg, locale, escape };
  },
  // Numbers and moments as the page's language writes them: number(21.4, 1) is "21,4" in
  // Indonesian; when(iso) is "06-12-2026 18.25 WIB" in Indonesian ("06-12-2026 18:25 WIB" in
  // English), in the operation's one zone (the page's config.zone, {name, offsetMinutes}:
  // Indonesia keeps no summer time), never UTC and never the browser's own zone.
  number(value, digits = 0) {
    const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    return Number(value).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  },
  when(iso, { date = true, time = true } = {}) {
    if (!iso) return "-";
    const zone = this.page().config.zone || { name: "", offsetMinutes: -new Date().getTimezoneOffset() };
    const shifted = new Date(new Date(iso).getTime() + zone.offsetMinutes * 60000);
    const two = (n) => String(n).padStart(2, "0");
    const day = `${two(shifted.getUTCDate())}-${two(shifted.getUTCMonth() + 1)}-${shifted.getUTCFullYear()}`;
    const separator = document.documentElement.lang === "en" ? ":" : ".";
    const clock = `${two(shifted.getUTCHours())}${separator}${two(shifted.getUTCMinutes())}`;
    return [date ? day : "", time ? clock : "", time ? zone.name : ""].filter(Boolean).join(" ");
  },
  // A TPS named as people say it, "TPS 901 · Desa Air Paoh", from its 13-digit KPU code (10
  // digits of its desa, then its number) and the page's desa labels (code -> "Desa Air Paoh").
  tpsName(code, desaLabels, msg) {
    if (!/^\d{13}$/.test(code || "")) return code || "-";
    const desa = `${code.slice(0, 2)}.${code.slice(2, 4)}.${code.slice(4, 6)}.${code.slice(6, 10)}`;
    const label = (desaLabels || {})[desa];
    return label ? msg("name.tps", { number: code.slice(10), desa: label }) : `TPS ${code.slice(10)}`;
  },
  // A post as people say it: "Pos TPS 001 · Desa Air Paoh (+2 TPS)", by its first TPS.
  postName(tpsCodes, desaLabels, msg) {
    if (!tpsCodes || !tpsCodes.length) return "-";
    const first = this.tpsName(tpsCodes[0], desaLabels, msg);
    const more = tpsCodes.length - 1;
    return more ? msg("name.post_more", { tps: first, more }) : msg("name.post", { tps: first });
  },
  // What went wrong, in the page's language: no signal (fetch's own TypeError, "Failed to
  // fetch") or a refusal without the service's message (a proxy's "Unprocessable Entity").
  failure(error, status) {
    const { msg } = this.page();
    if (error instanceof TypeError) return msg("page.offline");
    return (error && error.message) || msg("page.refused", { status: status || "?" });
  },
  // fetch(), but a 429 (the server's write queue is full: nothing was applied) is sent again
  // after its Retry-After seconds, plus a random part so that phones do not return together;
  // after 5 tries the 429 is the answer. The same body and Idempotency-Key go again.
  async send(path, init) {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(path, init);
      if (response.status !== 429 || attempt >= 5) return response;
      const seconds = Number(response.headers.get("Retry-After")) || 2;
      await new Promise((done) => setTimeout(done, (seconds + Math.random() * seconds) * 1000));
    }
  },
  // api("/api/v1/...", {method: "POST", body: {...}}) -> parsed JSON (throws with the message).
  async api(path, options = {}) {
    const headers = { Accept: "application/json", "X-CSRF-Token": this.csrfToken() };
    let body = options.body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(body);
    }
    // No signal: fetch's own TypeError goes up as it is (the field pages keep what the server
    // last said); a page shows it with failure(error), in its language.
    const response = await this.send(path, {
      method: options.method || "GET", headers, body, credentials: "same-origin",
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const detail = data && data.detail;
      throw new Error((detail && detail.message) || this.page().msg("page.refused", { status: response.status }));
    }
    return data;
  },
  // Attach a photo (the raw file as the body) to an incident, once under its own key.
  async uploadPhoto(incidentId, file) {
    const response = await this.send(`/api/v1/incidents/${incidentId}/photos`, {
      method: "POST", body: file, credentials: "same-origin",
      headers: { "Content-Type": file.type || "application/octet-stream",
        "X-CSRF-Token": this.csrfToken(),
        "Idempotency-Key": crypto.randomUUID ? crypto.randomUUID() : String(Date.now() + Math.random()) },
    });
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      throw new Error((data && data.detail && data.detail.message) || this.page().msg("page.refused", { status: response.status }));
    }
  },
};
