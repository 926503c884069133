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
const KINDS = ['STATE', 'TRANSITION', 'ACTION', 'ACK', 'MAINTENANCE', 'NODE', 'CONFIG'];

const ui = {
  state: '', q: '', labels: [], sort: 'PROBLEM', page: 0, total: 0,
  // An operator's rows chosen for a batch (kept across pages and refreshes), and the node cards' resource choices.
  selected: new Set(),
  tagChoice: {},
  // The cluster page's answer as drawn: what a confirmation dialog states the effect from.
  shown: null,
  route: {view: 'overview'},
  who: null,
  // The cluster page's history and the event log: filters, and the cursor of every page up to the one shown.
  hist: {cluster: null, kind: '', node: '', cursors: [null]},
  log: {cluster: '', kind: '', node: '', cursors: [null]},
  // The inventory's filters, order and page, as its address says them.
  inv: null,
  // The cluster page's settings table shows only the rows that differ between the nodes.
  settingsDiff: false,
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
  constructor(status, title, detail, type) {
    super(detail || title || ('HTTP ' + status));
    this.status = status;
    this.title = title;
    this.detail = detail || title || ('HTTP ' + status);
    this.type = type || '';
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
  return new ApiError(res.status, title, detail, body && typeof body.type === 'string' ? body.type : '');
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
  for (const id of ['session', 'views', 'overview', 'cluster', 'eventlog', 'inventory', 'message']) show(id, false);
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
  operatorChrome(role === 'OPERATOR');
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

/** The view an address shows. */
function viewOf(hash) {
  if (/^#\/cluster\/./.test(hash)) return 'cluster';
  if (/^#\/events(\?|$)/.test(hash)) return 'events';
  if (/^#\/inventory(\?|$)/.test(hash)) return 'inventory';
  return 'overview';
}

function route() {
  nav += 1;
  if (loads) loads.abort();
  // A dialog asked about the page left behind: it goes with it.
  for (const d of document.querySelectorAll('dialog')) d.close();
  const m = location.hash.match(/^#\/cluster\/(.+)$/);
  const log = location.hash.match(/^#\/events(?:\?(.*))?$/);
  const inv = location.hash.match(/^#\/inventory(?:\?(.*))?$/);
  ui.route = m ? {view: 'cluster', name: decodeURIComponent(m[1])} : log ? {view: 'events'}
    : inv ? {view: 'inventory'} : {view: 'overview'};
  if (inv) {
    ui.inv = inventoryFromAddress(new URLSearchParams(inv[1] || ''));
    inventoryInputs();
  } else if (log) {
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
    ui.labels = p.getAll('label').filter(validLabel);
    ui.sort = ['PROBLEM', 'NAME', 'SINCE'].includes(p.get('sort')) ? p.get('sort') : 'PROBLEM';
    ui.page = Math.max(Number.parseInt(p.get('page'), 10) || 0, 0);
    $('filter-state').value = ui.state;
    $('search').value = ui.q;
    $('filter-label').value = ui.labels.join(' ');
    $('filter-label').removeAttribute('aria-invalid');
    $('sort').value = ui.sort;
    if ($('tile-ALL')) pressTiles();
  }
  show('overview', ui.route.view === 'overview');
  show('cluster', ui.route.view === 'cluster');
  show('eventlog', ui.route.view === 'events');
  show('inventory', ui.route.view === 'inventory');
  for (const [id, view] of [['nav-overview', 'overview'], ['nav-events', 'events'], ['nav-inventory', 'inventory']]) {
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
  } else if (ui.route.view === 'inventory') {
    document.title = 'Inventory — hulft-ark fleet';
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
        } else if (ui.route.view === 'inventory') {
          await loadInventory(mine, controller.signal);
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
  for (const l of ui.labels) p.append('label', l);
  if (ui.sort !== 'PROBLEM') p.set('sort', ui.sort);
  if (ui.page) p.set('page', ui.page);
  const q = p.toString();
  return q ? '#/?' + q : '#/';
}

async function loadClusters(signal) {
  // replaceState: no hashchange, no history entry per keystroke. Only while the address is still the overview's: a
  // link just followed changes it before its hashchange routes, and must not be taken back.
  if (viewOf(location.hash) === 'overview' && location.hash !== overviewAddress()
    && (location.hash || overviewAddress() !== '#/')) {
    history.replaceState(null, '', overviewAddress());
  }
  const p = new URLSearchParams({sort: ui.sort, page: ui.page, size: PAGE_SIZE});
  if (ui.state) p.set('state', ui.state);
  if (ui.q) p.set('q', ui.q);
  for (const l of ui.labels) p.append('label', l);
  const page = await api('/clusters?' + p, {signal});
  ui.total = page.total;
  // Rows are drawn anew; the link that had the focus gets it back.
  const focused = document.activeElement && document.activeElement.closest('#cluster-rows tr');
  const focusedName = focused ? focused.dataset.cluster : null;
  selectColumn(isOperator());
  $('cluster-rows').replaceChildren(...page.items.map(row));
  markSelected();
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
  // An operator's rows start with a checkbox for a batch; a viewer's have none at all.
  const pick = isOperator() ? h('td', {class: 'select'}, h('input', {type: 'checkbox', 'data-select': c.name,
    'aria-label': `Select ${c.name} for a batch`, checked: ui.selected.has(c.name),
    onchange: (e) => { if (e.target.checked) ui.selected.add(c.name); else ui.selected.delete(c.name); markSelected(); }}))
    : null;
  return h('tr', {'data-cluster': c.name, class: 'state-' + c.state},
    pick,
    h('th', {scope: 'row'}, link),
    h('td', {}, badge(c.state)),
    h('td', {class: 'since'}, when(c.since)),
    h('td', {class: 'reason'}, free(c.reason)),
    h('td', {class: 'serving'}, (c.serving || []).join(', ') || h('span', {class: 'muted'}, 'none')),
    h('td', {class: 'node-names'}, (c.nodes || []).join(', ')),
    h('td', {class: 'labels'}, chips(c.labels, true)),
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
  show('warnings-section', false);
  for (const id of ['cluster-reason', 'cluster-facts', 'timeline', 'problems', 'nodes', 'acks', 'windows', 'events',
    'history-info', 'cluster-missing-detail', 'warnings', 'settings-head', 'settings-rows', 'settings-summary',
    'preflights']) {
    $(id).replaceChildren();
  }
  // Another cluster's history starts again at its newest page, with its own nodes to filter by.
  if (ui.hist.cluster !== name) {
    ui.hist = {cluster: name, kind: '', node: '', cursors: [null]};
    $('history-kind').value = '';
    $('history-node').replaceChildren(h('option', {value: ''}, 'all nodes'));
  }
  document.title = `${visibleText(name)} — hulft-ark fleet`;
  ui.shown = null;
  if (follow.cluster !== name) unfollow();
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
  ui.shown = {cluster: c, nodes: d.nodes};
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
  const tags = [...new Set(d.nodes.flatMap((n) => (n.resources || []).map((r) => r.tag)))].sort();
  $('nodes').replaceChildren(...(d.nodes.length ? d.nodes.map((n) => nodeCard(c.name, n, tags, d.nodes))
    : [h('p', {class: 'muted'}, 'No node reported yet.')]));
  drawWarnings(d.warnings || []);
  drawSettings(d.nodes, d.drift || []);
  drawPreflights(d.nodes);
  drawAcks(c.name, d.acknowledgements || []);
  drawWindows(c.name, d.maintenance || []);
  stripOperatorControls();
  nodeChoices(d.nodes.map((n) => n.node));
  drawEvents('events', 'history', ui.hist, page, false);
  show('cluster-loading', false);
  show('cluster-body', true);
  if (follow.cluster !== name) followRunning(name, mine);
}

function nodeCard(cluster, n, tags = [], nodes = []) {
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
    Object.keys(n.labels || {}).length ? h('p', {class: 'labels', 'aria-label': 'labels'}, chips(n.labels, false)) : null,
    isOperator() ? nodeActions(cluster, n, tags, nodes) : null,
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

// ---------- settings side by side and the last preflight (issue 13) ----------

const NOT_SET = '(not set)';

/**
 * A node's own facts, the first rows of the settings table: the drift keys (of no tag) that mark a row, and its
 * value from the node's facts (n.agentVersion also without them). null: the node did not say.
 */
const FACT_ROWS = [
  {key: 'agentVersion', label: 'agent', drift: ['agentVersion'], value: (n, f) => f.agentVersion || n.agentVersion},
  {key: 'os', label: 'OS', drift: ['os', 'osVersion'], value: (n, f) => [f.os, f.osVersion].filter(Boolean).join(' ')},
  {key: 'jvm', label: 'JVM', drift: ['jvm'], value: (n, f) => f.jvm},
  {key: 'lifekeeper', label: 'LifeKeeper', drift: ['lifekeeper.version', 'lifekeeper', 'lifekeeperVersion'],
    value: (n, f) => (f.lifekeeper === true ? f.lifekeeperVersion || 'installed (version not stated)'
      : f.lifekeeper === false ? 'not installed' : null)},
  {key: 'platform', label: 'platform', drift: ['platform'], value: (n, f) => f.platform},
  {key: 'host', label: 'host', drift: ['host'], value: (n, f) => f.host},
];

/** The order people read a kit's settings in: the service, the spec's parameters, hulenv.cnf, the probe, the rest. */
function settingRank(key) {
  if (key === 'service') return 0;
  if (key === 'startType') return 1;
  if (key.startsWith('$')) return 2;
  if (key.startsWith('hulenv.')) return 3;
  if (key === 'probe') return 4;
  if (key.startsWith('LKHULFT_')) return 5;
  if (key.startsWith('hulftark.')) return 6;
  return 7;
}

const bySetting = (a, b) => settingRank(a) - settingRank(b) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The table's rows: the node's facts first, then each resource's settings (grouped by tag). A row drifts exactly
 * when the fleet view's drift list names its key (and tag): a declared per-node key that differs is not marked.
 */
function settingsRows(nodes, drift) {
  const id = (tag, key) => `${tag ?? ''}\u0000${key}`;
  const drifting = new Map(drift.map((d) => [id(d.tag, d.key), d]));
  const used = new Set();
  const rows = [];
  const has = nodes.some((n) => n.facts);
  for (const fr of FACT_ROWS) {
    const items = fr.drift.map((k) => drifting.get(id(null, k))).filter(Boolean);
    items.forEach((d) => used.add(id(d.tag, d.key)));
    if (!has && items.length === 0 && fr.key !== 'agentVersion') continue;
    rows.push({tag: null, key: fr.key, label: fr.label, drift: items,
      values: nodes.map((n) => (n.facts || fr.key === 'agentVersion' ? fr.value(n, n.facts || {}) || null : undefined))});
  }
  // A fact of the node the page has no row for (a key a later fleet view compares): shown as the drift says it.
  for (const d of drift.filter((x) => !x.tag && !used.has(id(null, x.key)))) {
    used.add(id(null, d.key));
    rows.push({tag: null, key: d.key, label: d.key, drift: [d], values: nodes.map((n) => d.values[n.node] ?? null)});
  }
  const settingsOf = (n, tag) => {
    const r = ((n.facts && n.facts.resources) || []).find((x) => x.tag === tag);
    return r ? r.settings || {} : null;
  };
  const tags = [...new Set([...nodes.flatMap((n) => ((n.facts && n.facts.resources) || []).map((r) => r.tag)),
    ...drift.filter((d) => d.tag).map((d) => d.tag)])].sort();
  for (const tag of tags) {
    const keys = new Set(drift.filter((d) => d.tag === tag).map((d) => d.key));
    for (const n of nodes) Object.keys(settingsOf(n, tag) || {}).forEach((k) => keys.add(k));
    for (const key of [...keys].sort(bySetting)) {
      const d = drifting.get(id(tag, key));
      rows.push({tag, key, label: key, drift: d ? [d] : [], values: nodes.map((n) => {
        if (!n.facts) return undefined;
        const s = settingsOf(n, tag);
        return s && Object.hasOwn(s, key) ? s[key] : (d && Object.hasOwn(d.values, n.node) ? d.values[n.node] : null);
      })});
    }
  }
  return {rows, tags};
}

function drawSettings(nodes, drift) {
  const {rows, tags} = settingsRows(nodes, drift);
  const anyFacts = nodes.some((n) => n.facts);
  show('settings-empty', !anyFacts);
  $('settings-head').replaceChildren(h('tr', {}, h('th', {scope: 'col'}, 'Setting'),
    ...nodes.map((n) => h('th', {scope: 'col', 'data-node': n.node}, n.node,
      n.facts ? '' : h('span', {class: 'muted'}, ' (no facts yet)')))));
  const grouped = tags.length > 1;
  const body = [];
  let group = undefined;
  for (const r of rows) {
    if (grouped && r.tag !== group) {
      group = r.tag;
      body.push(h('tr', {class: 'group', 'data-group': r.tag ?? ''},
        h('th', {scope: 'colgroup', colspan: String(nodes.length + 1)}, r.tag === null ? 'node' : `resource ${r.tag}`)));
    }
    // A node that sent no facts yet has nothing to differ with: its cells say so and count for nothing.
    const shown = r.values.filter((v) => v !== undefined).map((v) => v ?? NOT_SET);
    const differs = new Set(shown).size > 1;
    const drifts = r.drift.length > 0;
    // The marker is words, not a colour only: "differs", with the fleet view's own line on hover.
    body.push(h('tr', {'data-key': r.key, 'data-tag': r.tag ?? '', 'data-differs': String(differs || drifts),
      'data-drift': String(drifts), class: drifts ? 'drift' : null},
    h('th', {scope: 'row'}, r.label,
      drifts ? [' ', h('span', {class: 'marker drift', 'data-marker': 'drift',
        title: 'must be equal on every node: ' + r.drift.map((d) => (d.tag && grouped ? d.tag + ' ' : '') + driftLine(d))
          .join('; ')}, '≠ differs')] : null),
    ...r.values.map((v, i) => h('td', {'data-node': nodes[i].node, class: v === null || v === undefined ? 'muted' : null},
      v === undefined ? '—' : v === null ? NOT_SET : free(v)))));
  }
  $('settings-rows').replaceChildren(...body);
  const drifting = rows.filter((r) => r.drift.length).length;
  $('settings-summary').textContent = !anyFacts ? '' : drifting === 0
    ? 'every setting that must be equal is equal on every node'
    : `${drifting} setting${drifting === 1 ? '' : 's'} differ${drifting === 1 ? 's' : ''} between the nodes and must not`;
  $('settings-diff').checked = ui.settingsDiff;
  onlyDifferences();
}

/** "LKHULFT_TIMEOUT: 300 on node-a, 60 on node-b", as DriftItem.line() says it. */
function driftLine(d) {
  return `${d.key}: ` + Object.entries(d.values || {}).map(([node, v]) => `${v} on ${node}`).join(', ');
}

/** With "only differences", rows equal on every node (and groups left empty) are hidden. */
function onlyDifferences() {
  const only = ui.settingsDiff;
  let groupRow = null;
  let groupShown = false;
  const closeGroup = () => { if (groupRow) groupRow.hidden = !groupShown; };
  for (const tr of $('settings-rows').children) {
    if (tr.classList.contains('group')) {
      closeGroup();
      groupRow = tr;
      groupShown = false;
      continue;
    }
    tr.hidden = only && tr.dataset.differs !== 'true';
    if (!tr.hidden) groupShown = true;
  }
  closeGroup();
}

const RESULT_RANK = {FAIL: 0, WARN: 1, OK: 2};
const RESULT_SIGN = {FAIL: '✗', WARN: '!', OK: '✓'};

function resultMark(result) {
  return h('span', {class: 'result', 'data-result': result}, `${RESULT_SIGN[result] || '?'} ${result}`);
}

/** Each node's last preflight: when it ran, its failing rows first, FAIL and WARN marked in words and signs. */
function drawPreflights(nodes) {
  $('preflights').replaceChildren(...nodes.map((n) => {
    const f = n.facts;
    const rows = (f ? f.resources : []).flatMap((r) => (r.preflight || []).map((p) => ({tag: r.tag, ...p})))
      .sort((a, b) => (RESULT_RANK[a.result] ?? 1) - (RESULT_RANK[b.result] ?? 1));
    const failing = rows.filter((r) => r.result === 'FAIL').length;
    const warning = rows.filter((r) => r.result === 'WARN').length;
    const verdict = !f || !f.validatedAt ? h('span', {class: 'muted'}, 'no preflight yet')
      : failing ? h('span', {class: 'result', 'data-result': 'FAIL'}, `✗ ${failing} failing`
        + (warning ? `, ${warning} warning` : ''))
        : warning ? h('span', {class: 'result', 'data-result': 'WARN'}, `! ${warning} warning`)
          : h('span', {class: 'result', 'data-result': 'OK'}, '✓ passes');
    return h('article', {class: 'node preflight', 'data-preflight': n.node, 'data-failing': String(failing)},
      h('h3', {}, n.node, ' ', verdict),
      h('p', {class: 'facts'}, f && f.validatedAt ? ['ran ', when(f.validatedAt, {beside: true})]
        : f ? 'the agent has not run it yet' : 'the agent sent no facts yet'),
      rows.length ? h('div', {class: 'table-wrap'}, h('table', {class: 'preflight-rows'},
        h('thead', {}, h('tr', {}, ...['Resource', 'Check', 'Result', 'Detail'].map((t) => h('th', {scope: 'col'}, t)))),
        h('tbody', {}, ...rows.map((r) => h('tr', {'data-check': r.check, 'data-tag': r.tag, 'data-result': r.result,
          class: 'result-' + r.result},
        h('td', {}, r.tag), h('td', {}, r.check), h('td', {}, resultMark(r.result)),
        h('td', {class: 'what'}, free(r.detail))))))) : null);
  }));
}

function drawWarnings(warnings) {
  $('warnings').replaceChildren(...warnings.map((w) => h('li', {}, free(w))));
  show('warnings-section', warnings.length > 0);
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
  if (viewOf(location.hash) === 'events' && location.hash !== logAddress()) history.replaceState(null, '', logAddress());
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

// ---------- labels ----------
// A label filter is "key=value" (keys as agents may carry them); several, separated by spaces or commas, all apply.

const LABEL = /^[a-z][a-z0-9_]{0,62}=[^\s,=]{1,128}$/;

function validLabel(text) {
  return LABEL.test(text);
}

/** The labels as chips ("site=osaka"); in the table each one (of a single value) filters by itself. */
function chips(labels, filtering) {
  // A space between chips: read and copied as "env=prod site=osaka", not as one word.
  return Object.entries(labels || {}).flatMap(([k, v], i) => {
    const text = `${k}=${v}`;
    const chip = filtering && validLabel(text)
      ? h('button', {type: 'button', class: 'chip', 'data-label': text, title: `only clusters with ${text}`,
        onclick: () => addLabelFilter(text)}, text)
      : h('span', {class: 'chip', 'data-label': text}, text);
    return i === 0 ? [chip] : [' ', chip];
  });
}

/**
 * A labels field's text as its distinct key=value parts; null (the field marked invalid, nothing to apply) when a
 * part is not key=value.
 */
function labelsOf(boxId, text) {
  const parts = String(text).split(/[\s,]+/).filter(Boolean);
  const box = $(boxId);
  if (!parts.every(validLabel)) {
    box.setAttribute('aria-invalid', 'true');
    box.title = 'each label is key=value, e.g. site=osaka';
    return null;
  }
  box.removeAttribute('aria-invalid');
  box.removeAttribute('title');
  return [...new Set(parts)];
}

/** The filter bar's labels field: applied when every part is key=value, otherwise marked invalid and not applied. */
function setLabelFilter(text) {
  const labels = labelsOf('filter-label', text);
  if (!labels) {
    return;
  }
  ui.labels = labels;
  ui.page = 0;
  refresh();
}

function addLabelFilter(text) {
  if (ui.labels.includes(text)) return;
  $('filter-label').value = [...ui.labels, text].join(' ');
  setLabelFilter($('filter-label').value);
}

// ---------- dialogs ----------

/** Tab and Shift-Tab go round the box's controls: the focus never leaves an open dialog. */
function trapTab(e, box) {
  const all = [...box.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')]
    .filter((el) => !el.disabled && el.getClientRects().length > 0);
  if (all.length === 0) return;
  const first = all[0];
  const last = all[all.length - 1];
  if (e.shiftKey && (document.activeElement === first || !box.contains(document.activeElement))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (document.activeElement === last || !box.contains(document.activeElement))) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog, made when opened and taken out of the page when closed: a viewer's page never holds one. Esc and
 * Cancel close it, Tab stays inside, the focus goes back to what opened it. onConfirm throws an ApiError to keep the
 * dialog open with its one-line reason.
 */
function modal({id, title, body, confirmLabel, onConfirm}) {
  const opener = document.activeElement;
  const old = $(id);
  if (old) old.remove();
  const error = h('p', {class: 'error', role: 'alert', id: id + '-error', hidden: true});
  const confirmButton = h('button', {type: 'submit', id: id + '-confirm'}, confirmLabel);
  const cancel = h('button', {type: 'button', class: 'quiet', id: id + '-cancel'}, 'Cancel');
  // No browser bubbles: every refusal is the dialog's own one line.
  const form = h('form', {class: 'dialog-form', novalidate: true}, ...body, error,
    h('div', {class: 'dialog-buttons'}, confirmButton, cancel));
  const dialog = h('dialog', {id, class: 'dialog', 'aria-labelledby': id + '-title', 'aria-modal': 'true'},
    h('h2', {id: id + '-title'}, title), form);
  const close = () => { if (dialog.open) dialog.close(); };
  // A live update may redraw the node cards while the dialog is open: the focus then goes to the button that
  // replaced its opener.
  const again = opener && opener.dataset && opener.dataset.action && opener.dataset.node
    ? `button.act[data-action="${CSS.escape(opener.dataset.action)}"][data-node="${CSS.escape(opener.dataset.node)}"]`
    : null;
  dialog.addEventListener('close', () => {
    dialog.remove();
    const back = opener && opener.isConnected ? opener : again && document.querySelector(again);
    if (back && typeof back.focus === 'function') back.focus();
  });
  dialog.addEventListener('keydown', (e) => { if (e.key === 'Tab') trapTab(e, dialog); });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    confirmButton.disabled = true;
    try {
      await onConfirm();
      close();
    } catch (err) {
      setText(error, err.detail || err.message);
      error.hidden = false;
    } finally {
      confirmButton.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  return {dialog, form, error};
}

/** "node-a", "node-a and node-b", "node-a, node-b and node-c". */
function words(list) {
  return list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

// ---------- actions on one cluster ----------

const NODE_ACTIONS = ['restore', 'remove', 'recover', 'quickCheck'];
const NOT_ALLOWED = "this node's agent does not allow fleet actions (hulftark.agent.fleet-actions.enabled)";

/** The nodes that serve the resource (any resource when tag is null) now: fresh, and RUNNING there. */
function servingNodes(nodes, tag) {
  return nodes.filter((n) => n.fresh && (n.resources || []).some((r) => r.status === 'RUNNING' && (!tag || r.tag === tag)))
    .map((n) => n.node);
}

/**
 * What an action will do, in words, from the page's latest answer; force: it leaves the cluster with no serving
 * node (the API answers 409 needs-force without it).
 */
function effectOf(kind, node, tag, cluster, nodes) {
  const what = tag ? `HULFT (${tag})` : 'HULFT';
  const serving = servingNodes(nodes, tag);
  const others = serving.filter((n) => n !== node);
  const here = serving.includes(node);
  switch (kind) {
    case 'switchover':
      return {force: false, text: others.length
        ? `${what} on ${cluster} will stop on ${words(others)} and start on ${node}`
        : `${what} on ${cluster} will start on ${node} (no node serves it now)`};
    case 'remove':
      if (!here) return {force: false, text: `remove will stop ${what} on ${node}, which does not serve ${cluster} now`};
      return others.length
        ? {force: false, text: `remove will stop ${what} on ${node}; ${words(others)} still serve${others.length > 1 ? '' : 's'} ${cluster}`}
        : {force: true, text: `remove will stop ${what} on ${node}; no node will serve ${cluster}`};
    case 'restore':
      if (here) return {force: false, text: `restore will start ${what} on ${node}, which serves ${cluster} already`};
      return {force: false, text: others.length
        ? `restore will start ${what} on ${node} while ${words(others)} serve${others.length > 1 ? '' : 's'} ${cluster}: both would run it (SPLIT)`
        : `restore will start ${what} on ${node}, which will then serve ${cluster}`};
    case 'recover':
      return {force: false, text: `recover will bring ${what} on ${node} back into service if it failed there (a local recovery)`};
    default:
      return {force: false, text: `quickCheck will check ${what} on ${node} now; nothing is started or stopped`};
  }
}

/** An operator's controls of one node: a resource choice (several resources), its actions, a switchover to it. */
function nodeActions(cluster, n, tags, nodes) {
  const allowed = !!n.fleetActions;
  const hintId = 'hint-' + nodes.indexOf(n);
  let choice = null;
  if (tags.length > 1) {
    choice = h('select', {class: 'tag-choice', 'aria-label': `Resource for the actions on ${n.node}`, disabled: !allowed,
      onchange: (e) => { ui.tagChoice[n.node] = e.target.value; }},
    h('option', {value: ''}, 'every resource'), ...tags.map((t) => h('option', {value: t}, t)));
    choice.value = ui.tagChoice[n.node] || '';
  }
  const open = (kind) => openActionDialog(cluster, kind, n.node, choice && choice.value ? choice.value : null);
  const button = (kind, label) => h('button', {type: 'button', class: 'quiet act', 'data-action': kind,
    'data-node': n.node, disabled: !allowed, 'aria-describedby': allowed ? null : hintId, onclick: () => open(kind)}, label);
  const serving = servingNodes(nodes, null).includes(n.node);
  return h('div', {class: 'node-actions', 'data-node-actions': n.node},
    choice, ...NODE_ACTIONS.map((k) => button(k, k)),
    serving ? null : button('switchover', `Switch over to ${n.node}`),
    allowed ? null : h('p', {class: 'hint muted', id: hintId}, NOT_ALLOWED));
}

function openActionDialog(cluster, kind, node, tag) {
  if (!isOperator() || shownCluster() !== cluster || !ui.shown) return;
  const effect = effectOf(kind, node, tag, cluster, ui.shown.nodes);
  const reason = h('input', {id: 'action-reason', maxlength: '500', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'why: kept in the audit'});
  const force = h('input', {type: 'checkbox', id: 'action-force'});
  const forceRow = h('p', {class: 'force', id: 'action-force-row', hidden: !effect.force},
    h('label', {for: 'action-force'}, force, ` force: I know that no node will serve ${cluster}`));
  const title = kind === 'switchover' ? `Switch ${cluster} over to ${node}?` : `${kind} on ${node}?`;
  const {dialog} = modal({id: 'action-dialog', title, confirmLabel: kind === 'switchover' ? 'Switch over' : `Run ${kind}`,
    body: [h('p', {id: 'action-effect', class: 'effect'}, effect.text), forceRow,
      h('label', {for: 'action-reason'}, 'Reason'), reason],
    onConfirm: async () => {
      if (shownCluster() !== cluster) throw new ApiError(0, 'Not shown', `${cluster} is not shown any more: nothing was asked`);
      if (!forceRow.hidden && !force.checked) {
        throw new ApiError(0, 'Needs force', `tick force: this leaves ${cluster} with no serving node`);
      }
      const body = {action: kind, node, force: !forceRow.hidden && force.checked};
      if (tag) body.tag = tag;
      if (reason.value.trim()) body.reason = reason.value.trim();
      try {
        followAction(cluster, await api(`/clusters/${encodeURIComponent(cluster)}/actions`, {method: 'POST', body}));
      } catch (e) {
        // The fleet view knows better than this page's last answer: its 409 needs-force shows the force box.
        if (e.type.endsWith('needs-force')) forceRow.hidden = false;
        throw e;
      }
    }});
  dialog.querySelector('#action-reason').focus();
}

// The fleet action the cluster page follows: refetched on the stream's ACTION events of its cluster until it ends.
const follow = {cluster: null, id: null, timer: null};
const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

function unfollow() {
  follow.cluster = null;
  follow.id = null;
  clearTimeout(follow.timer);
  follow.timer = null;
  $('action-progress').replaceChildren();
  show('action-progress', false);
}

function followAction(cluster, action, reveal = true) {
  unfollow();
  follow.cluster = cluster;
  follow.id = action.id;
  drawAction(action);
  if (reveal) $('action-progress').scrollIntoView({block: 'nearest'});
}

/**
 * A fleet action under way on the cluster (asked by anyone, from anywhere) is followed on its page too: a viewer
 * sees it move, and an operator learns why a new one would be refused. The newest action only, and only while it runs.
 */
async function followRunning(cluster, mine) {
  let newest;
  try {
    newest = await api(`/actions?cluster=${encodeURIComponent(cluster)}&limit=1`);
  } catch (e) {
    return;  // the page stands without it
  }
  if (mine !== nav || shownCluster() !== cluster || follow.cluster === cluster) return;
  const a = Array.isArray(newest) ? newest[0] : null;
  if (a && !ENDED.includes(a.state)) followAction(cluster, a, false);
}

async function refetchAction() {
  const id = follow.id;
  if (!id) return;
  try {
    const a = await api('/actions/' + encodeURIComponent(id));
    if (follow.id === id) drawAction(a);
  } catch (e) {
    if (follow.id === id && !e.aborted) {
      setText('action-progress-error', e.detail);
      show('action-progress-error', true);
    }
  }
}

const refetchActionSoon = debounce(refetchAction, 150);

function drawAction(a) {
  clearTimeout(follow.timer);
  const ended = ENDED.includes(a.state);
  const what = a.action === 'switchover' ? `switchover${a.node ? ' to ' + a.node : ''}`
    : `${a.action}${a.node ? ' on ' + a.node : ''}`;
  const steps = (a.steps || []).map((s) => h('tr', {'data-step': s.id, 'data-state': s.state},
    h('td', {class: 'node'}, s.node), h('td', {}, s.action, s.rollback ? ' (rollback)' : ''),
    h('td', {}, h('span', {class: 'step-state', 'data-state': s.state}, s.state)),
    h('td', {}, s.exitCode === null || s.exitCode === undefined ? '' : String(s.exitCode)),
    h('td', {}, s.durationMillis === null || s.durationMillis === undefined ? '' : `${(s.durationMillis / 1000).toFixed(1)} s`),
    h('td', {class: 'what'}, ...(s.messages || []).map((m) => h('div', {}, free(m))))));
  $('action-progress').replaceChildren(
    h('h2', {}, 'Fleet action'),
    h('p', {id: 'action-summary'}, `${what}${a.tag ? ' (' + a.tag + ')' : ''} by ${a.requestedBy}: `,
      h('strong', {id: 'action-state', 'data-state': a.state}, a.state), a.reason ? [' · reason: ', free(a.reason)] : ''),
    a.detail ? h('p', {id: 'action-detail', class: ended && a.state !== 'SUCCEEDED' ? 'error' : 'muted'}, free(a.detail)) : null,
    h('div', {class: 'table-wrap'}, h('table', {class: 'steps'},
      h('thead', {}, h('tr', {}, ...['Node', 'Action', 'State', 'Exit', 'Duration', 'Messages']
        .map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {id: 'action-steps'}, steps))),
    h('p', {id: 'action-progress-error', class: 'error', role: 'alert', hidden: true}),
    ended && isOperator() ? h('button', {type: 'button', class: 'quiet', id: 'action-close', onclick: unfollow}, 'Close') : null);
  $('action-progress').dataset.action = a.id;
  $('action-progress').dataset.state = a.state;
  show('action-progress', true);
  // The stream drives it; a slow poll only covers a stream that is down.
  if (!ended) follow.timer = setTimeout(refetchAction, 5000);
}

document.addEventListener('fleet-event', (e) => {
  const ev = e.detail || {};
  if (follow.id && ev.kind === 'ACTION' && ev.cluster === follow.cluster) refetchActionSoon();
});

// ---------- batches over the cluster table ----------

/** The operator's parts of the overview: the checkbox column's header and the Batch… bar; none for a viewer. */
function operatorChrome(operator) {
  selectColumn(operator);
  const bar = $('batch-bar');
  if (operator && !bar) {
    $('filters').after(h('div', {id: 'batch-bar', class: 'batch-bar'},
      h('button', {type: 'button', id: 'batch-open', onclick: openBatchDialog}, 'Batch…'),
      h('span', {id: 'selected-count', class: 'muted', 'aria-live': 'polite'})));
    markSelected();
  } else if (!operator) {
    if (bar) bar.remove();
    for (const d of document.querySelectorAll('dialog')) d.remove();
    for (const cell of document.querySelectorAll('#cluster-rows td.select')) cell.remove();
    ui.selected.clear();
    stopBatch();
    unfollow();
  }
}

function selectColumn(operator) {
  const head = document.querySelector('#clusters thead tr');
  const th = $('select-all-col');
  if (operator && !th) {
    head.prepend(h('th', {scope: 'col', id: 'select-all-col', class: 'select'},
      h('input', {type: 'checkbox', id: 'select-all', 'aria-label': 'Select every cluster on this page',
        onchange: (e) => {
          for (const box of document.querySelectorAll('#cluster-rows input[data-select]')) {
            box.checked = e.target.checked;
            if (e.target.checked) ui.selected.add(box.dataset.select);
            else ui.selected.delete(box.dataset.select);
          }
          markSelected();
        }})));
  } else if (!operator && th) {
    th.remove();
  }
}

function markSelected() {
  if (!$('selected-count')) return;
  $('selected-count').textContent = ui.selected.size ? `${ui.selected.size} selected` : '';
  const boxes = [...document.querySelectorAll('#cluster-rows input[data-select]')];
  if ($('select-all')) $('select-all').checked = boxes.length > 0 && boxes.every((b) => b.checked);
}

const BATCH_ACTIONS = [['switchover', 'switchover to the standby'], ['quickCheck', 'quickCheck'], ['restore', 'restore'],
  ['remove', 'remove'], ['recover', 'recover']];

/** "quickCheck on 12 clusters, 2 at a time, stop at the first failure". */
function batchSummary(action, node, count, concurrency, stopOnFailure, pauseSeconds) {
  const what = action === 'switchover' ? 'switchover to the standby'
    : action === 'quickCheck' ? `quickCheck${node ? ' on ' + node : ''}` : `${action}${node ? ' on ' + node : ''}`;
  return `${what} on ${count} cluster${count === 1 ? '' : 's'}, ${concurrency} at a time, `
    + (stopOnFailure ? 'stop at the first failure' : 'go on after a failure')
    + (pauseSeconds > 0 ? `, ${pauseSeconds} s between clusters` : '');
}

function openBatchDialog() {
  if (!isOperator()) return;
  const selected = [...ui.selected].sort();
  const field = (id, label, input) => [h('label', {for: id}, label), input];
  const scopeSelected = h('input', {type: 'radio', name: 'batch-scope', id: 'batch-scope-selected', value: 'selected',
    checked: selected.length > 0, disabled: selected.length === 0});
  const scopeFilter = h('input', {type: 'radio', name: 'batch-scope', id: 'batch-scope-filter', value: 'filter',
    checked: selected.length === 0});
  const action = h('select', {id: 'batch-action'}, ...BATCH_ACTIONS.map(([v, t]) => h('option', {value: v}, t)));
  const node = h('input', {id: 'batch-node', maxlength: '64', autocomplete: 'off', spellcheck: 'false', placeholder: 'node-a'});
  const tag = h('input', {id: 'batch-tag', maxlength: '64', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'every resource'});
  const concurrency = h('input', {id: 'batch-concurrency', type: 'number', min: '1', max: '50', value: '1'});
  const stop = h('input', {type: 'checkbox', id: 'batch-stop', checked: true});
  const pause = h('input', {id: 'batch-pause', type: 'number', min: '0', max: '3600', value: '0'});
  const force = h('input', {type: 'checkbox', id: 'batch-force'});
  const reason = h('input', {id: 'batch-reason', maxlength: '500', autocomplete: 'off', placeholder: 'why: kept in the audit'});
  const summary = h('p', {id: 'batch-summary', class: 'effect', 'aria-live': 'polite'});
  const filterWords = [ui.state && `state ${ui.state}`, ui.q && `“${ui.q}”`, ...ui.labels].filter(Boolean).join(', ');
  const count = () => (scopeSelected.checked ? selected.length : ui.total);
  const needsNode = () => ['restore', 'remove', 'recover'].includes(action.value);
  const update = () => {
    node.required = needsNode();
    node.placeholder = action.value === 'switchover' ? 'the standby' : action.value === 'quickCheck' ? 'every node' : 'node-a';
    summary.textContent = batchSummary(action.value, node.value.trim(), count(), Number(concurrency.value) || 1,
      stop.checked, Number(pause.value) || 0);
  };
  const {dialog, form} = modal({id: 'batch-dialog', title: 'Batch action', confirmLabel: 'Start batch',
    body: [
      h('fieldset', {class: 'scope'}, h('legend', {}, 'Clusters'),
        h('label', {for: 'batch-scope-selected'}, scopeSelected, ` the ${selected.length} selected`),
        h('label', {for: 'batch-scope-filter'}, scopeFilter,
          ` every cluster that matches the filter (${ui.total}${filterWords ? ': ' + filterWords : ': all clusters'})`)),
      h('div', {class: 'grid'},
        ...field('batch-action', 'Action', action), ...field('batch-node', 'Node', node),
        ...field('batch-tag', 'Resource', tag), ...field('batch-concurrency', 'At a time', concurrency),
        ...field('batch-pause', 'Pause (s)', pause), ...field('batch-reason', 'Reason', reason)),
      h('p', {class: 'check'}, h('label', {for: 'batch-stop'}, stop, ' stop at the first failure')),
      h('p', {class: 'check'}, h('label', {for: 'batch-force'}, force, ' force (even when a cluster is left with no serving node)')),
      summary],
    onConfirm: async () => {
      if (needsNode() && !node.value.trim()) throw new ApiError(0, 'Node', `${action.value} needs the node to run on`);
      const selection = scopeSelected.checked ? {clusters: selected} : {
        ...(ui.state ? {state: ui.state} : {}), ...(ui.q ? {q: ui.q} : {}),
        ...(ui.labels.length ? {labels: Object.fromEntries(ui.labels.map((l) => l.split('=')))} : {})};
      const body = {action: action.value, node: node.value.trim() || null, tag: tag.value.trim() || null,
        force: force.checked, reason: reason.value.trim() || null, selection,
        concurrency: Number(concurrency.value) || 1, stopOnFailure: stop.checked, pauseSeconds: Number(pause.value) || 0};
      followBatch(await api('/batches', {method: 'POST', body}));
    }});
  for (const el of [scopeSelected, scopeFilter, action, node, concurrency, stop, pause]) {
    el.addEventListener('input', update);
    el.addEventListener('change', update);
  }
  update();
  action.focus();
  return dialog;
}

// The batch the overview follows: polled every second while it runs.
const batch = {id: null, timer: null};
const BATCH_ENDED = ['SUCCEEDED', 'FAILED', 'STOPPED', 'CANCELLED'];

function stopBatch() {
  clearTimeout(batch.timer);
  batch.timer = null;
  batch.id = null;
  if ($('batch-panel')) {
    $('batch-panel').replaceChildren();
    show('batch-panel', false);
  }
}

function followBatch(b) {
  stopBatch();
  batch.id = b.id;
  drawBatch(b);
}

async function pollBatch() {
  const id = batch.id;
  if (!id) return;
  try {
    const b = await api('/batches/' + encodeURIComponent(id));
    if (batch.id === id) drawBatch(b);
  } catch (e) {
    if (batch.id !== id) return;
    setText('batch-error', e.detail);
    show('batch-error', true);
    batch.timer = setTimeout(pollBatch, 1000);
  }
}

async function batchControl(verb) {
  const id = batch.id;
  if (!id) return;
  show('batch-error', false);
  try {
    await api(`/batches/${encodeURIComponent(id)}/${verb}`, {method: 'POST'});
  } catch (e) {
    setText('batch-error', e.detail);
    show('batch-error', true);
  }
  await pollBatch();
}

function drawBatch(b) {
  clearTimeout(batch.timer);
  // A cancelled batch still waits for the actions it had started: followed until its end.
  const ended = BATCH_ENDED.includes(b.state);
  const over = ended && !!b.endedAt;
  const done = (b.succeeded || 0) + (b.failed || 0);
  const control = (verb, label) => h('button', {type: 'button', class: 'quiet', id: 'batch-' + verb,
    onclick: () => batchControl(verb)}, label);
  $('batch-panel').replaceChildren(
    h('h2', {}, 'Batch ', h('span', {id: 'batch-id'}, b.id), ': ',
      batchSummary(b.action, b.node, b.total, b.concurrency, b.stopOnFailure, b.pauseSeconds)),
    h('p', {id: 'batch-counts'}, h('strong', {id: 'batch-state', 'data-state': b.state}, b.state),
      ` · ${done} of ${b.total} done: ${b.succeeded} succeeded, ${b.failed} failed, ${b.running} running, `
      + `${b.pending} pending`),
    h('div', {class: 'batch-controls'},
      b.state === 'RUNNING' ? control('pause', 'Pause') : null,
      b.state === 'PAUSED' ? control('resume', 'Resume') : null,
      ended ? h('button', {type: 'button', class: 'quiet', id: 'batch-close', onclick: stopBatch}, 'Close')
        : control('cancel', 'Cancel')),
    h('p', {id: 'batch-error', class: 'error', role: 'alert', hidden: true}),
    h('ul', {class: 'batch-clusters items'}, ...(b.clusters || []).map((c) => h('li', {'data-cluster': c.cluster,
      'data-state': c.state}, h('a', {href: '#/cluster/' + encodeURIComponent(c.cluster)}, c.cluster), ': ', c.state,
    c.detail ? [' · ', free(c.detail)] : ''))));
  $('batch-panel').dataset.batch = b.id;
  $('batch-panel').dataset.state = b.state;
  show('batch-panel', true);
  if (!over) batch.timer = setTimeout(pollBatch, 1000);
}

// ---------- the inventory (issue 13) ----------

const INV_SORTS = ['cluster', 'node', 'agentVersion', 'os', 'jvm', 'lifekeeper', 'receivedAt'];
const FACETS = ['agentVersion', 'os', 'jvm', 'lifekeeper'];
const INV_LIMIT = 50;
// What the counts and the filters call a missing value, and a node without LifeKeeper (InventoryQuery).
const UNKNOWN = '(unknown)';
const NONE = '(none)';

/** "12 nodes run agent 0.1": what a count says, per facet. */
const FACET_WORDS = {
  agentVersion: {title: 'Agent', what: (v) => (v === UNKNOWN ? 'an agent of unknown version' : `agent ${v}`)},
  os: {title: 'OS', what: (v) => (v === UNKNOWN ? 'an unknown OS' : v)},
  jvm: {title: 'JVM', what: (v) => (v === UNKNOWN ? 'an unknown JVM' : `JVM ${v}`)},
  lifekeeper: {title: 'LifeKeeper', what: (v) => (v === UNKNOWN ? 'LifeKeeper of unknown version' : `LifeKeeper ${v}`)},
};

function countText(facet, value, n) {
  const nodes = `${n} node${n === 1 ? '' : 's'}`;
  if (facet === 'lifekeeper' && value === NONE) return `${nodes} without LifeKeeper`;
  return `${nodes} run${n === 1 ? 's' : ''} ${FACET_WORDS[facet].what(value)}`;
}

function inventoryFromAddress(p) {
  const limit = Number.parseInt(p.get('limit'), 10);
  return {
    q: p.get('q') || '', cluster: p.get('cluster') || '',
    agentVersion: p.get('agentVersion') || '', os: p.get('os') || '', jvm: p.get('jvm') || '',
    lifekeeper: p.get('lifekeeper') || '',
    labels: p.getAll('label').filter(validLabel),
    readiness: ['true', 'false'].includes(p.get('readiness')) ? p.get('readiness') : '',
    sort: INV_SORTS.includes(p.get('sort')) ? p.get('sort') : 'cluster',
    order: p.get('order') === 'desc' ? 'desc' : 'asc',
    offset: Math.max(Number.parseInt(p.get('offset'), 10) || 0, 0),
    limit: limit >= 1 && limit <= 1000 ? limit : INV_LIMIT,
  };
}

/** The filters (and the order) as the API takes them; with the page, for the table, without, for the CSV. */
function inventoryParams(withPage) {
  const inv = ui.inv;
  const p = new URLSearchParams();
  for (const k of ['q', 'cluster', ...FACETS]) if (inv[k]) p.set(k, inv[k]);
  for (const l of inv.labels) p.append('label', l);
  if (inv.readiness) p.set('readiness', inv.readiness);
  p.set('sort', inv.sort);
  p.set('order', inv.order);
  if (withPage) {
    p.set('offset', inv.offset);
    p.set('limit', inv.limit);
  }
  return p;
}

/** The page's address: its filters, order and page, defaults left out, so a filtered list can be linked to. */
function inventoryAddress() {
  const p = inventoryParams(false);
  if (ui.inv.sort === 'cluster') p.delete('sort');
  if (ui.inv.order === 'asc') p.delete('order');
  if (ui.inv.offset) p.set('offset', ui.inv.offset);
  if (ui.inv.limit !== INV_LIMIT) p.set('limit', ui.inv.limit);
  const q = p.toString();
  return q ? '#/inventory?' + q : '#/inventory';
}

function inventoryInputs() {
  const inv = ui.inv;
  // A field being typed in keeps what was typed (a trailing space is the start of the next word).
  const put = (id, value) => { if (document.activeElement !== $(id)) $(id).value = value; };
  put('inv-q', inv.q);
  put('inv-cluster', inv.cluster);
  for (const f of FACETS) facetChoices(f, null);
  $('inv-readiness').value = inv.readiness;
  if (document.activeElement !== $('inv-label')) {
    $('inv-label').value = inv.labels.join(' ');
    $('inv-label').removeAttribute('aria-invalid');
  }
  const limit = $('inv-limit');
  if (![...limit.options].some((o) => o.value === String(inv.limit))) {
    limit.append(h('option', {value: String(inv.limit)}, String(inv.limit)));
  }
  limit.value = String(inv.limit);
}

/** A facet's choices: "any" and every value counted (its count beside it); the chosen one stays chosen. */
function facetChoices(facet, counts) {
  const select = $('inv-' + facet);
  const values = counts ? Object.keys(counts) : [...select.options].slice(1).map((o) => o.value);
  const chosen = ui.inv[facet];
  if (chosen && !values.includes(chosen)) values.push(chosen);
  const label = (v) => (counts && counts[v] !== undefined ? `${v} (${counts[v]})` : v);
  const now = [...select.options].map((o) => o.value + '\u0000' + o.textContent).join('\n');
  const next = [h('option', {value: ''}, 'any'), ...values.map((v) => h('option', {value: v}, label(v)))];
  if (now !== next.map((o) => o.value + '\u0000' + o.textContent).join('\n')) select.replaceChildren(...next);
  select.value = chosen;
}

function setInventory(changes) {
  Object.assign(ui.inv, changes, 'offset' in changes ? {} : {offset: 0});
  inventoryInputs();
  refresh();
}

async function loadInventory(mine, signal) {
  if (viewOf(location.hash) === 'inventory' && location.hash !== inventoryAddress()) {
    history.replaceState(null, '', inventoryAddress());
  }
  const [counts, page] = await Promise.all([api('/inventory/counts', {signal}),
    api('/inventory?' + inventoryParams(true), {signal})]);
  if (mine !== nav || ui.route.view !== 'inventory') return;
  show('inv-error', false);
  drawCounts(counts);
  drawInventory(page);
}

function drawCounts(counts) {
  const group = (facet) => {
    const entries = Object.entries(counts[facet] || {});
    return h('section', {class: 'count-group', 'data-facet': facet, 'aria-label': FACET_WORDS[facet].title},
      h('h2', {}, FACET_WORDS[facet].title),
      entries.length ? h('ul', {class: 'items'}, ...entries.map(([v, n]) => h('li', {},
        h('button', {type: 'button', class: 'count-item quiet', 'data-facet': facet, 'data-value': v, 'data-count': n,
          'aria-pressed': String(ui.inv[facet] === v),
          title: ui.inv[facet] === v ? 'list every node again' : 'list these nodes',
          onclick: () => setInventory({[facet]: ui.inv[facet] === v ? '' : v})}, countText(facet, v, n)))))
        : h('p', {class: 'muted'}, 'none'));
  };
  // Counts are drawn anew: the one that had the focus gets it back (live updates come at any time).
  const focused = document.activeElement && document.activeElement.closest('#inventory-counts .count-item');
  const again = focused ? [focused.dataset.facet, focused.dataset.value] : null;
  $('inventory-counts').replaceChildren(
    h('p', {class: 'count-total', id: 'inventory-known'}, `${counts.total} known node${counts.total === 1 ? '' : 's'}`),
    ...FACETS.map(group));
  if (again) {
    const b = [...document.querySelectorAll('#inventory-counts .count-item')]
      .find((x) => x.dataset.facet === again[0] && x.dataset.value === again[1]);
    if (b) b.focus();
  }
  for (const f of FACETS) facetChoices(f, counts[f] || {});
}

function inventoryRow(n) {
  const page = '#/cluster/' + encodeURIComponent(n.cluster);
  const dash = () => h('span', {class: 'muted'}, '—');
  const lk = n.lifekeeper === false ? 'none' : n.lifekeeperVersion || (n.lifekeeper ? 'installed' : null);
  const preflight = n.readinessFailures > 0
    ? h('span', {class: 'result', 'data-result': 'FAIL'}, `✗ ${n.readinessFailures} failing`)
    : n.validatedAt ? h('span', {class: 'result', 'data-result': 'OK'}, '✓ passes')
      : h('span', {class: 'muted'}, 'not yet');
  return h('tr', {'data-cluster': n.cluster, 'data-node': n.node},
    h('td', {class: 'cluster'}, h('a', {href: page}, n.cluster)),
    h('td', {class: 'node'}, h('a', {href: page, title: `${n.node}'s cluster`}, n.node)),
    h('td', {'data-col': 'agentVersion'}, n.agentVersion || dash()),
    h('td', {'data-col': 'os'}, [n.os, n.osVersion].filter(Boolean).join(' ') || dash()),
    h('td', {'data-col': 'jvm'}, n.jvm || dash()),
    h('td', {'data-col': 'lifekeeper'}, lk || dash()),
    h('td', {'data-col': 'host'}, n.host || dash()),
    h('td', {'data-col': 'preflight'}, preflight,
      n.drifting ? [' ', h('span', {class: 'marker drift', 'data-marker': 'drift',
        title: "a setting differs between this cluster's nodes"}, '≠ drift')] : null),
    h('td', {class: 'when', 'data-col': 'receivedAt'}, when(n.receivedAt),
      n.fresh ? null : [' ', h('span', {class: 'fresh no'}, 'silent')]));
}

function drawInventory(page) {
  $('inventory-rows').replaceChildren(...page.nodes.map(inventoryRow));
  show('inventory-empty', page.nodes.length === 0);
  const from = page.nodes.length === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.nodes.length;
  $('inv-info').textContent = `${from}–${to} of ${page.total}`;
  $('inv-info').dataset.total = String(page.total);
  $('inv-prev').disabled = page.offset === 0;
  $('inv-next').disabled = to >= page.total;
  // The CSV holds every node of the filter, in the table's order, not only this page.
  $('inventory-csv').href = API + '/inventory?' + inventoryParams(false) + '&format=csv';
  for (const th of document.querySelectorAll('#inventory-table th[data-sort]')) {
    th.setAttribute('aria-sort', th.dataset.sort !== ui.inv.sort ? 'none'
      : ui.inv.order === 'asc' ? 'ascending' : 'descending');
  }
}

function sortInventory(sort) {
  // The column sorted by turns round; another starts ascending (the latest report: newest first).
  const order = ui.inv.sort === sort ? (ui.inv.order === 'asc' ? 'desc' : 'asc') : sort === 'receivedAt' ? 'desc' : 'asc';
  setInventory({sort, order});
}

function turnInventory(forward) {
  const offset = forward ? ui.inv.offset + ui.inv.limit : Math.max(ui.inv.offset - ui.inv.limit, 0);
  setInventory({offset});
}

function setInventoryLabels(text) {
  const labels = labelsOf('inv-label', text);
  if (labels) {
    setInventory({labels});
  }
}

/** The CSV link carries the token as a header (a plain link cannot): fetched, then saved from memory. */
async function downloadCsv(event) {
  event.preventDefault();
  show('inv-error', false);
  try {
    const res = await fetch(event.currentTarget.getAttribute('href'), {headers: {'Authorization': 'Bearer ' + token(),
      'Accept': 'text/csv, application/problem+json'}});
    if (!res.ok) throw await problemOf(res);
    const url = URL.createObjectURL(await res.blob());
    const save = h('a', {href: url, download: 'inventory.csv', hidden: true});
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    setText('inv-error', e.detail || e.message);
    show('inv-error', true);
  }
}

function wireInventory() {
  ui.inv = inventoryFromAddress(new URLSearchParams());
  $('inv-filters').addEventListener('submit', (e) => e.preventDefault());
  $('inv-q').addEventListener('input', debounce((e) => setInventory({q: e.target.value.trim()}), 250));
  $('inv-cluster').addEventListener('input', debounce((e) => setInventory({cluster: e.target.value.trim()}), 250));
  for (const f of FACETS) $('inv-' + f).addEventListener('change', (e) => setInventory({[f]: e.target.value}));
  $('inv-readiness').addEventListener('change', (e) => setInventory({readiness: e.target.value}));
  $('inv-label').addEventListener('input', debounce((e) => setInventoryLabels(e.target.value), 300));
  $('inv-limit').addEventListener('change', (e) => setInventory({limit: Number(e.target.value) || INV_LIMIT}));
  $('inv-clear').addEventListener('click', () => setInventory({q: '', cluster: '', agentVersion: '', os: '', jvm: '',
    lifekeeper: '', labels: [], readiness: ''}));
  $('inv-prev').addEventListener('click', () => turnInventory(false));
  $('inv-next').addEventListener('click', () => turnInventory(true));
  $('inventory-csv').addEventListener('click', downloadCsv);
  for (const b of document.querySelectorAll('#inventory-table button.sort')) {
    b.addEventListener('click', () => sortInventory(b.dataset.sort));
  }
  $('settings-diff').addEventListener('change', (e) => { ui.settingsDiff = e.target.checked; onlyDifferences(); });
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
  $('filter-label').addEventListener('input', debounce((e) => setLabelFilter(e.target.value), 300));
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
  wireInventory();
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
