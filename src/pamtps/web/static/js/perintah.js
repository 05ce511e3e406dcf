// The orders page: publish a plan version (command), list who has not acknowledged his order.
"use strict";
(function () {
  const { config, msg } = pamtps.page();
  const $ = (id) => document.getElementById(id);
  let orders = [];

  function cell(row, text) {
    const td = row.insertCell();
    td.textContent = text;
  }

  function draw() {
    const sector = $("unack-sector").value;
    const shown = orders.filter((o) => !sector || o.sector === sector);
    $("unack-count").textContent = shown.length;
    const body = $("unack-rows");
    body.replaceChildren();
    for (const order of shown) {
      const officer = order.details.officer || {};
      const row = body.insertRow();
      cell(row, `${officer.rank || ""} ${officer.name || ""}`.trim());
      cell(row, order.nrp);
      const post = order.post_id
        ? pamtps.postName((order.details.tps || []).map((t) => t.code), config.desa, msg) : msg("orders.withdrawn");
      cell(row, post);
      if (order.post_id) row.lastChild.insertAdjacentHTML("beforeend", `<small class="code-secondary"></small>`);
      if (order.post_id) row.lastChild.querySelector("small").textContent = order.post_id;
      cell(row, (order.details.sector || {}).name || order.sector || "-");
      cell(row, pamtps.when(order.issued_at));
    }
    if (!shown.length) cell(body.insertRow(), msg("orders.all_acknowledged"));
  }

  async function load() {
    orders = (await pamtps.api("/api/v1/orders?acknowledged=false")).orders;
    const select = $("unack-sector");
    const names = new Map(orders.map((o) => [o.sector, (o.details.sector || {}).name || o.sector]));
    for (const [code, name] of [...names].filter(([code]) => code).sort()) {
      if (![...select.options].some((option) => option.value === code)) select.add(new Option(name, code));
    }
    draw();
  }

  $("unack-sector").onchange = draw;
  for (const button of document.querySelectorAll("[data-publish]")) {
    button.onclick = async () => {
      if (!window.confirm(msg("orders.confirm_publish", { plan: button.dataset.publish }))) return;
      button.disabled = true;
      try {
        const result = await pamtps.api(`/api/v1/plans/${button.dataset.publish}/publish`, { method: "POST" });
        $("publish-result").textContent = msg("orders.published", { ...result.counts, version: result.plan_version });
        setTimeout(() => window.location.reload(), 1500);
      } catch (error) {
        $("publish-result").textContent = pamtps.failure(error);
        button.disabled = false;
      }
    };
  }
  load().catch((error) => { $("unack-rows").textContent = pamtps.failure(error); });
  let timer;
  new EventSource("/api/v1/events").addEventListener("ack", () => {
    clearTimeout(timer);
    timer = setTimeout(load, 1000);
  });
})();
