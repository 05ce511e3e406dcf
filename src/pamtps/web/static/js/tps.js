// The TPS page: when an event touches this TPS or its post, re-read the page's live part.
"use strict";
(function () {
  const { config } = pamtps.page();
  let timer;
  async function refresh() {
    const html = await (await fetch(window.location.href, { credentials: "same-origin" })).text();
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
    if (fresh) document.getElementById("live").replaceWith(fresh);
  }
  const touches = (data) => data.tps_code === config.code || (config.post && data.post_id === config.post)
    || (data.tps_codes || []).includes(config.code) || data.order_id !== undefined;
  const source = new EventSource("/api/v1/events");
  for (const kind of ["checkin", "movement", "status", "alert", "ack"]) {
    source.addEventListener(kind, (event) => {
      if (!touches(JSON.parse(event.data))) return;
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }
})();
