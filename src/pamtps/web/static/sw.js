// The field app's service worker (served as /sw.js, scope "/", with RELEASE and SHELL written
// in above by pamtps.web.offline). What it keeps, so the officer's page opens without signal
// after one online visit:
// - the shell (CSS, scripts, icons): from the cache, refreshed in the background;
// - the field pages (/tugas, /liaison) and the API's GETs for them (his order, his TPS, the
//   incidents, the escorts): from the network, and from the last copy when there is none;
// - the writes are not its business: they wait in the outbox (outbox.js, IndexedDB), which it
//   sends on a Background Sync.
"use strict";
importScripts("/static/js/outbox.js");

const SHELL_CACHE = `pamtps-shell-${RELEASE}`;
const DATA_CACHE = "pamtps-data"; // pages and API answers: kept across releases, overwritten
const PAGES = ["/tugas", "/liaison"];
const SYNC_TAG = "pamtps-outbox";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("pamtps-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// A page or an API answer the field pages read (the event stream is live: never cached).
function keptData(url) {
  if (PAGES.includes(url.pathname)) return true;
  return url.pathname.startsWith("/api/v1/") && url.pathname !== "/api/v1/events";
}

// The copy is stored under the path alone: ?lang=en or a fresh query still finds it offline.
const dataKey = (url) => (PAGES.includes(url.pathname) ? url.pathname : url.pathname + url.search);

async function networkFirst(request, url) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    // Only a real page or answer: a redirect to the login page must not replace the shell.
    if (response.ok && !response.redirected) await cache.put(dataKey(url), response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(dataKey(url));
    if (copy) return copy;
    throw error;
  }
}

async function shellFirst(request) {
  const cache = await caches.open(SHELL_CACHE);
  const copy = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (copy) {
    fresh.catch(() => null);
    return copy;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (keptData(url)) {
    event.respondWith(networkFirst(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/icons/")) {
    event.respondWith(shellFirst(request));
  }
});

// A page asks, on its first online visit (before this worker controlled it), to keep the page
// and the answers it read: {keep: ["/tugas", "/api/v1/orders/me", ...]}.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (!Array.isArray(data.keep)) return;
  event.waitUntil((async () => {
    const cache = await caches.open(DATA_CACHE);
    for (const path of data.keep) {
      const url = new URL(path, self.location.origin);
      if (url.origin !== self.location.origin || !keptData(url)) continue;
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await cache.put(dataKey(url), response);
      } catch (error) { /* no signal: kept on the next visit */ }
    }
    if (event.source) event.source.postMessage({ kept: data.keep });
  })());
});

// A sync fired with no real signal (the phone says it is online, the server is out of reach),
// or while the server asks to wait (429 Retry-After), fails, so that the browser fires it again
// later instead of counting it done.
self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(self.pamtpsOutbox.send().then((result) => {
    if (result && !result.reached) throw new Error("the server is out of reach: sync again later");
    if (result && result.retryAt > Date.now()) throw new Error("the server is full: sync again later");
  }));
});
