// The fleet view's dashboard: plain JS, no build step, no external resources.
// Every value from the API reaches the page as text nodes, never as HTML: cluster and node names come from agents.
// Characters nobody sees (bidi overrides, zero-width, line separators, controls) are drawn as visible markers, so a
// text cannot disguise itself or the page around it. The page allows no inline script or style (its CSP).
'use strict';

const API = 'api/v1/fleet';
const STATES = ['SPLIT', 'DOWN', 'STALE', 'DEGRADED', 'MAINTENANCE', 'OK'];
const TOKEN_KEY = 'hulftark.fleet.token';
const PAGE_SIZE = 50;
const HISTORY_PAGE = 50;
const TIMELINE_CHANGES = 100;
const JUST_NOW = 'just now';
const KINDS = ['STATE', 'TRANSITION', 'ACTION', 'ACK', 'MAINTENANCE', 'NODE'];

const ui = {
  state: '', q: '', sort: 'PROBLEM', page: 0, total: 0,
  route: {view: 'overview'},
  who: null,
  // The cluster page's history and the event log: filters, and the cursor of every page up to the one shown.
  hist: {cluster: null, kind: '', node: '', cursors: [null]},
  log: {cluster: '', kind: '', node: '', cursors: [null]},
};

// ---------- small helpers ----------

const $ = (id) => document.getElementById(id);

/**
 * What is not seen, or rearranges what is: controls, format characters (bidi overrides and isolates, zero-width
 * characters, BOM, tags), lone surrogates, private use, unassigned code points, line and paragraph separators,
 * and the marks and fillers that draw nothing (combining grapheme joiner, variation selectors, Hangul fillers).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/gu;
const CHAR_NAMES = {
  0x200B: 'ZERO WIDTH SPACE', 0x200C: 'ZERO WIDTH NON-JOINER', 0x200D: 'ZERO WIDTH JOINER',
  0x200E: 'LEFT-TO-RIGHT MARK', 0x200F: 'RIGHT-TO-LEFT MARK', 0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR',
  0x202A: 'LEFT-TO-RIGHT EMBEDDING', 0x202B: 'RIGHT-TO-LEFT EMBEDDING', 0x202C: 'POP DIRECTIONAL FORMATTING',
  0x202D: 'LEFT-TO-RIGHT OVERRIDE', 0x202E: 'RIGHT-TO-LEFT OVERRIDE', 0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE', 0xFEFF: 'ZERO WIDTH NO-BREAK SPACE', 0x00AD: 'SOFT HYPHEN',
};

function codeOf(ch) {
  return 'U+' + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
}

/** The text as nodes: plain text, and a marker such as "⟨U+202E⟩" for each invisible character. */
function visible(text) {
  const s = String(text);
  const out = [];
  let last = 0;
  for (const m of s.matchAll(INVISIBLE)) {
    if (m.index > last) out.push(document.createTextNode(s.slice(last, m.index)));
    const code = codeOf(m[0]);
    const name = CHAR_NAMES[m[0].codePointAt(0)];
    const mark = document.createElement('span');
    mark.className = 'invisible';
    mark.dataset.char = code;
    mark.title = name ? `${code} ${name}` : `${code}: a character that is not seen`;
    mark.textContent = `⟨${code}⟩`;
    out.push(mark);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(document.createTextNode(s.slice(last)));
  return out;
}

/** The same as one string, for attributes (titles, labels) and the window's title. */
function visibleText(text) {
  return String(text).replace(INVISIBLE, (ch) => `⟨${codeOf(ch)}⟩`);
}

/** Sets an element's content to a text, invisible characters shown. */
function setText(el, text) {
  (typeof el === 'string' ? $(el) : el).replaceChildren(...visible(text ?? ''));
}

/** A text from outside (a reason, a comment, an event): isolated, so right-to-left letters cannot reorder the page. */
function free(text) {
  return text ? h('bdi', {class: 'free'}, text) : '';
}

/**
 * Builds an element; attrs starting with "on" are listeners, children are nodes or text. Every text passes
 * through visible(), every attribute through visibleText(): no caller can forget it.
 */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') setText(el, v);
    else el.setAttribute(k, v === true ? '' : visibleText(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    if (c instanceof Node) el.append(c);
    else el.append(...visible(c));
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

const pad2 = (n) => String(n).padStart(2, '0');
// The zone's name as this browser's language writes it ("CET", "GMT+1"); the offset where it has none. A new
// format each time: one made earlier keeps the zone of its making.
function zoneOf(d) {
  const part = new Intl.DateTimeFormat(undefined, {timeZoneName: 'short'}).formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  if (part && part.value) return part.value;
  const m = -d.getTimezoneOffset();
  return `UTC${m < 0 ? '-' : '+'}${pad2(Math.floor(Math.abs(m) / 60))}:${pad2(Math.abs(m) % 60)}`;
}

/**
 * The one format of every time on the page: local time, 24-hour, with its zone ("2026-12-06 21:04:05 CET").
 * Takes an ISO instant or milliseconds.
 */
function absolute(iso) {
  if (iso === null || iso === undefined || iso === '') return '';
  const d = new Date(typeof iso === 'number' ? iso : Date.parse(iso));
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} `
    + `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} ${zoneOf(d)}`;
}

/** "3 min ago", "in 5 h", "just now". */
function relativeText(iso, now = Date.now()) {
  const r = relative(iso, now);
  if (r === JUST_NOW || r === '') return r;
  return Date.parse(iso) > now ? 'in ' + r : r + ' ago';
}

/**
 * A time element in the one format, how long ago in its tooltip; with beside, also next to it ("(3 min ago)").
 * A second argument that is not an object (an older caller's suffix) is ignored.
 */
function when(iso, options) {
  if (!iso) return h('span', {class: 'muted'}, '—');
  const beside = !!(options && typeof options === 'object' && options.beside);
  const t = h('time', {datetime: iso, title: relativeText(iso), 'data-relative': ''}, absolute(iso));
  return beside ? h('span', {class: 'when'}, t, ' ', h('span', {class: 'rel muted', 'data-relative-of': iso},
    `(${relativeText(iso)})`)) : t;
}

/** "1 s", "4 min 10 s", "2 h 5 min", "3 d 4 h": a length of time for people. */
function lasting(ms) {
  const s = Math.max(Math.round(ms / 1000), 0);
  if (s < 60) return s + ' s';
  if (s < 3600) return `${Math.floor(s / 60)} min` + (s % 60 ? ` ${s % 60} s` : '');
  if (s < 86400) return `${Math.floor(s / 3600)} h` + (Math.floor(s / 60) % 60 ? ` ${Math.floor(s / 60) % 60} min` : '');
  return `${Math.floor(s / 86400)} d` + (Math.floor(s / 3600) % 24 ? ` ${Math.floor(s / 3600) % 24} h` : '');
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

/** A request given up because the user went elsewhere: nothing to show. */
function aborted() {
  const e = new ApiError(-1, 'Aborted', 'aborted');
  e.aborted = true;
  return e;
}

/** Reads a failed response as an RFC 9457 problem; anything else still becomes one line. */
async function problemOf(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON: the status line must do */ }
  const title = body && body.title || res.statusText || ('HTTP ' + res.status);
  const detail = body && body.detail || title;
  return new ApiError(res.status, title, detail);
}

async function api(path, {method = 'GET', body, tok = token(), signal} = {}) {
  const headers = {'Accept': 'application/json', 'Authorization': 'Bearer ' + tok};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(API + path, {method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (e) {
    if (signal && signal.aborted) throw aborted();
    throw new ApiError(0, 'Unreachable', 'The fleet view does not answer: ' + e.message);
  }
  if (signal && signal.aborted) throw aborted();
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
    setText('signin-error', e.detail);
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
  setRole(null);
  for (const id of ['session', 'views', 'overview', 'cluster', 'eventlog', 'message']) show(id, false);
  show('signin', true);
  if (reason) {
    setText('signin-error', reason);
    show('signin-error', true);
  } else {
    show('signin-error', false);
  }
  $('token').focus();
}

function start(who) {
  ui.who = who;
  setText('who', `${who.name} (${String(who.role).toLowerCase()})`);
  document.body.dataset.role = who.role;
  setRole(who.role);
  show('signin', false);
  show('session', true);
  show('views', true);
  route();
  stream.start();
}

// The operator forms, taken out of the page at load: they are put in for an operator's token only, so a viewer's
// page holds no form, button or field that acts (not merely a disabled one).
const operatorForms = [];

function isOperator() {
  return !!ui.who && ui.who.role === 'OPERATOR';
}

function setRole(role) {
  for (const {form, parent} of operatorForms) {
    if (role === 'OPERATOR' && !form.isConnected) parent.append(form);
    if (role !== 'OPERATOR' && form.isConnected) form.remove();
  }
  show('read-only', role !== null && role !== 'OPERATOR');
}

/** For a viewer: the buttons drawn into the lists of acknowledgements and windows (Remove) leave the page. */
function stripOperatorControls() {
  if (isOperator()) return;
  for (const b of document.querySelectorAll('#acks button, #windows button, #nodes [data-forget]')) b.remove();
}

function message(text) {
  setText('message', text || '');
  show('message', !!text);
}

// ---------- routing ----------

// Raised by every navigation: an answer to an earlier one is dropped, whenever it arrives.
let nav = 0;
// The requests of the refresh under way; a navigation aborts them.
let loads = null;

function route() {
  nav += 1;
  if (loads) loads.abort();
  const m = location.hash.match(/^#\/cluster\/(.+)$/);
  const log = location.hash.match(/^#\/events(?:\?(.*))?$/);
  ui.route = m ? {view: 'cluster', name: decodeURIComponent(m[1])} : log ? {view: 'events'} : {view: 'overview'};
  if (log) {
    const p = new URLSearchParams(log[1] || '');
    ui.log = {cluster: p.get('cluster') || '', kind: KINDS.includes(p.get('kind')) ? p.get('kind') : '',
      node: p.get('node') || '', cursors: [null]};
    $('log-cluster').value = ui.log.cluster;
    $('log-kind').value = ui.log.kind;
    $('log-node').value = ui.log.node;
  } else if (!m) {
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
  show('eventlog', ui.route.view === 'events');
  for (const [id, view] of [['nav-overview', 'overview'], ['nav-events', 'events']]) {
    if (ui.route.view === view) $(id).setAttribute('aria-current', 'page');
    else $(id).removeAttribute('aria-current');
  }
  message('');
  if (ui.route.view === 'cluster') {
    // Nothing of the cluster shown before stays, before any request: its nodes, its problems, its buttons.
    clearCluster(ui.route.name);
    show('cluster-loading', true);
    $('back').href = overviewAddress();  // back to the overview as it was filtered
    $('cluster-title').focus();
  } else if (ui.route.view === 'events') {
    document.title = 'Event log — hulft-ark fleet';
  } else {
    document.title = 'hulft-ark fleet';
  }
  refresh();
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
      const mine = nav;
      const controller = new AbortController();
      loads = controller;
      try {
        if (ui.route.view === 'cluster') {
          await loadCluster(ui.route.name, mine, controller.signal);
        } else if (ui.route.view === 'events') {
          await loadLog(mine, controller.signal);
        } else {
          await Promise.all([loadSummary(controller.signal), loadClusters(controller.signal)]);
        }
      } catch (e) {
        if (!e.aborted && e.status !== 401 && mine === nav) message(e.detail);
      } finally {
        if (loads === controller) loads = null;
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

async function loadSummary(signal) {
  const s = await api('/summary', {signal});
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

async function loadClusters(signal) {
  // replaceState: no hashchange, no history entry per keystroke.
  if (location.hash !== overviewAddress() && (location.hash || overviewAddress() !== '#/')) {
    history.replaceState(null, '', overviewAddress());
  }
  const p = new URLSearchParams({sort: ui.sort, page: ui.page, size: PAGE_SIZE});
  if (ui.state) p.set('state', ui.state);
  if (ui.q) p.set('q', ui.q);
  const page = await api('/clusters?' + p, {signal});
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
  markSort();
}

/** The column the table is sorted by says so (aria-sort); the others say they are not. */
function markSort() {
  for (const th of document.querySelectorAll('#clusters th[data-sort]')) {
    th.setAttribute('aria-sort', th.dataset.sort !== ui.sort ? 'none' : ui.sort === 'NAME' ? 'ascending' : 'descending');
  }
}

function setSort(sort) {
  ui.sort = sort;
  ui.page = 0;
  $('sort').value = sort;
  markSort();
  refresh();
}

/** "22:00" (24-hour, local), with the date when not today. */
function clock(iso) {
  const d = new Date(iso);
  const time = d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', hourCycle: 'h23'});
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/** The acknowledgement and maintenance markers beside the real state: "ack · alice until 22:00", "in maintenance until 22:00". */
function stateMarkers(c) {
  const until = (iso, otherwise) => (iso ? ' until ' + clock(iso) : otherwise);
  return [
    c.acknowledged ? h('span', {class: 'marker ack', 'data-marker': 'ack',
      title: `acknowledged by ${c.acknowledgedBy}${until(c.acknowledgedUntil, ' until the problem ends')}${c.acknowledgedSticky ? ' (sticky)' : ''}`},
      `ack · ${c.acknowledgedBy}${until(c.acknowledgedUntil, '')}`) : null,
    c.inMaintenance ? h('span', {class: 'marker maint', 'data-marker': 'maintenance',
      title: `in a maintenance window: ${c.state} is the real state, not notified`},
      `in maintenance${until(c.maintenanceUntil, '')}`) : null,
    c.flapping ? h('span', {class: 'marker flap', title: 'flapping: serving changes often', 'data-marker': 'flapping'}, 'flapping') : null,
  ].filter((m) => m !== null);
}

function row(c) {
  const link = h('a', {href: '#/cluster/' + encodeURIComponent(c.name)}, c.name);
  const markers = h('td', {class: 'markers'}, ...stateMarkers(c));
  return h('tr', {'data-cluster': c.name, class: 'state-' + c.state},
    h('th', {scope: 'row'}, link),
    h('td', {}, badge(c.state)),
    h('td', {class: 'since'}, when(c.since)),
    h('td', {class: 'reason'}, free(c.reason)),
    h('td', {class: 'serving'}, (c.serving || []).join(', ') || h('span', {class: 'muted'}, 'none')),
    h('td', {class: 'node-names'}, (c.nodes || []).join(', ')),
    markers);
}

// ---------- one cluster ----------

/** Empties the cluster page down to the name asked for; no form acts until an answer for it is drawn. */
function clearCluster(name) {
  delete $('cluster').dataset.cluster;
  setText('cluster-name', name);
  $('cluster-state').replaceChildren();
  show('cluster-body', false);
  show('cluster-loading', false);
  show('cluster-missing', false);
  for (const id of ['cluster-reason', 'cluster-facts', 'timeline', 'problems', 'nodes', 'acks', 'windows', 'events',
    'history-info', 'cluster-missing-detail']) {
    $(id).replaceChildren();
  }
  // Another cluster's history starts again at its newest page, with its own nodes to filter by.
  if (ui.hist.cluster !== name) {
    ui.hist = {cluster: name, kind: '', node: '', cursors: [null]};
    $('history-kind').value = '';
    $('history-node').replaceChildren(h('option', {value: ''}, 'all nodes'));
  }
  document.title = `${visibleText(name)} — hulft-ark fleet`;
  clearForms();
}

/** The cluster the page shows now (its answer drawn for the current address), or null. */
function shownCluster() {
  const c = $('cluster').dataset.cluster;
  return c !== undefined && ui.route.view === 'cluster' && c === ui.route.name ? c : null;
}

async function loadCluster(name, mine, signal) {
  let d;
  let changes;
  let page;
  try {
    // The cluster first: an unknown one needs no more questions. The timeline has the STATE events of its own,
    // so that a chatty node's transitions do not push them out of it.
    d = await api('/clusters/' + encodeURIComponent(name) + '?history=0', {signal});
    const cluster = encodeURIComponent(name);
    [changes, page] = await Promise.all([
      api(`/events?cluster=${cluster}&kind=STATE&order=NEWEST&limit=${TIMELINE_CHANGES}`, {signal}),
      api('/events?' + historyQuery(name), {signal})]);
  } catch (e) {
    if (mine !== nav) return;  // a later navigation owns the page
    if (e.status === 404) {
      // Unknown (or forgotten meanwhile): the page keeps the name asked for, says so, and shows nothing else.
      clearCluster(name);
      setText('cluster-missing-detail', e.detail);
      show('cluster-missing', true);
      return;
    }
    throw e;
  }
  if (mine !== nav || ui.route.view !== 'cluster' || ui.route.name !== name || d.cluster.name !== name) return;
  const c = d.cluster;
  document.title = `${visibleText(c.name)} ${c.state} — hulft-ark fleet`;
  $('cluster').dataset.cluster = c.name;
  setText('cluster-name', c.name);
  $('cluster-state').replaceChildren(badge(c.state), ...stateMarkers(c));
  $('cluster-reason').replaceChildren(free(c.reason));
  $('cluster-facts').replaceChildren(
    `${c.state} since `, when(c.since, {beside: true}), ' · serving: ', (c.serving || []).join(', ') || 'none',
    ' · last report ', when(c.lastReportAt, {beside: true}));
  drawTimeline(c, changes);
  $('problems').replaceChildren(...(d.problems.length
    ? d.problems.map((p) => h('li', {}, free(p)))
    : [h('li', {class: 'muted'}, 'none')]));
  $('nodes').replaceChildren(...(d.nodes.length ? d.nodes.map((n) => nodeCard(c.name, n))
    : [h('p', {class: 'muted'}, 'No node reported yet.')]));
  drawAcks(c.name, d.acknowledgements || []);
  drawWindows(c.name, d.maintenance || []);
  stripOperatorControls();
  nodeChoices(d.nodes.map((n) => n.node));
  drawEvents('events', 'history', ui.hist, page, false);
  show('cluster-loading', false);
  show('cluster-body', true);
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
    h('td', {}, when(r.since)),
    h('td', {}, (r.ports || []).map(port)),
    h('td', {class: 'reason'}, free(r.reason))));
  // A decommissioned node stays silent for ever and keeps the cluster DEGRADED until an operator forgets it.
  const forget = n.fresh || !isOperator() ? '' : h('button', {type: 'button', class: 'quiet forget', 'data-forget': n.node,
    onclick: () => {
      if (shownCluster() !== cluster) return;  // drawn for a page no longer shown
      if (!confirm(`Forget node ${visibleText(n.node)} of ${visibleText(cluster)}? Do this only for a node that was taken out of the cluster.`)) return;
      operate('message', () => api(`/clusters/${encodeURIComponent(cluster)}/nodes/${encodeURIComponent(n.node)}`,
        {method: 'DELETE'}));
    }}, 'Forget node');
  return h('article', {class: 'node', 'data-node': n.node, 'data-fresh': String(n.fresh)},
    h('h3', {}, n.node, ' ', h('span', {class: 'fresh ' + (n.fresh ? 'yes' : 'no')}, n.fresh ? 'fresh' : 'silent'),
      ' ', forget),
    h('p', {class: 'facts'}, 'report received ', when(n.receivedAt, {beside: true}), ' · ', skew,
      ` · agent ${n.agentVersion || '?'}, started `, when(n.agentStartedAt, {beside: true}),
      n.dropped ? h('span', {class: 'warn'}, ` · ${n.dropped} events dropped`) : ''),
    resources.length
      ? h('div', {class: 'table-wrap'}, h('table', {class: 'resources'},
        h('thead', {}, h('tr', {}, ...['Resource', 'Service', 'Status', 'Role', 'Since', 'Ports', 'Reason']
          .map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, resources)))
      : h('p', {class: 'muted'}, 'No resources reported.'));
}

function port(p) {
  const latency = p.ok ? `${(p.latencyMicros / 1000).toFixed(1)} ms` : 'fails';
  // The detail is shown, not only hovered: it is an agent's free text, and a title would hide its markers.
  return h('span', {class: 'port ' + (p.ok ? 'ok' : 'bad'), 'data-port': p.port, 'data-ok': String(p.ok),
    title: p.detail || ''}, `${p.key} ${p.port}: ${latency}`, p.detail ? h('span', {class: 'port-detail'}, ' (', free(p.detail), ')') : '');
}

/**
 * The cluster's STATE events (newest first, as asked) as a band of colored segments from the oldest one to now.
 * Every segment says on hover its state, from and to; one too short for its share of the band is still drawn as a
 * mark of minimum width (a one-second SPLIT among days of OK is the thing to see).
 */
function drawTimeline(c, stateEvents) {
  const now = Date.now();
  const changes = stateEvents.filter((e) => e.state)
    .map((e) => ({at: Date.parse(e.at), state: e.state}))
    .sort((a, b) => a.at - b.at);
  const last = changes[changes.length - 1];
  if (!last || last.state !== c.state) changes.push({at: Date.parse(c.since), state: c.state});
  const start = changes[0].at;
  const span = Math.max(now - start, 1);
  const spans = changes.map((s, i) => ({...s, end: i + 1 < changes.length ? changes[i + 1].at : null}));
  const label = (s) => `${s.state} from ${absolute(s.at)} to ${s.end === null ? 'now' : absolute(s.end)}`
    + ` (${lasting((s.end === null ? now : s.end) - s.at)})`;
  const band = h('div', {class: 'band', role: 'img', id: 'timeline-band', 'aria-label': spans.map(label).join('; ')});
  for (const s of spans) {
    const segment = h('div', {class: 'segment', 'data-state': s.state, 'data-from': new Date(s.at).toISOString(),
      'data-to': s.end === null ? 'now' : new Date(s.end).toISOString(), title: label(s)},
    h('span', {class: 'segment-label'}, s.state));
    // Through CSSOM: the policy refuses style attributes. The CSS gives every segment its minimum width.
    segment.style.flexGrow = String(((s.end === null ? now : s.end) - s.at) / span * 1000);
    band.append(segment);
  }
  const legend = h('div', {class: 'axis'}, h('span', {}, when(new Date(start).toISOString(), {beside: true})),
    h('span', {}, 'now'));
  $('timeline').replaceChildren(band, legend);
}

function drawAcks(cluster, acks) {
  $('acks').replaceChildren(...(acks.length ? acks.map((a) => h('li', {'data-ack': a.id},
    h('span', {}, a.by, ': “', free(a.comment), '” for ', a.state, a.sticky ? ' (sticky)' : '',
      a.until ? [' until ', h('time', {datetime: a.until}, absolute(a.until))] : ' until the problem ends'),
    h('button', {type: 'button', class: 'quiet', 'aria-label': `Remove the acknowledgement by ${a.by}`,
      onclick: () => remove(cluster, `/clusters/${encodeURIComponent(cluster)}/acknowledgements/${a.id}`, 'ack-error')}, 'Remove')))
    : [h('li', {class: 'muted'}, 'none')]));
}

function drawWindows(cluster, windows) {
  $('windows').replaceChildren(...(windows.length ? windows.map((w) => h('li', {'data-window': w.id},
    h('span', {}, (w.days || []).length
      ? [`every ${w.days.join(', ')} ${w.start} ${w.zone} for ${w.duration}`,
        w.nextFrom ? ', next ' : '', w.nextFrom ? h('time', {datetime: w.nextFrom}, absolute(w.nextFrom)) : '']
      : [h('time', {datetime: w.from}, absolute(w.from)), ' – ', h('time', {datetime: w.until}, absolute(w.until))],
      ': ', free(w.reason), ' (', w.by, ')'),
    h('button', {type: 'button', class: 'quiet', 'aria-label': `Remove the window "${w.reason}"`,
      onclick: () => remove(cluster, `/clusters/${encodeURIComponent(cluster)}/maintenance/${w.id}`, 'maint-error')}, 'Remove')))
    : [h('li', {class: 'muted'}, 'none')]));
}

// ---------- history and the event log ----------

/** The query of a page of events, newest first by time, one more than shown (so the page knows there are older). */
function eventsQuery(filter, extra) {
  const p = new URLSearchParams({order: 'NEWEST', limit: HISTORY_PAGE + 1, ...extra});
  if (filter.kind) p.set('kind', filter.kind);
  if (filter.node) p.set('node', filter.node);
  const before = filter.cursors[filter.cursors.length - 1];
  if (before !== null) p.set('before', before);
  return p.toString();
}

function historyQuery(name) {
  return eventsQuery(ui.hist, {cluster: name});
}

/** The node filter lists the cluster's nodes; a chosen node stays chosen. */
function nodeChoices(nodes) {
  const select = $('history-node');
  const names = [...new Set([...nodes, ...(ui.hist.node ? [ui.hist.node] : [])])].sort();
  const now = [...select.options].slice(1).map((o) => o.value);
  if (now.join('\n') !== names.join('\n')) {
    select.replaceChildren(h('option', {value: ''}, 'all nodes'), ...names.map((n) => h('option', {value: n}, n)));
  }
  select.value = ui.hist.node;
}

function eventRow(e, withCluster) {
  return h('tr', {'data-event': e.id, 'data-kind': e.kind},
    h('td', {class: 'when'}, when(e.at)),
    withCluster ? h('td', {class: 'cluster'}, h('a', {href: '#/cluster/' + encodeURIComponent(e.cluster)}, e.cluster)) : null,
    h('td', {class: 'kind'}, e.kind === 'STATE' && e.state ? badge(e.state) : e.kind),
    h('td', {class: 'node'}, e.node || ''),
    h('td', {class: 'tag'}, e.tag || ''),
    h('td', {class: 'what'}, free(e.text)));
}

/** One page of events (HISTORY_PAGE of them; one more means there are older) and its pager. */
function drawEvents(rowsId, prefix, filter, events, withCluster) {
  const shown = events.slice(0, HISTORY_PAGE);
  $(rowsId).replaceChildren(...shown.map((e) => eventRow(e, withCluster)));
  show(prefix + '-empty', shown.length === 0);
  const page = filter.cursors.length;
  $(prefix + '-newer').disabled = page === 1;
  $(prefix + '-older').disabled = events.length <= HISTORY_PAGE;
  $(prefix + '-info').dataset.last = shown.length ? String(shown[shown.length - 1].id) : '';
  $(prefix + '-info').textContent = shown.length === 0 ? '' : page === 1
    ? `newest ${shown.length}${$(prefix + '-older').disabled ? '' : ' (older on the next page)'}`
    : `page ${page}: ${shown.length} older events`;
}

/** Older: the next page starts after the last event shown. Newer: back one page. */
function turnPage(filter, prefix, older) {
  if (older) {
    const last = $(prefix + '-info').dataset.last;
    if (!last) return;
    filter.cursors.push(Number(last));
  } else if (filter.cursors.length > 1) {
    filter.cursors.pop();
  }
  refresh();
}

function logAddress() {
  const p = new URLSearchParams();
  for (const k of ['cluster', 'kind', 'node']) if (ui.log[k]) p.set(k, ui.log[k]);
  const q = p.toString();
  return q ? '#/events?' + q : '#/events';
}

async function loadLog(mine, signal) {
  if (location.hash !== logAddress()) history.replaceState(null, '', logAddress());
  const extra = ui.log.cluster ? {cluster: ui.log.cluster} : {};
  const events = await api('/events?' + eventsQuery(ui.log, extra), {signal});
  if (mine !== nav || ui.route.view !== 'events') return;
  drawEvents('log-rows', 'log', ui.log, events, true);
}

function setLogFilter(key, value) {
  ui.log[key] = value;
  ui.log.cursors = [null];
  refresh();
}

function clearForms() {
  if (!$('ack-form')) return;  // a viewer's page has no forms
  for (const id of ['ack-error', 'maint-error']) show(id, false);
  $('ack-comment').value = '';
  $('ack-until').value = localInput(Date.now() + 4 * 3600_000);
  $('maint-from').value = localInput(Date.now());
  $('maint-until').value = localInput(Date.now() + 3600_000);
  $('maint-reason').value = '';
}

/** Runs an operator's request; a refusal (403 for a viewer, 400 for a bad window) is shown next to its form. */
async function operate(errorId, fn) {
  if (!$(errorId)) errorId = 'message';
  show(errorId, false);
  try {
    await fn();
    await refresh();
    return true;
  } catch (e) {
    setText(errorId, e.detail);
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

function remove(cluster, path, errorId) {
  if (shownCluster() !== cluster) return false;  // a button of a page no longer shown
  return operate(errorId, () => api(path, {method: 'DELETE'}));
}

/** The cluster a form acts on: the one whose answer the page shows, never merely the one in the address. */
function formCluster(errorId) {
  const name = shownCluster();
  if (name === null) {
    setText(errorId, 'This cluster is not shown (unknown, or still loading): nothing to act on.');
    show(errorId, true);
  }
  return name;
}

async function acknowledge(event) {
  event.preventDefault();
  const name = formCluster('ack-error');
  if (name === null) return;
  const ok = await operate('ack-error', () => api(`/clusters/${encodeURIComponent(name)}/acknowledgements`,
    {method: 'POST', body: {comment: $('ack-comment').value.trim(), until: isoOf('ack-until')}}));
  if (ok) $('ack-comment').value = '';
}

async function setMaintenance(event) {
  event.preventDefault();
  const name = formCluster('maint-error');
  if (name === null) return;
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
    if (ui.route.view === 'events' && ui.log.cluster && event.cluster !== ui.log.cluster) return;
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
  for (const id of ['ack-form', 'maint-form']) {
    operatorForms.push({form: $(id), parent: $(id).parentElement});
  }
  setRole(null);
  for (const b of document.querySelectorAll('#clusters button.sort')) {
    b.addEventListener('click', () => setSort(b.dataset.sort));
  }
  for (const select of document.querySelectorAll('select.kind-filter')) {
    select.replaceChildren(h('option', {value: ''}, 'all kinds'), ...KINDS.map((k) => h('option', {value: k}, k)));
  }
  $('history-filters').addEventListener('submit', (e) => e.preventDefault());
  $('history-kind').addEventListener('change', (e) => { ui.hist.kind = e.target.value; ui.hist.cursors = [null]; refresh(); });
  $('history-node').addEventListener('change', (e) => { ui.hist.node = e.target.value; ui.hist.cursors = [null]; refresh(); });
  $('history-older').addEventListener('click', () => turnPage(ui.hist, 'history', true));
  $('history-newer').addEventListener('click', () => turnPage(ui.hist, 'history', false));
  $('log-filters').addEventListener('submit', (e) => e.preventDefault());
  $('log-kind').addEventListener('change', (e) => setLogFilter('kind', e.target.value));
  $('log-cluster').addEventListener('input', debounce((e) => setLogFilter('cluster', e.target.value.trim()), 250));
  $('log-node').addEventListener('input', debounce((e) => setLogFilter('node', e.target.value.trim()), 250));
  $('log-older').addEventListener('click', () => turnPage(ui.log, 'log', true));
  $('log-newer').addEventListener('click', () => turnPage(ui.log, 'log', false));
  window.addEventListener('hashchange', () => { if (token()) route(); });
  window.addEventListener('online', () => stream.retryNow());
  // Relative times age even when nothing happens.
  setInterval(() => {
    for (const t of document.querySelectorAll('time[data-relative]')) t.title = relativeText(t.getAttribute('datetime'));
    for (const r of document.querySelectorAll('[data-relative-of]')) r.textContent = `(${relativeText(r.dataset.relativeOf)})`;
  }, 15000);

  if (!token()) {
    signOut();
    return;
  }
  api('/whoami').then(start).catch((e) => { if (e.status !== 401) signOut(e.detail); });
});
