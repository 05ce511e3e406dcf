// The field pages' side of the offline app (officer /tugas, liaison /liaison): registers the
// service worker, keeps what the page read for the next visit without signal, sends the outbox
// on every start and every regained connection (Background Sync too, where the browser has it),
// and shows the outbox honestly: a counter in the header and a mark on every item.
// window.pamtpsField.start({keep}) once per page; write(path, body, {label, group, photo}).
"use strict";
(function () {
  const outbox = window.pamtpsOutbox;
  const element = document.getElementById("outbox-config");
  const texts = element ? JSON.parse(element.textContent) : {};
  const msg = (key, params = {}) => (texts[key] || key).replace(/\{(\w+)\}/g, (_, name) => params[name] ?? "");
  const locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";
  const PHOTO_MAX_BYTES = 1000000; // after compression on the phone (the server takes 5 MB)
  const PHOTO_MAX_SIDE = 1600;
  const RESEND_MS = 15000;

  // In the operation's zone with its name ("06.24 WIB"), as the rest of the page.
  const time = (iso) => (window.pamtps ? window.pamtps.when(iso, { date: false })
    : new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }));

  function stateText(item) {
    if (item.state === "refused") return msg("outbox.refused", { reason: item.reason });
    if (item.state === "sent") {
      const photo = item.photoReason ? " " + msg("outbox.photo_refused", { reason: item.photoReason }) : "";
      return msg("outbox.sent", { time: time(item.sentAt) }) + photo;
    }
    const photo = item.incidentId !== null ? msg("outbox.photo_waiting") : "";
    return [msg("outbox.waiting"), photo, item.reason].filter(Boolean).join(" · ");
  }

  async function draw() {
    const items = await outbox.all();
    const waiting = items.filter((item) => item.state === "waiting").length;
    const refused = items.filter((item) => item.state === "refused").length;
    const counter = document.getElementById("outbox-counter");
    if (counter) {
      counter.hidden = !(waiting || refused);
      counter.dataset.waiting = String(waiting);
      counter.dataset.refused = String(refused);
      counter.textContent = [waiting ? msg("outbox.counter", { count: waiting }) : "",
        refused ? msg("outbox.counter_refused", { count: refused }) : ""].filter(Boolean).join(" · ");
    }
    const card = document.getElementById("outbox");
    const list = document.getElementById("outbox-list");
    if (!card || !list) return;
    card.hidden = !items.length;
    list.replaceChildren(...items.slice().reverse().map((item) => {
      const row = document.createElement("li");
      row.dataset.key = item.key;
      row.dataset.state = item.state;
      const label = document.createElement("b");
      label.textContent = item.label;
      const when = document.createElement("small");
      when.textContent = ` ${msg("outbox.made", { time: time(item.made) })}`;
      const state = document.createElement("span");
      state.className = "outbox-state";
      state.textContent = stateText(item);
      row.append(label, when, document.createElement("br"), state);
      return row;
    }));
    for (const listener of listeners) listener(items);
  }

  const listeners = new Set();
  let sending = null;
  let later = null; // the try the server asked for with 429 Retry-After
  function send() {
    if (!navigator.onLine) return Promise.resolve();
    sending = sending || outbox.send().then((result) => {
      if (!result || !(result.retryAt > Date.now()) || later) return;
      later = setTimeout(() => { later = null; send(); }, result.retryAt - Date.now() + 100);
    }).catch(() => null).finally(() => { sending = null; });
    return sending;
  }

  async function askForSync() {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("pamtps-outbox");
    } catch (error) { /* no Background Sync here: the page's resend covers it */ }
  }

  // Keep the page and what it read for a visit without signal (the service worker fetches
  // them itself; it does not yet control the page on the very first visit).
  async function keep(paths) {
    if (!("serviceWorker" in navigator) || !navigator.onLine) return;
    const registration = await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) return;
    await new Promise((resolve) => {
      const done = (event) => {
        if (event.data && event.data.kept) { navigator.serviceWorker.removeEventListener("message", done); resolve(); }
      };
      navigator.serviceWorker.addEventListener("message", done);
      worker.postMessage({ keep: [window.location.pathname, ...paths] });
      setTimeout(resolve, 10000);
    });
    document.documentElement.dataset.offlineReady = "true";
  }

  // Shrink a photo on the phone: at most PHOTO_MAX_SIDE pixels a side, JPEG, under the cap.
  // One already within both is sent as it is (no second loss), and so is a small file the
  // phone cannot draw: the server judges it by its first bytes.
  async function compress(file) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (error) {
      if (file.size <= PHOTO_MAX_BYTES) return file;
      throw new Error(msg("outbox.photo_too_big", { max: Math.round(PHOTO_MAX_BYTES / 1e6) }));
    }
    if (file.size <= PHOTO_MAX_BYTES && Math.max(bitmap.width, bitmap.height) <= PHOTO_MAX_SIDE) return file;
    const scale = Math.min(1, PHOTO_MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.8, 0.65, 0.5, 0.35]) {
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
      if (blob && blob.size <= PHOTO_MAX_BYTES) return blob;
    }
    throw new Error(msg("outbox.photo_too_big", { max: Math.round(PHOTO_MAX_BYTES / 1e6) }));
  }

  const field = {
    msg,
    onDraw(listener) { listeners.add(listener); },
    items: () => outbox.all(),
    compress,
    draw,
    send,

    // Queue the write and try to send it now. Returns its item: state "sent" (item.answer is
    // the server's answer), "refused" (item.reason) or "waiting" (no signal: kept and resent).
    async write(path, body, options = {}) {
      const item = await outbox.add({ path, body, ...options });
      await draw();
      askForSync();
      await send();
      const now = await outbox.get(item.key);
      // Refused at once, while he looks: the page tells him beside the form, and there is
      // nothing left to wait for (a refusal after waiting stays listed, with its reason).
      if (now && now.state === "refused") await outbox.remove(item.key);
      await draw();
      return now;
    },

    start({ keep: paths = [] } = {}) {
      const csrf = document.querySelector('meta[name="csrf-token"]');
      const ready = csrf ? outbox.setMeta("csrf", csrf.content) : Promise.resolve();
      outbox.onChange(() => draw());
      window.addEventListener("online", () => send());
      window.addEventListener("offline", () => draw());
      setInterval(send, RESEND_MS);
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.register("/sw.js", { scope: "/" })
          .then(() => keep(paths)).catch(() => null);
      }
      return ready.then(draw).then(send).then(draw);
    },
  };
  window.pamtpsField = field;
})();
