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
  // Indonesian; when(iso) is "06-12-2026 18:25 WIB", in the operation's one zone (the page's
  // config.zone, {name, offsetMinutes}: Indonesia keeps no summer time), never UTC.
  number(value, digits = 0) {
    const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
    return Number(value).toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
  },
  when(iso, { date = true, time = true } = {}) {
    const zone = this.page().config.zone || { name: "", offsetMinutes: -new Date().getTimezoneOffset() };
    const shifted = new Date(new Date(iso).getTime() + zone.offsetMinutes * 60000);
    const two = (n) => String(n).padStart(2, "0");
    const day = `${two(shifted.getUTCDate())}-${two(shifted.getUTCMonth() + 1)}-${shifted.getUTCFullYear()}`;
    const clock = `${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`;
    return [date ? day : "", time ? clock : "", time ? zone.name : ""].filter(Boolean).join(" ");
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
    const response = await this.send(path, {
      method: options.method || "GET", headers, body, credentials: "same-origin",
    });
    const data = response.status === 204 ? null : await response.json();
    if (!response.ok) {
      const detail = data && data.detail;
      throw new Error((detail && detail.message) || response.statusText);
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
      throw new Error((data && data.detail && data.detail.message) || response.statusText);
    }
  },
};
