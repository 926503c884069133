// The fleet view's dashboard: plain JS, no build step, no external resources.
// Every value from the API reaches the page as text (textContent), never as HTML: cluster and node names come from agents.
'use strict';

const API = 'api/v1/fleet';
const STATES = ['SPLIT', 'DOWN', 'STALE', 'DEGRADED', 'MAINTENANCE', 'OK'];
const TOKEN_KEY = 'hulftark.fleet.token';
const PAGE_SIZE = 50;
const JUST_NOW = 'just now';

const ui = {
  state: '', q: '', sort: 'PROBLEM', page: 0, total: 0,
  route: {view: 'overview'},
  who: null,
};

// ---------- small helpers ----------

const $ = (id) => document.getElementById(id);

/** Builds an element; attrs starting with "on" are listeners, children are nodes or text. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

function show(id, visible) { $(id).hidden = !visible; }

function badge(state) {
  return h('span', {class: 'badge', 'data-state': state}, state);
}

/** "just now", "12 s", "3 min", "5 h", "2 d": how long ago (or, for a future instant, how long until). */
function relative(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.round(Math.abs(now - Date.parse(iso)) / 1000);
  if (s < 2) return JUST_NOW;
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  if (s < 86400) return Math.floor(s / 3600) + ' h';
  return Math.floor(s / 86400) + ' d';
}

function withSuffix(iso, suffix) {
  const r = relative(iso);
  return r === JUST_NOW ? r : r + suffix;
}

function absolute(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A time element: relative text, the absolute time on hover and for assistive technology. */
function when(iso, suffix = ' ago') {
  if (!iso) return h('span', {class: 'muted'}, '—');
  return h('time', {datetime: iso, title: absolute(iso), 'data-suffix': suffix}, withSuffix(iso, suffix));
}

/** The value of a datetime-local input for an instant ms from now, in local time. */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

// ---------- the API ----------

class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || ('HTTP ' + status));
    this.status = status;
    this.title = title;
    this.detail = detail || title || ('HTTP ' + status);
  }
}

function token() { return sessionStorage.getItem(TOKEN_KEY); }

/** Reads a failed response as an RFC 9457 problem; anything else still becomes one line. */
async function problemOf(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON: the status line must do */ }
  const title = body && body.title || res.statusText || ('HTTP ' + res.status);
  const detail = body && body.detail || title;
  return new ApiError(res.status, title, detail);
}

async function api(path, {method = 'GET', body, tok = token()} = {}) {
  const headers = {'Accept': 'application/json', 'Authorization': 'Bearer ' + tok};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    throw new ApiError(0, 'Unreachable', 'The fleet view does not answer: ' + e.message);
  }
  if (!res.ok) {
    const err = await problemOf(res);
    // A token that stopped working (removed from the tokens file) ends the session everywhere on the page.
    if (res.status === 401 && tok === token()) signOut(err.detail);
    throw err;
  }
  return res.status === 204 ? null : res.json();
}

// ---------- sign-in ----------

async function signIn(event) {
  event.preventDefault();
  const tok = $('token').value.trim();
  show('signin-error', false);
  $('signin-submit').disabled = true;
  try {
    const who = await api('/whoami', {tok});
    if (who.role !== 'VIEWER' && who.role !== 'OPERATOR') {
      throw new ApiError(403, 'Not a dashboard token', `${who.name} is a ${String(who.role).toLowerCase()} token, which can `
        + 'only send reports: sign in with a viewer or operator token');
    }
    sessionStorage.setItem(TOKEN_KEY, tok);
    $('token').value = '';
    start(who);
  } catch (e) {
    $('signin-error').textContent = e.detail;
    show('signin-error', true);
    $('token').focus();
  } finally {
    $('signin-submit').disabled = false;
  }
}

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  stream.stop();
  ui.who = null;
  for (const id of ['session', 'overview', 'cluster', 'message']) show(id, false);
  show('signin', true);
  if (reason) {
    $('signin-error').textContent = reason;
    show('signin-error', true);
  } else {
    show('signin-error', false);
  }
  $('token').focus();
}

function start(who) {
  ui.who = who;
  $('who').textContent = `${who.name} (${String(who.role).toLowerCase()})`;
  document.body.dataset.role = who.role;
  show('signin', false);
  show('session', true);
  route();
  stream.start();
}

function message(text) {
  $('message').textContent = text || '';
  show('message', !!text);
}

// ---------- routing ----------

function route() {
  const m = location.hash.match(/^#\/cluster\/(.+)$/);
  ui.route = m ? {view: 'cluster', name: decodeURIComponent(m[1])} : {view: 'overview'};
  if (!m) {
    // The overview's filters live in its address (#/?state=DOWN&q=tokyo), so a filtered view can be linked to.
    const p = new URLSearchParams(location.hash.replace(/^#\/?\??/, ''));
    ui.state = STATES.includes(p.get('state')) ? p.get('state') : '';
    ui.q = p.get('q') || '';
    ui.sort = ['PROBLEM', 'NAME', 'SINCE'].includes(p.get('sort')) ? p.get('sort') : 'PROBLEM';
    ui.page = Math.max(Number.parseInt(p.get('page'), 10) || 0, 0);
    $('filter-state').value = ui.state;
    $('search').value = ui.q;
    $('sort').value = ui.sort;
    if ($('tile-ALL')) pressTiles();
  }
  show('overview', ui.route.view === 'overview');
  show('cluster', ui.route.view === 'cluster');
  message('');
  refresh();
  if (ui.route.view === 'cluster') {
    $('back').href = overviewAddress();  // back to the overview as it was filtered
    clearForms();
    $('cluster-title').focus();
  }
}

// Several events within a moment (a failover is a handful) cost one refresh; a refresh never overlaps another.
let refreshing = false;
let refreshAgain = false;

async function refresh() {
  if (!token()) return;
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    do {
      refreshAgain = false;
      try {
        if (ui.route.view === 'cluster') {
          await loadCluster(ui.route.name);
        } else {
          await Promise.all([loadSummary(), loadClusters()]);
        }
      } catch (e) {
        if (e.status !== 401) message(e.detail);
      }
    } while (refreshAgain);
  } finally {
    refreshing = false;
  }
}

/**
 * Refreshes 200 ms after the last event, but never later than 1 s after the first one: a large fleet sends
 * events more often than every 200 ms, and a plain debounce would then never draw.
 */
const refreshSoon = (() => {
  let timer = null;
  let first = 0;
  return () => {
    const now = Date.now();
    if (timer === null) first = now;
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; refresh(); }, Math.max(0, Math.min(200, first + 1000 - now)));
  };
})();

// ---------- overview ----------

async function loadSummary() {
  const s = await api('/summary');
  if (!$('tile-ALL')) buildTiles();
  // Counts change in place: a keyboard user's focus on a tile survives every live update.
  setTile('ALL', s.clusters);
  for (const st of STATES) setTile(st, s.byState[st] || 0);
  $('acked-count').textContent = `${s.acknowledged} acknowledged`;
  $('flapping-count').textContent = `${s.flapping} flapping`;
  if (stream.lastId === null && typeof s.lastEventId === 'number') stream.lastId = s.lastEventId;
}

function buildTiles() {
  const tile = (st, label) => h('button', {
    type: 'button', id: 'tile-' + st, class: 'tile', 'data-state': st, 'aria-pressed': 'false',
    onclick: () => setFilter(st === 'ALL' || ui.state === st ? '' : st),
  }, h('span', {class: 'count'}, '–'), h('span', {class: 'label'}, label));
  $('tiles').replaceChildren(tile('ALL', 'all clusters'), ...STATES.map((st) => tile(st, st)),
    h('div', {class: 'tile-notes'}, h('span', {id: 'acked-count'}), h('span', {id: 'flapping-count'})));
  pressTiles();
}

function setTile(st, n) {
  const t = $('tile-' + st);
  t.dataset.count = n;
  t.classList.toggle('zero', n === 0);
  t.querySelector('.count').textContent = n;
  t.setAttribute('aria-label', st === 'ALL' ? `all clusters: ${n}` : `${st}: ${n} clusters`);
}

function pressTiles() {
  for (const b of document.querySelectorAll('#tiles .tile')) {
    b.setAttribute('aria-pressed', String(b.dataset.state === (ui.state || 'ALL')));
  }
}

function setFilter(state) {
  ui.state = state;
  ui.page = 0;
  $('filter-state').value = state;
  pressTiles();
  refresh();
}

function overviewAddress() {
  const p = new URLSearchParams();
  if (ui.state) p.set('state', ui.state);
  if (ui.q) p.set('q', ui.q);
  if (ui.sort !== 'PROBLEM') p.set('sort', ui.sort);
  if (ui.page) p.set('page', ui.page);
  const q = p.toString();
  return q ? '#/?' + q : '#/';
}

async function loadClusters() {
  // replaceState: no hashchange, no history entry per keystroke.
  if (location.hash !== overviewAddress() && (location.hash || overviewAddress() !== '#/')) {
    history.replaceState(null, '', overviewAddress());
  }
  const p = new URLSearchParams({sort: ui.sort, page: ui.page, size: PAGE_SIZE});
  if (ui.state) p.set('state', ui.state);
  if (ui.q) p.set('q', ui.q);
  const page = await api('/clusters?' + p);
  ui.total = page.total;
  // Rows are drawn anew; the link that had the focus gets it back.
  const focused = document.activeElement && document.activeElement.closest('#cluster-rows tr');
  const focusedName = focused ? focused.dataset.cluster : null;
  $('cluster-rows').replaceChildren(...page.items.map(row));
  if (focusedName !== null) {
    const again = [...$('cluster-rows').children].find((r) => r.dataset.cluster === focusedName);
    if (again) again.querySelector('a').focus();
  }
  show('empty', page.items.length === 0);
  const from = page.total === 0 ? 0 : page.page * page.size + 1;
  const to = page.page * page.size + page.items.length;
  $('page-info').textContent = `${from}–${to} of ${page.total}`;
  $('prev').disabled = page.page === 0;
  $('next').disabled = to >= page.total;
  pressTiles();
}

function row(c) {
  const link = h('a', {href: '#/cluster/' + encodeURIComponent(c.name)}, c.name);
  const markers = h('td', {class: 'markers'},
    c.acknowledged ? h('span', {class: 'marker ack', title: 'acknowledged by an operator', 'data-marker': 'ack'}, 'ack') : null,
    c.flapping ? h('span', {class: 'marker flap', title: 'flapping: serving changes often', 'data-marker': 'flapping'}, 'flapping') : null);
  return h('tr', {'data-cluster': c.name, class: 'state-' + c.state},
    h('th', {scope: 'row'}, link),
    h('td', {}, badge(c.state)),
    h('td', {class: 'since'}, when(c.since, '')),
    h('td', {class: 'reason'}, c.reason || ''),
    h('td', {class: 'serving'}, (c.serving || []).join(', ') || h('span', {class: 'muted'}, 'none')),
    h('td', {class: 'node-names'}, (c.nodes || []).join(', ')),
    markers);
}

// ---------- one cluster ----------

async function loadCluster(name) {
  let d;
  try {
    d = await api('/clusters/' + encodeURIComponent(name) + '?history=200');
  } catch (e) {
    if (e.status === 404) {
      $('cluster-name').textContent = name;
      $('cluster-state').replaceChildren();
      message(e.detail);
      return;
    }
    throw e;
  }
  if (ui.route.view !== 'cluster' || ui.route.name !== name) return;
  const c = d.cluster;
  document.title = `${c.name} ${c.state} — hulft-ark fleet`;
  $('cluster').dataset.cluster = c.name;
  $('cluster-name').textContent = c.name;
  $('cluster-state').replaceChildren(badge(c.state),
    c.acknowledged ? h('span', {class: 'marker ack', 'data-marker': 'ack'}, 'ack') : '',
    c.flapping ? h('span', {class: 'marker flap', 'data-marker': 'flapping'}, 'flapping') : '');
  $('cluster-reason').textContent = c.reason || '';
  $('cluster-facts').replaceChildren(
    `${c.state} since `, when(c.since), ' · serving: ', (c.serving || []).join(', ') || 'none',
    ' · last report ', when(c.lastReportAt));
  drawTimeline(c, d.history || []);
  $('problems').replaceChildren(...(d.problems.length
    ? d.problems.map((p) => h('li', {}, p))
    : [h('li', {class: 'muted'}, 'none')]));
  $('nodes').replaceChildren(...(d.nodes.length ? d.nodes.map((n) => nodeCard(c.name, n))
    : [h('p', {class: 'muted'}, 'No node reported yet.')]));
  drawAcks(c.name, d.acknowledgements || []);
  drawWindows(c.name, d.maintenance || []);
  $('events').replaceChildren(...(d.history || []).map((e) => h('tr', {'data-event': e.id, 'data-kind': e.kind},
    h('td', {}, h('time', {datetime: e.at, title: withSuffix(e.at, ' ago')}, absolute(e.at))),
    h('td', {}, e.kind === 'STATE' && e.state ? badge(e.state) : e.kind),
    h('td', {}, e.node || ''),
    h('td', {}, e.tag || ''),
    h('td', {}, e.text || ''))));
}

function nodeCard(cluster, n) {
  const skew = Math.abs(n.skewMillis) >= 1000
    ? h('span', {class: 'warn', title: "the agent's clock minus the fleet view's"}, `clock skew ${(n.skewMillis / 1000).toFixed(1)} s`)
    : h('span', {class: 'muted'}, `clock skew ${n.skewMillis} ms`);
  const resources = (n.resources || []).map((r) => h('tr', {'data-resource': r.tag},
    h('th', {scope: 'row'}, r.tag),
    h('td', {}, r.service || ''),
    h('td', {}, h('span', {class: 'status', 'data-status': r.status}, r.status)),
    h('td', {}, r.role || ''),
    h('td', {}, when(r.since, '')),
    h('td', {}, (r.ports || []).map(port)),
    h('td', {class: 'reason'}, r.reason || '')));
  // A decommissioned node stays silent for ever and keeps the cluster DEGRADED until an operator forgets it.
  const forget = n.fresh ? '' : h('button', {type: 'button', class: 'quiet forget', 'data-forget': n.node,
    onclick: () => {
      if (!confirm(`Forget node ${n.node} of ${cluster}? Do this only for a node that was taken out of the cluster.`)) return;
      operate('message', () => api(`/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(n.node)}`,
        {method: 'DELETE'}));
    }}, 'Forget node');
  return h('article', {class: 'node', 'data-node': n.node, 'data-fresh': String(n.fresh)},
    h('h3', {}, n.node, ' ', h('span', {class: 'fresh ' + (n.fresh ? 'yes' : 'no')}, n.fresh ? 'fresh' : 'silent'),
      ' ', forget),
    h('p', {class: 'facts'}, 'report received ', when(n.receivedAt), ' · ', skew,
      ` · agent ${n.agentVersion || '?'}, started `, when(n.agentStartedAt),
      n.dropped ? h('span', {class: 'warn'}, ` · ${n.dropped} events dropped`) : ''),
    resources.length
      ? h('table', {class: 'resources'},
        h('thead', {}, h('tr', {}, ...['Resource', 'Service', 'Status', 'Role', 'Since', 'Ports', 'Reason']
          .map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, resources))
      : h('p', {class: 'muted'}, 'No resources reported.'));
}

function port(p) {
  const latency = p.ok ? `${(p.latencyMicros / 1000).toFixed(1)} ms` : 'fails';
  return h('span', {class: 'port ' + (p.ok ? 'ok' : 'bad'), 'data-port': p.port, 'data-ok': String(p.ok),
    title: p.detail || ''}, `${p.key} ${p.port}: ${latency}`);
}

/**
 * The STATE events as a band of colored segments from the oldest one kept to now. The history is the newest
 * events only, so the band starts at the oldest state change it holds.
 */
function drawTimeline(c, history) {
  const now = Date.now();
  const changes = history.filter((e) => e.kind === 'STATE' && e.state)
    .map((e) => ({at: Date.parse(e.at), state: e.state}))
    .sort((a, b) => a.at - b.at);
  const last = changes[changes.length - 1];
  if (!last || last.state !== c.state) changes.push({at: Date.parse(c.since), state: c.state});
  const start = changes[0].at;
  const span = Math.max(now - start, 1);
  const band = h('div', {class: 'band', role: 'img', id: 'timeline-band',
    'aria-label': changes.map((s) => `${s.state} from ${new Date(s.at).toLocaleString()}`).join('; ')});
  changes.forEach((s, i) => {
    const end = i + 1 < changes.length ? changes[i + 1].at : now;
    const pct = Math.max((end - s.at) / span * 100, 0.4);
    band.append(h('div', {class: 'segment', 'data-state': s.state, style: `flex-grow:${pct}`,
      title: `${s.state}: ${new Date(s.at).toLocaleString()} – ${i + 1 < changes.length ? new Date(end).toLocaleString() : 'now'}`}));
  });
  const first = new Date(start).toISOString();
  const legend = h('div', {class: 'axis'},
    h('span', {}, h('time', {datetime: first}, new Date(start).toLocaleString()), ` (${withSuffix(first, ' ago')})`),
    h('span', {}, 'now'));
  $('timeline').replaceChildren(band, legend);
}

function drawAcks(cluster, acks) {
  $('acks').replaceChildren(...(acks.length ? acks.map((a) => h('li', {'data-ack': a.id},
    h('span', {}, `${a.by}: “${a.comment}” until `, h('time', {datetime: a.until}, absolute(a.until))),
    h('button', {type: 'button', class: 'quiet', 'aria-label': `Remove the acknowledgement by ${a.by}`,
      onclick: () => remove(`/clusters/${encodeURIComponent(cluster)}/acknowledgements/${a.id}`, 'ack-error')}, 'Remove')))
    : [h('li', {class: 'muted'}, 'none')]));
}

function drawWindows(cluster, windows) {
  $('windows').replaceChildren(...(windows.length ? windows.map((w) => h('li', {'data-window': w.id},
    h('span', {}, h('time', {datetime: w.from}, absolute(w.from)), ' – ', h('time', {datetime: w.until}, absolute(w.until)),
      `: ${w.reason} (${w.by})`),
    h('button', {type: 'button', class: 'quiet', 'aria-label': `Remove the window "${w.reason}"`,
      onclick: () => remove(`/clusters/${encodeURIComponent(cluster)}/maintenance/${w.id}`, 'maint-error')}, 'Remove')))
    : [h('li', {class: 'muted'}, 'none')]));
}

function clearForms() {
  for (const id of ['ack-error', 'maint-error']) show(id, false);
  $('ack-comment').value = '';
  $('ack-until').value = localInput(Date.now() + 4 * 3600_000);
  $('maint-from').value = localInput(Date.now());
  $('maint-until').value = localInput(Date.now() + 3600_000);
  $('maint-reason').value = '';
}

/** Runs an operator's request; a refusal (403 for a viewer, 400 for a bad window) is shown next to its form. */
async function operate(errorId, fn) {
  show(errorId, false);
  try {
    await fn();
    await refresh();
    return true;
  } catch (e) {
    $(errorId).textContent = e.detail;
    show(errorId, true);
    return false;
  }
}

function isoOf(inputId) {
  const v = $(inputId).value;
  const t = Date.parse(v);
  if (!v || Number.isNaN(t)) throw new ApiError(0, 'Bad time', `${$(inputId).labels[0].textContent}: not a date and time`);
  return new Date(t).toISOString();
}

function remove(path, errorId) {
  return operate(errorId, () => api(path, {method: 'DELETE'}));
}

async function acknowledge(event) {
  event.preventDefault();
  const name = ui.route.name;
  const ok = await operate('ack-error', () => api(`/clusters/${encodeURIComponent(name)}/acknowledgements`,
    {method: 'POST', body: {comment: $('ack-comment').value.trim(), until: isoOf('ack-until')}}));
  if (ok) $('ack-comment').value = '';
}

async function setMaintenance(event) {
  event.preventDefault();
  const name = ui.route.name;
  const ok = await operate('maint-error', () => api(`/clusters/${encodeURIComponent(name)}/maintenance`,
    {method: 'POST', body: {from: isoOf('maint-from'), until: isoOf('maint-until'), reason: $('maint-reason').value.trim()}}));
  if (ok) $('maint-reason').value = '';
}

// ---------- the live stream ----------
// EventSource cannot send an Authorization header, so the stream is read with fetch() and parsed here.

const stream = {
  lastId: null,
  controller: null,
  retryMs: 1000,
  timer: null,
  running: false,

  start() {
    if (this.running) return;
    this.running = true;
    this.retryMs = 1000;
    this.connect();
  },

  /** The network is back (or the tab woke up): try now rather than when the backoff says. */
  retryNow() {
    if (!this.running || this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  },

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.lastId = null;
    indicator('off', 'offline');
  },

  async connect() {
    if (!this.running) return;
    const controller = new AbortController();
    this.controller = controller;
    const headers = {'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + token()};
    if (this.lastId !== null) headers['Last-Event-ID'] = String(this.lastId);
    try {
      const res = await fetch(API + '/stream', {headers, signal: controller.signal, cache: 'no-store'});
      if (res.status === 401) {
        signOut((await problemOf(res)).detail);
        return;
      }
      if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
      indicator('live', 'live');
      this.retryMs = 1000;
      // Whatever happened while we were away: the stream resumes after lastId, but a refresh costs little.
      refreshSoon();
      await this.read(res.body.getReader());
      if (controller.signal.aborted) return;
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (!this.running || this.controller !== controller) return;
    indicator('reconnecting', 'reconnecting…');
    this.timer = setTimeout(() => { this.timer = null; this.connect(); }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 15000);
  },

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let data = [];
    let id = null;
    let name = '';
    for (;;) {
      const {value, done} = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, {stream: true});
      let nl;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          // Only unnamed events are fleet events; "ping" only keeps an idle stream open.
          if (data.length && (name === '' || name === 'message')) this.dispatch(id, data.join('\n'));
          data = [];
          id = null;
          name = '';
          continue;
        }
        if (line.startsWith(':')) continue;  // a comment: the server's keep-alive
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'id') id = value;
        else if (field === 'event') name = value;
        else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
      }
    }
  },

  dispatch(id, data) {
    if (id !== null && id !== '') this.lastId = id;
    let event;
    try { event = JSON.parse(data); } catch (e) { return; }
    document.body.dataset.lastEvent = String(event.id ?? id);
    // For whatever else on the page wants the events (and for the browser tests).
    document.dispatchEvent(new CustomEvent('fleet-event', {detail: event}));
    if (ui.route.view === 'cluster' && event.cluster && event.cluster !== ui.route.name) return;
    refreshSoon();
  },
};

function indicator(state, text) {
  const el = $('live');
  el.dataset.live = state;
  el.textContent = text;
}

// ---------- wiring ----------

document.addEventListener('DOMContentLoaded', () => {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', () => signOut());
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  $('filter-state').addEventListener('change', (e) => setFilter(e.target.value));
  $('sort').addEventListener('change', (e) => { ui.sort = e.target.value; ui.page = 0; refresh(); });
  $('search').addEventListener('input', debounce((e) => { ui.q = e.target.value.trim(); ui.page = 0; refresh(); }, 250));
  $('prev').addEventListener('click', () => { ui.page = Math.max(ui.page - 1, 0); refresh(); });
  $('next').addEventListener('click', () => { ui.page += 1; refresh(); });
  $('ack-form').addEventListener('submit', acknowledge);
  $('maint-form').addEventListener('submit', setMaintenance);
  window.addEventListener('hashchange', () => { if (token()) route(); });
  window.addEventListener('online', () => stream.retryNow());
  // Relative times age even when nothing happens.
  setInterval(() => {
    for (const t of document.querySelectorAll('time[data-suffix]')) {
      t.textContent = withSuffix(t.getAttribute('datetime'), t.dataset.suffix);
    }
  }, 15000);

  if (!token()) {
    signOut();
    return;
  }
  api('/whoami').then(start).catch((e) => { if (e.status !== 401) signOut(e.detail); });
});
