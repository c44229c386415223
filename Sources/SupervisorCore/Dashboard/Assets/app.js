// The tenantsync dashboard: plain JavaScript, no build step, no third-party code.
//
// Everything comes from the supervisor's own API with the operator's key in the X-API-KEY header.
// EventSource cannot send headers, so Server-Sent Events are read through fetch streaming: a run's
// progress (/api/runs/{id}/events) and a tenant's log (/api/tenants/{id}/logs?follow=true). Worker
// state has no stream of its own and is polled from /api/tenants every two seconds.
"use strict";

const KEY_STORAGE = "tenantsync.apiKey";
const TENANT_POLL_MS = 2000;
const RUN_POLL_MS = 3000;
const LOG_KEEP = 1000;
const LEVELS = ["trace", "debug", "info", "notice", "warning", "error", "critical"];
const FAILING_STATES = { errored: 0, backoff: 1 };
const FAILED_SYNCS = new Set(["failed", "partial", "interrupted", "cancelled"]);

const state = {
  key: sessionStorage.getItem(KEY_STORAGE),
  tenants: [],
  rows: new Map(),              // tenant id → <tr>
  live: new Map(),              // tenant id → {progress, runId} from run events, newer than the last poll
  waiting: new Map(),           // tenant id → run id it is queued in
  runStreams: new Map(),        // run id → AbortController
  runs: [],
  selectedRun: null,
  sort: { column: null, direction: 1 },
  filter: "",
  failingFirst: true,
  log: { tenant: null, controller: null, lines: [] },
  timers: [],
};

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function headers(extra) {
  return Object.assign({ "X-API-KEY": state.key, Accept: "application/json" }, extra || {});
}

async function api(method, path) {
  const response = await fetch(path, { method, headers: headers(), cache: "no-store" });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (response.status === 401) {
    signOut("The supervisor refused this API key.");
    throw new ApiError(401, "unauthorized", "unauthorized");
  }
  if (!response.ok) {
    const error = (body && body.error) || {};
    throw new ApiError(response.status, error.code || "http_" + response.status, error.message || response.statusText);
  }
  return body;
}

// Yields {id, event, data} for each Server-Sent Event of a fetch response.
async function* serverSentEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { id: null, event: "message", data: "" };
      const data = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") data.push(text);
        else if (field === "id") event.id = text;
        else if (field === "event") event.event = text;
      }
      if (data.length === 0) continue;
      event.data = data.join("\n");
      yield event;
    }
  }
}

// ---------------------------------------------------------------- formatting

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.floor(seconds);
  if (s < 60) return s + "s";
  const m = Math.floor(s / 60);
  if (m < 60) return m + "m" + String(s % 60).padStart(2, "0") + "s";
  const h = Math.floor(m / 60);
  if (h < 48) return h + "h" + String(m % 60).padStart(2, "0") + "m";
  return Math.floor(h / 24) + "d" + (h % 24) + "h";
}

function bytes(value) {
  if (value === null || value === undefined) return "–";
  if (value < 1024 * 1024) return (value / 1024).toFixed(0) + " KiB";
  if (value < 1024 * 1024 * 1024) return (value / 1024 / 1024).toFixed(1) + " MiB";
  return (value / 1024 / 1024 / 1024).toFixed(2) + " GiB";
}

function ago(iso) {
  if (!iso) return "";
  const seconds = (Date.now() - Date.parse(iso)) / 1000;
  if (!isFinite(seconds)) return iso;
  if (seconds < 5) return "just now";
  return duration(seconds) + " ago";
}

// The tenant's next scheduled sync, "schedule paused", or null for a tenant synced on demand only.
function nextSync(tenant) {
  if (tenant.schedule_paused && tenant.schedule) return "schedule paused";
  if (!tenant.next_sync_at) return null;
  const seconds = (Date.parse(tenant.next_sync_at) - Date.now()) / 1000;
  if (!isFinite(seconds)) return "next " + tenant.next_sync_at;
  return seconds < 5 ? "next sync due now" : "next in " + duration(seconds);
}

function counts(c) {
  if (!c) return "";
  let text = "+" + c.created + " ~" + c.updated + " =" + c.unchanged;
  if (c.deleted) text += " −" + c.deleted;
  if (c.rejected) text += " !" + c.rejected;
  return text;
}

// "Step 2/3 · reservations · page 4/9 · +12 ~3 =980"
function progressText(p) {
  // An empty incremental listing says 0 pages while its one page is read: show only what is known.
  const pages = typeof p.pages === "number" && p.pages >= p.page ? "/" + p.pages : "";
  return "Step " + p.step + "/" + p.steps + " · " + p.stream + " · page " + p.page + pages + " · " + counts(p.counts);
}

function shortRun(id) {
  return id && id.length > 14 ? id.slice(0, 14) + "…" : id || "";
}

function badge(text, kind) {
  return el("span", { class: "badge " + (kind || text), text });
}

// ---------------------------------------------------------------- tenants

function failingRank(tenant) {
  if (tenant.state in FAILING_STATES) return FAILING_STATES[tenant.state];
  if (tenant.last_sync && FAILED_SYNCS.has(tenant.last_sync.status)) return 2;
  return 3;
}

const SORT_KEYS = {
  id: (t) => t.id,
  state: (t) => t.state,
  owner: (t) => t.owner || "",
  uptime: (t) => t.uptime_seconds ?? -1,
  restarts: (t) => t.restarts,
  cpu: (t) => t.cpu_percent ?? -1,
  rss: (t) => t.rss_bytes ?? -1,
  last: (t) => (t.last_sync ? t.last_sync.finished_at : ""),
};

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function visibleTenants() {
  const words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (t) => {
    const haystack = [t.id, t.connector, t.state, t.owner || "", t.state_cause || "",
      t.last_sync ? t.last_sync.status : "never synced", t.enabled ? "" : "disabled"].join(" ").toLowerCase();
    return words.every((word) => haystack.includes(word));
  };
  const key = state.sort.column ? SORT_KEYS[state.sort.column] : null;
  return state.tenants.filter(matches).sort((a, b) =>
    (state.failingFirst ? failingRank(a) - failingRank(b) : 0)
    || (key ? compare(key(a), key(b)) * state.sort.direction : 0)
    || compare(a.id, b.id));
}

function actionButtons(tenant) {
  const buttons = [
    ["sync", "Sync", "primary"], ["restart", "Restart", ""], ["stop", "Stop", ""],
    ["start", "Start", ""], ["kill", "Kill", "danger"], ["logs", "Log", "quiet"],
  ];
  return el("div", { class: "actions" }, ...buttons.map(([action, label, kind]) =>
    el("button", { type: "button", class: kind, "data-action": action, "data-tenant": tenant.id, text: label })));
}

function tenantRow(tenant) {
  const cell = (name, label, extra) => el("td", Object.assign({ class: name, "data-label": label }, extra || {}));
  const row = el("tr", { "data-tenant": tenant.id },
    cell("id", "Tenant"), cell("state", "State"), cell("owner", "Owner"), cell("uptime num", "Uptime"),
    cell("restarts num", "Restarts"), cell("cpu num", "CPU"), cell("rss num", "RSS"), cell("last", "Last sync"),
    cell("progress", "Progress"), cell("act", "Actions"));
  row.querySelector(".act").append(actionButtons(tenant));
  return row;
}

// Replaces a cell's content only when it changed, so rows keep focus and selection across polls.
function fill(td, signature, build) {
  if (td.dataset.signature === signature) return;
  td.dataset.signature = signature;
  td.replaceChildren(...[].concat(build()).filter((node) => node !== null && node !== undefined));
}

function updateRow(row, tenant) {
  row.dataset.state = tenant.state;
  row.dataset.lastStatus = tenant.last_sync ? tenant.last_sync.status : "";
  row.classList.toggle("failing", failingRank(tenant) < 3);
  row.classList.toggle("disabled", !tenant.enabled);
  const cells = row.cells;
  fill(cells[0], tenant.id + tenant.connector + tenant.enabled, () => [
    el("strong", { text: tenant.id }), el("small", { text: tenant.connector + (tenant.enabled ? "" : " · disabled") })]);
  fill(cells[1], tenant.state + tenant.state_cause, () => {
    const nodes = [badge(tenant.state)];
    cells[1].title = tenant.state_cause || "";
    if (["errored", "backoff"].includes(tenant.state) && tenant.state_cause) {
      nodes.push(el("small", { class: "cause", title: tenant.state_cause, text: tenant.state_cause }));
    }
    return nodes;
  });
  fill(cells[2], tenant.owner || "", () => tenant.owner || "–");
  cells[3].textContent = duration(tenant.uptime_seconds);
  cells[4].textContent = String(tenant.restarts);
  cells[5].textContent = tenant.cpu_percent === undefined || tenant.cpu_percent === null ? "–" : tenant.cpu_percent.toFixed(1) + "%";
  cells[6].textContent = bytes(tenant.rss_bytes);
  const last = tenant.last_sync;
  const next = nextSync(tenant);
  const nextLine = next ? el("small", { class: "next-sync", title: tenant.next_sync_at || "", text: next }) : null;
  fill(cells[7], (last ? JSON.stringify(last) + ago(last.finished_at) : "never") + (next || ""), () => last
    ? [badge(last.status), " ", el("span", { class: "when", title: last.finished_at, text: ago(last.finished_at) }),
       el("small", { class: "counts", text: counts(last.counts) }),
       last.error ? el("small", { class: "cause", title: last.error, text: last.error }) : null, nextLine]
    : [el("span", { class: "muted", text: "never" }), nextLine]);
  updateProgress(row, tenant);
}

function currentProgress(tenant) {
  const live = state.live.get(tenant.id);
  if (live && tenant.state === "syncing" && (!tenant.current_run_id || live.runId === tenant.current_run_id)) return live.progress;
  return tenant.progress || null;
}

function updateProgress(row, tenant) {
  const cell = row.cells[8];
  const progress = tenant.state === "syncing" ? currentProgress(tenant) : null;
  const waiting = state.waiting.get(tenant.id);
  let signature = "none";
  if (progress) signature = "p" + JSON.stringify(progress);
  else if (tenant.state === "syncing") signature = "s" + (tenant.current_run_id || "");
  else if (waiting) signature = "w" + waiting;
  fill(cell, signature, () => {
    if (progress) {
      const fraction = progress.pages >= progress.page ? Math.min(1, progress.page / progress.pages) : null;
      const bar = el("div", { class: "bar-track" }, el("div", { class: "bar-fill" }));
      const stepShare = ((progress.step - 1) + (fraction ?? 0.5)) / progress.steps;
      bar.firstChild.style.width = (stepShare * 100).toFixed(1) + "%";
      return [el("span", { class: "progress-text", text: progressText(progress) }), bar];
    }
    if (tenant.state === "syncing") return el("span", { class: "progress-text", text: "starting sync · " + shortRun(tenant.current_run_id) });
    if (waiting) return el("span", { class: "muted", text: "waiting in " + shortRun(waiting) });
    return "";
  });
}

function renderTenants() {
  const tbody = document.querySelector("#tenants tbody");
  const visible = visibleTenants();
  const known = new Set(state.tenants.map((t) => t.id));
  for (const [id, row] of state.rows) {
    if (!known.has(id)) {
      row.remove();
      state.rows.delete(id);
    }
  }
  const shown = new Set();
  let previous = null;
  for (const tenant of visible) {
    let row = state.rows.get(tenant.id);
    if (!row) {
      row = tenantRow(tenant);
      state.rows.set(tenant.id, row);
    }
    updateRow(row, tenant);
    // Moves only rows out of place, so a stable order costs no DOM work.
    const expected = previous ? previous.nextSibling : tbody.firstChild;
    if (expected !== row) tbody.insertBefore(row, expected);
    previous = row;
    shown.add(tenant.id);
  }
  for (const [id, row] of state.rows) {
    if (!shown.has(id) && row.parentNode) row.remove();
  }
  document.getElementById("no-tenants").hidden = visible.length > 0;
  document.getElementById("tenant-count").textContent =
    visible.length === state.tenants.length ? String(state.tenants.length) : visible.length + " of " + state.tenants.length;
  for (const th of document.querySelectorAll("#tenants th[data-sort]")) {
    const active = th.dataset.sort === state.sort.column;
    th.setAttribute("aria-sort", active ? (state.sort.direction > 0 ? "ascending" : "descending") : "none");
  }
  renderSummary();
}

function renderSummary() {
  const byState = {};
  for (const tenant of state.tenants) byState[tenant.state] = (byState[tenant.state] || 0) + 1;
  const order = ["syncing", "errored", "backoff", "starting", "ready", "stopping", "stopped", "remote"];
  const summary = document.getElementById("summary");
  summary.replaceChildren(...order.filter((s) => byState[s]).map((s) => el("span", { class: "pill " + s, text: byState[s] + " " + s })));
}

async function refreshTenants() {
  const body = await api("GET", "/api/tenants");
  state.tenants = body.tenants;
  for (const tenant of state.tenants) {
    if (tenant.current_run_id) followRun(tenant.current_run_id);
    if (tenant.state !== "syncing") state.live.delete(tenant.id);
  }
  renderTenants();
  updateLogTenants();
}

// ---------------------------------------------------------------- runs

function followRun(runId) {
  if (state.runStreams.has(runId)) return;
  const controller = new AbortController();
  state.runStreams.set(runId, controller);
  (async () => {
    let lastId = 0;
    try {
      for (let attempt = 0; attempt < 5 && !controller.signal.aborted; attempt++) {
        // A stream that ended before `completed` (a run executed by another supervisor, a dropped
        // connection) is asked again after a pause, from the last event seen.
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
        const response = await fetch("/api/runs/" + encodeURIComponent(runId) + "/events", {
          headers: headers({ Accept: "text/event-stream", "Last-Event-ID": String(lastId) }),
          signal: controller.signal, cache: "no-store",
        });
        if (!response.ok) return;
        for await (const event of serverSentEvents(response)) {
          if (event.id) lastId = Number(event.id) || lastId;
          if (onRunEvent(runId, event)) return;
        }
      }
    } catch (_) {
      // Aborted, or the connection dropped: the next poll of /api/tenants reopens it if the run still goes on.
    } finally {
      state.runStreams.delete(runId);
    }
  })();
}

// Handles one event of a run; true once the run has completed.
function onRunEvent(runId, event) {
  let data;
  try {
    data = JSON.parse(event.data);
  } catch (_) {
    return false;
  }
  if (event.event === "progress") {
    state.live.set(data.tenant, { runId, progress: Object.assign({ run_id: runId }, data) });
    state.waiting.delete(data.tenant);
    const tenant = state.tenants.find((t) => t.id === data.tenant);
    const row = state.rows.get(data.tenant);
    if (tenant && row) {
      if (tenant.state !== "syncing") {
        tenant.state = "syncing";
        tenant.current_run_id = runId;
        updateRow(row, tenant);
      } else {
        updateProgress(row, tenant);
      }
    }
  } else if (event.event === "tenant_completed") {
    state.live.delete(data.tenant);
    state.waiting.delete(data.tenant);
    soon(refreshTenants);
  } else if (event.event === "completed") {
    soon(refreshTenants);
    soon(refreshRuns);
    return true;
  }
  return false;
}

async function refreshRuns() {
  const body = await api("GET", "/api/runs?limit=15");
  state.runs = body.runs;
  const live = state.runs.filter((run) => run.status === "queued" || run.status === "running");
  state.waiting.clear();
  for (const run of live) {
    followRun(run.run_id);
    for (const tenant of run.tenants) {
      if (tenant.status === "queued") state.waiting.set(tenant.tenant_id, run.run_id);
    }
  }
  renderRuns();
  if (state.selectedRun) await showRun(state.selectedRun, false);
  for (const tenant of state.tenants) {
    const row = state.rows.get(tenant.id);
    if (row) updateProgress(row, tenant);
  }
}

function renderRuns() {
  const tbody = document.querySelector("#runs tbody");
  tbody.replaceChildren(...state.runs.map((run) => {
    const row = el("tr", { "data-run": run.run_id, tabindex: 0, class: run.run_id === state.selectedRun ? "selected" : "" },
      el("td", { "data-label": "Run", title: run.run_id, text: shortRun(run.run_id) }),
      el("td", { "data-label": "Scope", text: run.scope }),
      el("td", { "data-label": "Status" }, badge(run.status)),
      el("td", { "data-label": "Started", title: run.started_at || run.created_at, text: ago(run.started_at || run.created_at) }),
      el("td", { "data-label": "Duration", class: "num", text: duration(run.duration_seconds) }),
      el("td", { "data-label": "Counts", text: counts(run.totals) }));
    row.addEventListener("click", () => showRun(run.run_id, true));
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") showRun(run.run_id, true); });
    return row;
  }));
}

async function showRun(runId, scroll) {
  state.selectedRun = runId;
  const [run, deliveries] = await Promise.all([
    api("GET", "/api/runs/" + encodeURIComponent(runId)),
    api("GET", "/api/runs/" + encodeURIComponent(runId) + "/deliveries"),
  ]);
  for (const row of document.querySelectorAll("#runs tbody tr")) row.classList.toggle("selected", row.dataset.run === runId);
  const detail = document.getElementById("run-detail");
  detail.hidden = false;
  detail.dataset.run = runId;
  detail.dataset.status = run.status;
  const tenantRows = run.tenants.map((t) => el("tr", { "data-tenant": t.tenant_id, "data-status": t.status },
    el("td", { "data-label": "Tenant", text: t.tenant_id }),
    el("td", { "data-label": "Status" }, badge(t.status)),
    el("td", { "data-label": "Attempts", class: "num", text: String(t.attempts) }),
    el("td", { "data-label": "Counts", class: "counts", text: counts(t.counts) }),
    el("td", { "data-label": "Detail", class: t.error ? "cause" : "progress-text", text: t.error || (t.progress ? progressText(t.progress) : "") })));
  const deliveryRows = deliveries.deliveries.map((d) => {
    const last = d.attempts[d.attempts.length - 1];
    const outcome = last ? (last.status_code ? "HTTP " + last.status_code : "") + (last.error ? " " + last.error : "") : "not attempted yet";
    return el("tr", { "data-delivery": d.id, "data-status": d.status },
      el("td", { "data-label": "Endpoint", text: d.endpoint }),
      el("td", { "data-label": "Status" }, badge(d.status)),
      el("td", { "data-label": "Attempts", class: "num", text: String(d.attempts.length) }),
      el("td", { "data-label": "Last attempt", text: outcome.trim() }));
  });
  detail.replaceChildren(
    el("h3", {}, "Run ", el("code", { text: run.run_id }), " ", badge(run.status)),
    el("p", { class: "muted", text: "scope " + run.scope + " · trigger " + run.trigger + " · " + duration(run.duration_seconds)
      + (run.options && run.options.full ? " · full" : "") + (run.error ? " · " + run.error : "") }),
    el("table", { class: "run-tenants" },
      el("thead", {}, el("tr", {}, ...["Tenant", "Status", "Attempts", "Counts", "Detail"].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...tenantRows)),
    el("h4", { text: "Callback deliveries" }),
    deliveryRows.length
      ? el("table", { class: "deliveries" },
        el("thead", {}, el("tr", {}, ...["Endpoint", "Status", "Attempts", "Last attempt"].map((h) => el("th", { text: h })))),
        el("tbody", {}, ...deliveryRows))
      : el("p", { class: "muted", text: run.status === "queued" || run.status === "running" ? "sent when the run ends" : "no callback configured" }));
  if (scroll) detail.scrollIntoView({ block: "nearest" });
}

// ---------------------------------------------------------------- logs

function updateLogTenants() {
  const select = document.getElementById("log-tenant");
  const ids = state.tenants.map((t) => t.id);
  const current = [...select.options].map((o) => o.value);
  if (current.join("\n") !== ids.join("\n")) {
    select.replaceChildren(...ids.map((id) => el("option", { value: id, text: id })));
  }
  if (state.log.tenant && ids.includes(state.log.tenant)) select.value = state.log.tenant;
  if (!state.log.tenant && ids.length) followLog(ids[0]);
}

function followLog(tenantId) {
  if (state.log.controller) state.log.controller.abort();
  const controller = new AbortController();
  state.log = { tenant: tenantId, controller, lines: [] };
  document.getElementById("log-tenant").value = tenantId;
  renderLog();
  (async () => {
    let lastId = null;
    for (let attempt = 0; attempt < 20 && !controller.signal.aborted; attempt++) {
      try {
        const extra = { Accept: "text/event-stream" };
        if (lastId) extra["Last-Event-ID"] = lastId;
        const response = await fetch("/api/tenants/" + encodeURIComponent(tenantId) + "/logs?follow=true&lines=200&format=json", {
          headers: headers(extra), signal: controller.signal, cache: "no-store",
        });
        if (!response.ok) return;
        for await (const event of serverSentEvents(response)) {
          if (event.event !== "log") continue;
          if (event.id) lastId = event.id;
          try {
            state.log.lines.push(JSON.parse(event.data));
          } catch (_) {
            continue;
          }
          if (state.log.lines.length > LOG_KEEP) state.log.lines.splice(0, state.log.lines.length - LOG_KEEP);
          scheduleLogRender();
        }
      } catch (_) {
        if (controller.signal.aborted) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
}

let logRenderPending = false;
function scheduleLogRender() {
  if (logRenderPending) return;
  logRenderPending = true;
  requestAnimationFrame(() => {
    logRenderPending = false;
    renderLog();
  });
}

function renderLog() {
  const pre = document.getElementById("log-lines");
  const filter = document.getElementById("log-filter").value.toLowerCase();
  const minimum = LEVELS.indexOf(document.getElementById("log-level").value);
  const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
  const lines = state.log.lines.filter((line) => LEVELS.indexOf(line.level) >= minimum
    && (!filter || (line.message + " " + JSON.stringify(line.fields || {})).toLowerCase().includes(filter)));
  pre.replaceChildren(...lines.map((line) => el("span", { class: "line " + line.level },
    el("span", { class: "ts", text: line.timestamp.slice(11, 23) }), " ",
    el("span", { class: "lvl", text: line.level.toUpperCase().padEnd(8) }),
    line.source === "supervisor" ? el("span", { class: "src", text: "[supervisor] " }) : null,
    line.message,
    line.fields ? el("span", { class: "fields", text: " " + Object.entries(line.fields).map(([k, v]) => k + "=" + v).join(" ") }) : null,
    "\n")));
  pre.dataset.count = String(lines.length);
  if (lines.length === 0) pre.textContent = state.log.tenant ? "no matching lines yet" : "";
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

// ---------------------------------------------------------------- actions

const confirmTexts = {
  sync: (id) => "Start a sync of " + id + "?",
  restart: (id) => "Restart the worker of " + id + "? A sync in hand stops after its current page.",
  stop: (id) => "Stop the worker of " + id + "? It stays stopped until started.",
  start: (id) => "Start the worker of " + id + "?",
  kill: (id) => "Kill the worker of " + id + " with SIGKILL now? A sync in hand fails; the worker stays stopped.",
};

function confirmAction(text) {
  const dialog = document.getElementById("confirm");
  document.getElementById("confirm-text").textContent = text;
  return new Promise((resolve) => {
    const ok = document.getElementById("confirm-ok");
    const cancel = document.getElementById("confirm-cancel");
    const finish = (answer) => {
      ok.removeEventListener("click", yes);
      cancel.removeEventListener("click", no);
      dialog.removeEventListener("cancel", no);
      if (dialog.open) dialog.close();
      resolve(answer);
    };
    const yes = () => finish(true);
    const no = () => finish(false);
    ok.addEventListener("click", yes);
    cancel.addEventListener("click", no);
    dialog.addEventListener("cancel", no);
    dialog.showModal();
    cancel.focus();
  });
}

async function runAction(action, tenantId) {
  if (action === "logs") {
    followLog(tenantId);
    document.getElementById("logs-section").scrollIntoView({ block: "nearest" });
    return;
  }
  if (!(await confirmAction(confirmTexts[action](tenantId)))) return;
  try {
    const body = await api("POST", "/api/tenants/" + encodeURIComponent(tenantId) + "/" + action);
    if (action === "sync") {
      toast((body.joined ? "Joined " : "Started ") + body.run_id + " for " + tenantId);
      followRun(body.run_id);
      soon(refreshRuns);
    } else {
      toast(tenantId + ": " + action + " → " + body.tenant.state);
    }
  } catch (error) {
    toast(tenantId + ": " + error.message, true);
  }
  soon(refreshTenants);
}

async function syncAll() {
  const enabled = state.tenants.filter((t) => t.enabled).length;
  if (!(await confirmAction("Start a sync of every enabled tenant (" + enabled + ")?"))) return;
  try {
    const body = await api("POST", "/api/sync");
    toast("Started " + body.run_id + " for " + body.tenants.length + " tenant(s)");
    followRun(body.run_id);
    state.selectedRun = body.run_id;
  } catch (error) {
    toast(error.message, true);
  }
  soon(refreshRuns);
  soon(refreshTenants);
}

let toastTimer = null;
function toast(text, isError) {
  const node = document.getElementById("toast");
  node.textContent = text;
  node.className = "toast visible" + (isError ? " error" : "");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { node.className = "toast"; }, 5000);
}

// ---------------------------------------------------------------- polling and start-up

function soon(task) {
  setTimeout(() => task().catch(reportError), 50);
}

function reportError(error) {
  const node = document.getElementById("connection");
  if (error instanceof ApiError && error.status === 401) return;
  node.textContent = "offline: " + (error.message || error);
  node.className = "connection offline";
}

function poll(task, interval) {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await task();
      const node = document.getElementById("connection");
      node.textContent = "live · " + new Date().toLocaleTimeString();
      node.className = "connection online";
    } catch (error) {
      reportError(error);
    }
    if (!stopped) state.timers.push(setTimeout(tick, interval));
  };
  tick();
  return () => { stopped = true; };
}

function start() {
  document.getElementById("login").hidden = true;
  document.getElementById("main").hidden = false;
  document.getElementById("sync-all").hidden = false;
  document.getElementById("sign-out").hidden = false;
  state.stops = [poll(refreshTenants, TENANT_POLL_MS), poll(refreshRuns, RUN_POLL_MS)];
}

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  state.key = null;
  for (const stop of state.stops || []) stop();
  for (const timer of state.timers) clearTimeout(timer);
  state.timers = [];
  for (const controller of state.runStreams.values()) controller.abort();
  if (state.log.controller) state.log.controller.abort();
  state.log = { tenant: null, controller: null, lines: [] };
  document.getElementById("main").hidden = true;
  document.getElementById("sync-all").hidden = true;
  document.getElementById("sign-out").hidden = true;
  document.getElementById("login").hidden = false;
  document.getElementById("login-error").textContent = message || "";
  const connection = document.getElementById("connection");
  connection.textContent = "not connected";
  connection.className = "connection";
  document.getElementById("api-key").focus();
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById("api-key");
  const key = input.value.trim();
  if (!key) return;
  state.key = key;
  try {
    await api("GET", "/api/tenants");
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      input.value = "";
    } else {
      document.getElementById("login-error").textContent = "Cannot reach the supervisor: " + error.message;
    }
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  input.value = "";
  start();
}

function wire() {
  document.getElementById("login-form").addEventListener("submit", signIn);
  document.getElementById("sign-out").addEventListener("click", () => signOut(""));
  document.getElementById("sync-all").addEventListener("click", syncAll);
  document.getElementById("filter").addEventListener("input", (event) => {
    state.filter = event.target.value;
    renderTenants();
  });
  document.getElementById("failing-first").addEventListener("change", (event) => {
    state.failingFirst = event.target.checked;
    renderTenants();
  });
  for (const th of document.querySelectorAll("#tenants th[data-sort]")) {
    th.tabIndex = 0;
    const sort = () => {
      const column = th.dataset.sort;
      state.sort = { column, direction: state.sort.column === column ? -state.sort.direction : 1 };
      renderTenants();
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (event) => { if (event.key === "Enter") sort(); });
  }
  document.querySelector("#tenants tbody").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) runAction(button.dataset.action, button.dataset.tenant);
  });
  document.getElementById("log-tenant").addEventListener("change", (event) => followLog(event.target.value));
  document.getElementById("log-filter").addEventListener("input", renderLog);
  document.getElementById("log-level").addEventListener("change", renderLog);
  if (state.key) start();
  else signOut("");
}

wire();
