// The phone's outbox: every write of the field goes here first, in IndexedDB, so that it
// survives a page closed without signal, and is sent from here (by the page, on every start and
// every regained connection, and by the service worker's Background Sync where the browser has
// it). An item keeps its Idempotency-Key and the phone's time from the moment it was made, so a
// resend is never applied twice and the server records when it happened, not when it arrived.
// Each item is honestly in one state: "waiting", "sent" (with the server's answer) or "refused"
// (with the server's reason, in the language of the session). Loaded by the pages and by sw.js.
"use strict";
(function (global) {
  const DB_NAME = "pamtps";
  const ITEMS = "outbox";
  const META = "meta";
  const CHANNEL = "pamtps-outbox";
  const KEEP_SENT_MS = 24 * 3600 * 1000; // sent items stay listed for a day, then go
  const FIELD_BATCH = "/api/v1/field/batch";
  // The field reports the batch route takes; incidents and escort writes go to their own route.
  const RETRY_AFTER_S = 30; // when a 429 names no usable Retry-After
  const BATCHED = /^\/api\/v1\/(checkin|movements|orders\/\d+\/ack|tps\/[^/]+\/status)$/;

  let opening = null;
  function open() {
    opening = opening || new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore(ITEMS, { keyPath: "key" }).createIndex("seq", "seq");
        db.createObjectStore(META);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opening;
  }

  // One transaction; ``work(store)`` may return an IDBRequest whose result is the answer.
  async function run(name, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const request = work(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const listeners = new Set();
  const channel = global.BroadcastChannel ? new global.BroadcastChannel(CHANNEL) : null;
  function changed() {
    if (channel) channel.postMessage("changed");
    for (const listener of listeners) listener();
  }
  if (channel) channel.onmessage = () => { for (const listener of listeners) listener(); };

  const uuid = () => (global.crypto.randomUUID ? global.crypto.randomUUID()
    : [...global.crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join(""));
  let counter = 0;

  const outbox = {
    uuid,
    onChange(listener) { listeners.add(listener); return () => listeners.delete(listener); },

    // Every item, oldest first.
    async all() {
      const items = await run(ITEMS, "readonly", (store) => store.index("seq").getAll());
      return items || [];
    },
    async get(key) { return run(ITEMS, "readonly", (store) => store.get(key)); },

    // Queue a write: {path, body, label, group?, photo?}. The phone's time goes into the body
    // (``at``) now; the key is made once, here. Returns the stored item.
    // ``key`` and ``body.at`` are given only for a write queued before (an older page's queue).
    async add({ path, body = {}, label = "", group = "", photo = null, key = null }) {
      const now = new Date();
      counter = (counter + 1) % 1000;
      const at = body.at || now.toISOString();
      const item = {
        key: key || uuid(), seq: now.getTime() * 1000 + counter, path, label, group,
        body: { ...body, at }, made: at,
        state: "waiting", reason: "", answer: null,
        photo, photoKey: photo ? uuid() : null, incidentId: null,
        // Made without signal, or older than this page (an earlier queue): it waits for the queue.
        deferred: global.navigator.onLine === false || Boolean(key),
      };
      await run(ITEMS, "readwrite", (store) => store.put(item));
      changed();
      return item;
    },

    async remove(key) {
      await run(ITEMS, "readwrite", (store) => store.delete(key));
      changed();
    },

    async put(item) {
      await run(ITEMS, "readwrite", (store) => store.put(item));
    },

    // The session's CSRF token, kept for the service worker, which has no page to read it from.
    async setMeta(name, value) { await run(META, "readwrite", (store) => store.put(value, name)); },
    async getMeta(name) { return run(META, "readonly", (store) => store.get(name)); },

    // Send what waits, one sender at a time across the pages and the service worker (Web
    // Locks): two senders of the same key would have the second refused as "in flight".
    // Resolves to {reached, retryAt}: reached is false when the server could not be reached
    // (no signal); retryAt (ms since the epoch, or 0) is when the server, shedding load with
    // 429, said to come back: nothing is sent before then.
    async send() {
      if (global.navigator.locks) {
        return global.navigator.locks.request("pamtps-outbox", () => sendNow());
      }
      return sendNow();
    },
  };

  // The server sheds load with 429 and Retry-After (seconds or an HTTP date).
  class Busy extends Error {
    constructor(response, data) {
      super(reasonOf(data, 429));
      const header = response.headers.get("Retry-After") || "";
      const seconds = /^\d+$/.test(header.trim()) ? Number(header) : (Date.parse(header) - Date.now()) / 1000;
      this.retryAt = Date.now() + 1000 * (Number.isFinite(seconds) && seconds > 0 ? seconds : RETRY_AFTER_S);
    }
  }

  // An item that waited for signal reaches the server as channel "queue", so that the command
  // post sees how it came and how late (X-PamTPS-Channel; on a batch, each item's channel).
  const channelOf = (item) => (item.deferred ? "queue" : "app");

  async function post(path, body, key, csrf, type = "application/json", channel = "app") {
    const response = await fetch(path, {
      method: "POST", credentials: "same-origin",
      body: type === "application/json" ? JSON.stringify(body) : body,
      headers: { "Content-Type": type, Accept: "application/json", "X-CSRF-Token": csrf || "",
        "Idempotency-Key": key, "X-PamTPS-Channel": channel },
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (response.status === 429) throw new Busy(response, data);
    return { status: response.status, data };
  }

  const reasonOf = (data, status) => (data && data.detail && data.detail.message) || `HTTP ${status}`;
  // 401: the session ended; 409 in flight: a twin is being applied; 5xx: the server is unwell.
  // None is an answer about the report itself, so it keeps waiting (with the reason shown).
  const transient = (status, data) => status === 401 || status >= 500
    || (status === 409 && data && data.detail && data.detail.code === "field.idempotency_in_flight");

  function settle(item, status, data) {
    if (status < 400) {
      item.state = "sent";
      item.answer = data;
      item.reason = "";
      item.sentAt = new Date().toISOString();
    } else if (transient(status, data)) {
      item.reason = reasonOf(data, status);
    } else {
      item.state = "refused";
      item.reason = reasonOf(data, status);
    }
  }

  // An incident's photo goes once the incident exists, under its own key.
  async function sendPhoto(item, csrf) {
    const { status, data } = await post(`/api/v1/incidents/${item.incidentId}/photos`, item.photo,
      item.photoKey, csrf, item.photo.type || "image/jpeg");
    if (status < 400) {
      item.photo = null;
      item.photoSent = true;
      return true;
    }
    if (transient(status, data)) { item.reason = reasonOf(data, status); return false; }
    item.photo = null; // refused: the incident stands, the photo's refusal is told
    item.photoReason = reasonOf(data, status);
    return true;
  }

  async function sendNow() {
    const csrf = await outbox.getMeta("csrf");
    const waiting = (await outbox.all()).filter((item) => item.state === "waiting");
    let reached = true;
    if (!waiting.length) return prune(reached, 0);
    // Kept in IndexedDB: the pages and the service worker send, and all must wait.
    const retryAt = (await outbox.getMeta("retryAt")) || 0;
    if (retryAt > Date.now()) return prune(reached, retryAt);
    try {
      // A backlog of field reports goes in one batch; a single one to its own route, as sent live.
      const batched = waiting.filter((item) => BATCHED.test(item.path));
      const reports = batched.length > 1 ? batched : [];
      if (reports.length) {
        const body = { reports: reports.map((item) => ({ path: item.path, body: item.body,
          idempotency_key: item.key, channel: channelOf(item) })) };
        const { status, data } = await post(FIELD_BATCH, body, uuid(), csrf);
        for (const item of reports) {
          if (status >= 400) {
            settle(item, status, data);
          } else {
            const answer = data.results.find((r) => r.idempotency_key === item.key);
            settle(item, answer.status, answer.status < 400 ? answer.body : answer);
          }
          await outbox.put(item);
        }
        changed();
      }
      for (const item of waiting.filter((i) => !reports.includes(i))) {
        if (item.incidentId === null) {
          const { status, data } = await post(item.path, item.body, item.key, csrf, undefined,
            channelOf(item));
          settle(item, status, data);
          if (item.state === "sent" && item.photo && data && data.id) {
            item.incidentId = data.id;
            item.state = "waiting"; // its photo still has to go
            await outbox.put(item);
          }
        }
        if (item.incidentId !== null && item.photo && (await sendPhoto(item, csrf))) {
          item.state = "sent";
        }
        await outbox.put(item);
        changed();
      }
    } catch (error) {
      if (error instanceof Busy) {
        // The server is full: this item and the rest wait, untouched, until it said to return.
        for (const item of waiting.filter((i) => i.state === "waiting")) {
          item.reason = error.message;
          await outbox.put(item);
        }
        await outbox.setMeta("retryAt", error.retryAt);
        changed();
        return prune(reached, error.retryAt);
      }
      if (!(error instanceof TypeError)) throw error;
      reached = false; // no signal: the rest waits, and will say it came by the queue
      for (const item of waiting.filter((i) => i.state === "waiting" && !i.deferred)) {
        item.deferred = true;
        await outbox.put(item);
      }
    }
    return prune(reached, 0);
  }

  async function prune(reached, retryAt) {
    const old = Date.now() - KEEP_SENT_MS;
    const gone = (await outbox.all()).filter((item) => item.state !== "waiting"
      && Date.parse(item.sentAt || item.made) < old);
    if (gone.length) {
      await run(ITEMS, "readwrite", (store) => { for (const item of gone) store.delete(item.key); });
      changed();
    }
    return { reached, retryAt };
  }

  global.pamtpsOutbox = outbox;
})(self);
