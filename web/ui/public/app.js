// The web UI's core: building the page from data, the gateway's API, the member's key and
// session, signing transactions, the live event stream, and the router. The pages are in
// pages-*.js. Data only ever reaches the page as text (textContent, attributes): nothing a
// member wrote can be read as markup.
'use strict';

const PM = (() => {
  // ---- Elements ----------------------------------------------------------------------------
  // h('p', {class: 'x', onclick: fn}, 'text', child, [more children]) — strings become text.
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on') && typeof value === 'function') {
        node.addEventListener(name.slice(2), value);
      } else if (name === 'class') {
        node.className = value;
      } else if (name === 'value' && 'value' in node) {
        node.value = value;
      } else if (name === 'checked' || name === 'selected' || name === 'disabled') {
        node[name] = !!value;
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    append(node, children);
    return node;
  }
  function append(node, children) {
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      if (Array.isArray(c)) append(node, c);
      else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  // Element.append writes "null" for a missing child; the pages pass optional parts inline
  // (cond ? part : null), so every append in the UI skips what is missing.
  const nativeAppend = Element.prototype.append;
  Element.prototype.append = function (...children) {
    nativeAppend.apply(this, children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
  };
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  let fieldCount = 0;
  // A labelled form field: the label is tied to the control for screen readers and clicks.
  function field(label, control, hint) {
    const id = control.id || 'f' + ++fieldCount;
    control.id = id;
    const hintNode = hint ? h('small', { class: 'hint', id: id + '-hint' }, hint) : null;
    if (hintNode) control.setAttribute('aria-describedby', id + '-hint');
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintNode);
  }
  function select(options, value, attrs) {
    return h('select', attrs || {},
      options.map(([v, text, disabled]) =>
        h('option', { value: v, selected: String(v) === String(value), disabled }, text)));
  }

  // ---- Formatting --------------------------------------------------------------------------
  let currency = 'EUR';
  const moneyFormat = () => new Intl.NumberFormat(undefined, { style: 'currency', currency });
  // Amounts are integer minor units (cents).
  const money = (minor) => (typeof minor === 'number' ? moneyFormat().format(minor / 100) : '–');
  const kwh = (wh) => (typeof wh === 'number' ? (wh / 1000).toFixed(wh < 10000 ? 2 : 1) + ' kWh' : '–');
  const kw = (w) => (typeof w === 'number' ? (w / 1000).toFixed(1) + ' kW' : '–');
  const dateTime = (ms) => new Date(ms).toLocaleString(undefined,
    { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const time = (ms) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const day = (ms) => new Date(ms).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
  function duration(ms) {
    const m = Math.max(0, Math.round(ms / 60000));
    if (m < 60) return m + ' min';
    const hrs = Math.floor(m / 60);
    return hrs + ' h' + (m % 60 ? ' ' + (m % 60) + ' min' : '');
  }
  function distance(m) {
    if (typeof m !== 'number') return '';
    return m < 1000 ? Math.round(m / 10) * 10 + ' m' : (m / 1000).toFixed(1) + ' km';
  }
  const shortKey = (hex) => (hex ? hex.slice(0, 8) + '…' : '');
  const CONNECTORS = { 1: 'Type 2', 2: 'CCS2', 3: 'CCS1', 4: 'CHAdeMO', 5: 'GB/T', 6: 'NACS' };
  const AMENITIES = [[1, 'Covered'], [2, 'Lit at night'], [4, 'Wheelchair access'], [8, 'Toilet'],
    [16, 'Café nearby'], [32, 'Wi-Fi'], [64, 'Cable attached']];
  const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const BOOKING_STATUS = { 1: 'Booked', 2: 'Charging', 3: 'Completed', 4: 'Cancelled', 5: 'No-show' };
  const MEMBER_STATUS = { 1: 'Waiting for verification', 2: 'Verified', 3: 'Rejected', 4: 'Suspended',
    5: 'Retired', 6: 'Moved to a new key' };
  const ROLES = { 1: 'Driver', 2: 'Pile owner', 3: 'Admin' };
  const LIVE = { available: ['Free now', 'ok'], occupied: ['In use', 'info'], faulted: ['Out of order', 'bad'],
    offline: ['Offline', 'idle'] };

  // ---- Bytes and hashes --------------------------------------------------------------------
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  function unhex(text) {
    const clean = String(text).trim().toLowerCase();
    if (!/^([0-9a-f]{2})*$/.test(clean)) throw new Error('not hex');
    const out = new Uint8Array(clean.length / 2);
    for (let i = 0; i < out.length; ++i) out[i] = parseInt(clean.substr(i * 2, 2), 16);
    return out;
  }
  const utf8 = (text) => new TextEncoder().encode(text);
  async function sha256(bytes) {
    if (!crypto.subtle) throw new PMError('insecure', 'Open the gateway over https:// (or on this device) to sign.');
    return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  }
  const randomHex = (n) => hex(crypto.getRandomValues(new Uint8Array(n)));

  // Checks a Merkle inclusion proof of the ledger (RFC 6962 trees, merkle.hpp): the item's
  // leaf hashed up its audit path must give the root. True or false; never throws for a bad proof.
  async function merkleVerify(itemHex, proof, rootHex) {
    const node = async (prefix, a, b) => sha256(new Uint8Array([prefix, ...a, ...(b || [])]));
    let fn = proof.index, sn = proof.leaf_count - 1;
    if (!(fn >= 0 && fn <= sn)) return false;
    let r = await node(0, unhex(itemHex));
    for (const siblingHex of proof.path) {
      const p = unhex(siblingHex);
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await node(1, p, r);
        if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await node(1, r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && hex(r) === rootHex;
  }

  // ---- API ---------------------------------------------------------------------------------
  class PMError extends Error {
    constructor(code, message, status) {
      super(message);
      this.code = code;
      this.status = status || 0;
    }
  }
  // Every answer of the API is JSON; an error is {"error": {"code", "message"}} and its message
  // already says what to do.
  async function api(method, path, body) {
    try {
      return await request(method, path, body);
    } catch (e) {
      // The session ended under the page (12 hours passed, or the gateway restarted): a
      // neighbour signs in again with this browser's key and the request is repeated once; the
      // owner, whose key is on the gateway, is asked for the password.
      const expired = e.code === 'not_logged_in' || e.code === 'csrf';
      if (!expired || (!session.member && !relogin) || path.startsWith('/api/v1/auth/')) throw e;
      // Requests in flight together share the one new login.
      if (!relogin) {
        const wasOwner = signsOnGateway();
        endSession();
        relogin = (!wasOwner && publicKey() ? login().then(() => true, () => false) : Promise.resolve(false))
          .finally(() => { relogin = null; });
      }
      if (await relogin) return request(method, path, body);
      go('/signin?next=' + encodeURIComponent(location.hash.slice(1) || '/'));
      throw new PMError('signed_out', 'Your session ended (the gateway restarted, or 12 hours passed): sign in again.');
    }
  }
  let relogin = null;
  async function request(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin' });
    } catch (e) {
      throw new PMError('offline', 'The gateway cannot be reached. Check the Wi-Fi and try again.');
    }
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) {
      const err = data && data.error ? data.error : { code: 'http_' + res.status, message: 'The gateway answered ' + res.status + '. Try again.' };
      throw new PMError(err.code, err.message, res.status);
    }
    return data;
  }
  const get = (path) => api('GET', path);

  // ---- The member's key --------------------------------------------------------------------
  // The member's Ed25519 key lives in this browser only (docs/security.md): the gateway never
  // sees it. Only its 32-byte seed is kept; the key pair is derived when needed.
  const KEY_ITEM = 'pm.seed', GATEWAY_ITEM = 'pm.gateway', TOKENS_ITEM = 'pm.tokens';
  const session = { key: null, member: null, csrf: null, role: 0, status: 0, admin: false };
  function keyPair() {
    const seed = localStorage.getItem(KEY_ITEM);
    if (!seed || !window.nacl) return null;
    return nacl.sign.keyPair.fromSeed(unhex(seed));
  }
  function publicKey() {
    const kp = keyPair();
    return kp ? hex(kp.publicKey) : null;
  }
  function sign(bytes) {
    const kp = keyPair();
    if (!kp) throw new PMError('no_key', 'Sign in first: this browser holds no member key.');
    return hex(nacl.sign.detached(bytes, kp.secretKey));
  }
  // Opens what the gateway sealed to this browser's member key (a pile's exact address): a
  // libsodium sealed box, opened as a plain box from its ephemeral key (its first 32 bytes)
  // with the nonce the gateway sends along, since tweetnacl has no BLAKE2b to derive it.
  function unseal(sealedHex, nonceHex) {
    const kp = keyPair();
    if (!kp) throw new PMError('no_key', 'This browser holds no member key: open the booking where you signed in with the key that booked.');
    // The X25519 secret of an Ed25519 key: the first half of SHA-512 of its seed (nacl.box clamps it).
    const secret = nacl.hash(kp.secretKey.slice(0, 32)).slice(0, 32);
    const sealed = unhex(sealedHex);
    const opened = sealed.length > 48 && nonceHex ? nacl.box.open(sealed.slice(32), unhex(nonceHex), sealed.slice(0, 32), secret) : null;
    secret.fill(0);
    if (!opened) throw new PMError('unseal_failed', 'The address could not be opened with this browser\'s key: sign in with the key that booked.');
    return new TextDecoder().decode(opened);
  }
  // The owner of the gateway has no key here: the gateway holds it and signs for the owner's
  // session (docs/security.md). Everyone else signs in the browser.
  const gatewayKey = () => (PM.setup && PM.setup.gateway_key) || null;
  const signsOnGateway = () => !!session.member && session.member === gatewayKey();
  const signer = () => (signsOnGateway() ? session.member : publicKey());
  // A key file holds the seed as 64 hex digits (pilemesh ledger keygen, the demo's key files).
  function importSeed(text) {
    const seed = String(text).trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(seed)) {
      throw new PMError('bad_key', 'This is not a key file: it should hold 64 hexadecimal digits.');
    }
    localStorage.setItem(KEY_ITEM, seed);
  }
  const newSeed = () => localStorage.setItem(KEY_ITEM, randomHex(32));
  const seedText = () => localStorage.getItem(KEY_ITEM) || '';
  function forgetKey() {
    localStorage.removeItem(KEY_ITEM);
  }
  // Access tokens of bookings (their hashes are on the ledger; the tokens stay here).
  function tokens() {
    try { return JSON.parse(localStorage.getItem(TOKENS_ITEM) || '{}'); } catch (e) { return {}; }
  }
  function saveToken(booking, token) {
    const all = tokens();
    all[booking] = token;
    localStorage.setItem(TOKENS_ITEM, JSON.stringify(all));
  }

  // ---- Session -----------------------------------------------------------------------------
  function setSession(s) {
    Object.assign(session, { member: s.member, csrf: s.csrf, role: s.role, status: s.status, admin: !!s.admin,
      key: s.member });
  }
  function endSession() {
    Object.assign(session, { key: null, member: null, csrf: null, role: 0, status: 0, admin: false });
  }
  // Logs in with the key of this browser: the challenge is signed as a message built here from
  // the gateway key this browser pinned on its first visit — never taken whole from the answer.
  async function login() {
    const key = publicKey();
    if (!key) throw new PMError('no_key', 'This browser holds no member key yet.');
    const challenge = await api('POST', '/api/v1/auth/challenge');
    let pinned = localStorage.getItem(GATEWAY_ITEM);
    if (!pinned) {
      pinned = challenge.gateway_key;
      localStorage.setItem(GATEWAY_ITEM, pinned);
    }
    if (challenge.gateway_key !== pinned) {
      throw new PMError('other_gateway', 'This is not the gateway this phone knows (its key changed). ' +
        'If the owner replaced it, sign out and sign in again.');
    }
    const signature = sign(utf8('pilemesh/login/v1' + pinned + challenge.nonce));
    const s = await api('POST', '/api/v1/auth/login', { key, nonce: challenge.nonce, signature });
    setSession(s);
    // The stream's audience is its session's: reopen it to receive this member's events.
    if (source) openEvents();
    return s;
  }
  async function resume() {
    try {
      const s = await get('/api/v1/auth/session');
      // The session of this browser's key, or the owner's (signed in with the password).
      if (s.member === publicKey() || s.member === gatewayKey() || !publicKey()) {
        setSession(s);
        return s;
      }
    } catch (e) { /* no session yet */ }
    if (!publicKey()) return null;
    try {
      return await login();
    } catch (e) {
      if (e.code === 'not_a_member') return null;  // the key is here, the member not registered
      throw e;
    }
  }
  // The gateway's owner signs in with their password: their key stays on the gateway.
  async function ownerLogin(password) {
    const s = await api('POST', '/api/v1/auth/owner', { password });
    setSession(s);
    if (source) openEvents();
    return s;
  }
  async function logout() {
    try { await api('POST', '/api/v1/auth/logout'); } catch (e) { /* already gone */ }
    endSession();
    if (source) openEvents();
  }

  // ---- Transactions ------------------------------------------------------------------------
  // Prepared by the gateway, signed here, posted, then followed until its block is committed.
  // Resolves with the transaction hash; rejects with the ledger's reason.
  async function transact(type, payload) {
    const prepared = await api('POST', '/api/v1/service/prepare', { type, signer: signer(), payload });
    const signature = signsOnGateway()
      ? (await api('POST', '/api/v1/owner/sign', { tx: prepared.tx })).signature
      : sign(unhex(prepared.sign));
    const posted = await api('POST', '/api/v1/ledger/txs', { tx: prepared.tx, signature }).catch((e) => {
      throw new PMError(e.code, explainRefusal({ code: e.code, log: e.message }), e.status);
    });
    return waitCommitted(posted.hash);
  }
  async function waitCommitted(hash) {
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        const tx = await get('/api/v1/ledger/txs/' + hash);
        if (tx.result && tx.result.code !== 'ok') throw new PMError(tx.result.code, explainRefusal(tx.result));
        return hash;
      } catch (e) {
        if (e.code !== 'pending' || Date.now() > deadline) throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  // The ledger's reasons are written for every client; the commonest ones a neighbour meets are
  // said here in money and with the next step. Others pass through as the ledger wrote them.
  const REFUSALS = [
    [/^the wallet holds (\d+), (\d+) are needed/, (m) => `Your wallet holds ${money(+m[1])} and ${money(+m[2])} are needed: top it up first (Wallet).`],
    [/^the wallet is empty/, () => 'Your wallet is empty: top it up first (Wallet).'],
    [/^the deposit is (\d+), more than the (\d+) accepted/, (m) => `The price changed a moment ago: the deposit is now ${money(+m[1])} (you accepted ${money(+m[2])}). Check the new price and book again.`],
    [/^the slot is taken/, () => 'This time is taken: another booking holds part of it. Pick another slot.'],
    [/^the slot starts in the past/, () => 'That start has passed: pick a later one.'],
    [/^the pile is not available for the whole slot/, () => 'The pile is closed for part of that time: pick a time within its opening hours.'],
    [/^bookings are closed for this member/, () => 'Bookings are closed for your account (low credibility or an unpaid session): settle what is owed in Wallet, or ask the admin.'],
    [/^credibility (\d+) is below (\d+): bookings are closed/, (m) => `Your credibility (${m[1]}) is below the ${m[2]} needed to book, after missed or unpaid bookings: ask the gateway's admin.`],
    [/^an unpaid settlement of (\d+) is open/, (m) => `A session of yours is still unpaid (${money(+m[1])}): top up your wallet (Wallet) so it can be settled, then book.`],
    [/^only a booking that has not started is (cancelled|modified)/, (m) => `This booking has started or is over, so it can no longer be ${m[1]}.`],
    [/^the member is ([\w ]+?)(?: \((.*)\))? and may not/, (m) => `Your account is ${m[1]}${m[2] ? ' (' + m[2] + ')' : ''}: ask the gateway's admin.`],
    [/^not a member: register first/, () => 'This key is not a member yet: sign up first.'],
  ];
  function explainRefusal(result) {
    const log = result.log || result.code;
    for (const [pattern, say] of REFUSALS) {
      const m = pattern.exec(log);
      if (m) return say(m);
    }
    return log.charAt(0).toUpperCase() + log.slice(1) + (/[.!?]$/.test(log) ? '' : '.');
  }
  // An off-chain text (review, answer, profile), signed so the gateway knows its author.
  async function putText(kind, text) {
    let signed;
    if (signsOnGateway()) {
      signed = await api('POST', '/api/v1/owner/sign', { offchain_text: text });
    } else {
      const digest = await sha256(utf8(text));
      const message = new Uint8Array([...utf8('pilemesh/offchain/v1'), ...digest]);
      signed = { signer: publicKey(), signature: sign(message) };
    }
    const out = await api('POST', '/api/v1/service/offchain', { kind, text, signer: signed.signer, signature: signed.signature });
    return out.hash;
  }

  // ---- Live events -------------------------------------------------------------------------
  const listeners = new Set();
  let source = null;
  function openEvents() {
    if (source) source.close();
    source = new EventSource('/api/v1/events');
    for (const type of ['snapshot', 'pile', 'meter', 'ledger', 'service']) {
      source.addEventListener(type, (e) => {
        let data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        for (const fn of listeners) fn(type, data);
      });
    }
    listeners.add(notify);
    source.onerror = () => banner('Connection to the gateway lost — retrying…');
    source.onopen = () => banner('');
  }
  // What others did that concerns the member, as it is committed (the stream carries only the
  // service events that name them).
  const NOTICES = {
    attest: 'A neighbour or the admin vouched for you',
    confirm_top_up: 'Your top-up is confirmed: the money is in your wallet',
    request_top_up: 'A top-up waits for your confirmation (Admin)',
    book: 'New booking of your pile',
    cancel_booking: 'A booking of your pile was cancelled',
    rate_session: 'New rating of your pile',
    respond_rating: 'The owner answered your review',
    stop_session: 'A charging session ended',
  };
  function notify(type, data) {
    if (type !== 'service' || !data.ok || !session.member || data.signer === session.member) return;
    if (!(data.members || []).includes(session.member)) return;
    // Verification, suspension and the like change what the member may do: re-read it.
    get('/api/v1/auth/session').then((s) => { if (s.member === session.member) Object.assign(session, { status: s.status, role: s.role, admin: !!s.admin }); }, () => {});
    const text = NOTICES[data.type];
    if (text) toast(text + (data.pile_id ? ' · ' + data.pile_id : ''), 'info');
  }
  // fn(type, data) for every event while the current page is shown.
  function onEvent(fn) {
    listeners.add(fn);
    pageCleanups.push(() => listeners.delete(fn));
  }

  // ---- Shell -------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function banner(text) {
    const b = $('banner');
    b.textContent = text;
    b.hidden = !text;
  }
  // A passing message; a problem stays longer (it has to be read to be acted on).
  function toast(text, kind) {
    const t = h('div', { class: 'toast ' + (kind || 'ok') }, text);
    $('toasts').append(t);
    setTimeout(() => t.remove(), kind === 'bad' ? 12000 : 5000);
  }
  // A block that shows an error with a way out.
  function errorBox(e, retry) {
    const msg = e && e.message ? e.message : String(e);
    return h('div', { class: 'error', role: 'alert' }, h('p', {}, msg),
      retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again') : null);
  }
  // Runs an action from a button: the button is busy meanwhile, and the outcome is reported.
  // A failure is also written right after the button, where the eye (and a screen reader's
  // focus) is, until the next try.
  async function act(button, fn, done) {
    const label = button.textContent;
    const shown = button.nextElementSibling && button.nextElementSibling.classList.contains('act-error') ? button.nextElementSibling : null;
    if (shown) shown.remove();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = 'Working…';
    try {
      const r = await fn();
      if (done) toast(done);
      return r;
    } catch (e) {
      const message = e.message || String(e);
      toast(message, 'bad');
      if (button.isConnected) button.after(h('p', { class: 'act-error', role: 'alert' }, message));
      return undefined;
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = label;
    }
  }
  function badge(text, kind) {
    return h('span', { class: 'badge ' + (kind || 'idle') }, text);
  }
  // A pile's live status, when its gateway announces one (piles of other gateways may not).
  function liveBadge(live) {
    if (!live || !LIVE[live.status]) return null;
    const [text, kind] = LIVE[live.status];
    return badge(text, kind);
  }
  function stars(score) {
    // Ratings are 1 (poor) to 3 (good).
    const n = Math.round(score);
    return h('span', { class: 'stars', role: 'img', 'aria-label': score.toFixed(1) + ' of 3' },
      '★'.repeat(n) + '☆'.repeat(Math.max(0, 3 - n)));
  }

  // ---- Router ------------------------------------------------------------------------------
  const routes = [];
  let pageCleanups = [];
  let routeSeq = 0;  // a render that finishes after the next navigation is dropped
  // pattern like '/pile/:id'; render(main, params, query) may be async.
  function page(pattern, render, options) {
    const names = [];
    const re = new RegExp('^' + pattern.replace(/:([a-z_]+)/g, (_, n) => { names.push(n); return '([^/]+)'; }) + '$');
    routes.push({ re, names, render, options: options || {} });
  }
  function go(path) {
    if (location.hash === '#' + path) route();
    else location.hash = path;
  }
  async function route() {
    for (const fn of pageCleanups) fn();
    pageCleanups = [];
    const seq = ++routeSeq;
    const [path, queryText] = (location.hash.slice(1) || '/').split('?');
    const query = Object.fromEntries(new URLSearchParams(queryText || ''));
    const main = clear($('main'));
    for (const r of routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      const params = {};
      r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      renderTabs(path);
      if (r.options.member && !session.member) {
        go('/signin?next=' + encodeURIComponent(path));
        return;
      }
      main.append(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
      try {
        const shell = h('div', { class: 'page' });
        await r.render(shell, params, query);
        if (seq !== routeSeq) return;
        clear(main).append(shell);
      } catch (e) {
        if (seq !== routeSeq) return;
        clear(main).append(errorBox(e, route));
      }
      const heading = main.querySelector('h1');
      if (heading) document.title = heading.textContent + ' · pilemesh';
      main.focus({ preventScroll: true });
      window.scrollTo(0, 0);
      return;
    }
    main.append(h('h1', {}, 'Not found'), h('p', {}, 'This page does not exist. '),
      h('a', { href: '#/' }, 'Find a pile'));
  }
  function renderTabs(path) {
    const tabs = [['/', 'Find', '⌕']];
    if (session.member) tabs.push(['/bookings', 'Bookings', '▤'], ['/wallet', 'Wallet', '¤']);
    if (session.role === 2 || session.admin) tabs.push(['/owner', 'My piles', '⚡']);
    if (session.admin) tabs.push(['/admin', 'Admin', '⚙']);
    tabs.push(session.member ? ['/account', 'Account', '☺'] : ['/signin', 'Sign in', '☺']);
    const nav = clear($('tabs'));
    for (const [href, label, icon] of tabs) {
      const current = href === '/' ? path === '/' || path.startsWith('/pile') : path.startsWith(href);
      nav.append(h('a', { href: '#' + href, 'aria-current': current ? 'page' : null },
        h('span', { class: 'icon', 'aria-hidden': 'true' }, icon), label));
    }
    const who = clear($('who'));
    if (session.member) who.append(ROLES[session.role] || 'Member', ' ', h('code', {}, shortKey(session.member)));
  }

  async function start() {
    try {
      const [status, params] = await Promise.all([get('/api/v1/status'), get('/api/v1/service/params')]);
      $('gateway-name').textContent = status.name || 'pilemesh';
      currency = params.currency || 'EUR';
      PM.params = params;
      PM.gateway = status;
    } catch (e) {
      banner(e.message);
    }
    try {
      PM.setup = await get('/api/v1/setup');
    } catch (e) { /* an older gateway: no wizard */ }
    try {
      await resume();
    } catch (e) {
      banner(e.message);
    }
    openEvents();
    window.addEventListener('hashchange', route);
    // The skip link focuses the content; as a hash link it would be read as a route.
    document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); $('main').focus(); });
    // A gateway nobody has set up yet opens on its first-run wizard (only its front page: a
    // link to a pile or a booking still goes where it points).
    const path = location.hash.slice(1) || '/';
    if (PM.setup && PM.setup.needed && path === '/') location.hash = '/setup';
    route();
  }

  return {
    h, append, clear, field, select, money, kwh, kw, dateTime, time, day, duration, distance, shortKey,
    CONNECTORS, AMENITIES, WEEKDAYS, BOOKING_STATUS, MEMBER_STATUS, ROLES,
    hex, unhex, utf8, sha256, randomHex, merkleVerify, api, get, PMError,
    publicKey, importSeed, newSeed, seedText, forgetKey, tokens, saveToken, unseal,
    session, login, ownerLogin, resume, logout, transact, putText, onEvent,
    banner, toast, errorBox, act, badge, liveBadge, stars,
    page, go, route, start,
    cleanup: (fn) => pageCleanups.push(fn),
    params: null, gateway: null, setup: null,
  };
})();

document.addEventListener('DOMContentLoaded', () => setTimeout(PM.start, 0));
