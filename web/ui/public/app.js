// Live status page: loads /api/v1/status, then follows /api/v1/events. Data only ever reaches
// the page through textContent, so it can never be read as markup.
'use strict';

(function () {
  const STATUS_URL = '/api/v1/status';
  const LEDGER_URL = '/api/v1/ledger/status';
  const EVENTS_URL = '/api/v1/events';

  const state = { name: '', version: '', uptimeS: 0, uptimeAt: Date.now(), piles: [], meters: [] };
  const $ = (id) => document.getElementById(id);

  // OCPP 1.6 / 2.0 connector states → colour class.
  const STATE_CLASS = {
    Available: 'state-ok',
    Charging: 'state-info',
    Occupied: 'state-info',
    Preparing: 'state-warn',
    SuspendedEV: 'state-warn',
    SuspendedEVSE: 'state-warn',
    Finishing: 'state-warn',
    Reserved: 'state-warn',
    Unavailable: 'state-idle',
    Faulted: 'state-bad',
  };

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function num(value) {
    return typeof value === 'number' && isFinite(value) ? value : null;
  }
  function kw(watts) {
    const w = num(watts);
    return w === null ? '–' : (w / 1000).toFixed(2) + ' kW';
  }
  function kwh(wattHours) {
    const wh = num(wattHours);
    return wh === null ? '–' : (wh / 1000).toFixed(2) + ' kWh';
  }
  function amps(milliamps) {
    const ma = num(milliamps);
    return ma === null ? '–' : (ma / 1000).toFixed(1) + ' A';
  }
  function volts(millivolts) {
    const mv = num(millivolts);
    return mv === null ? '–' : (mv / 1000).toFixed(0) + ' V';
  }
  function perPhase(values, format, phases) {
    if (!Array.isArray(values) || values.length === 0) return '–';
    const n = num(phases) && phases > 0 ? Math.min(phases, values.length) : values.length;
    return values.slice(0, n).map(format).join(' / ');
  }
  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60), r = s % 60;
    if (d > 0) return d + 'd ' + h + 'h ' + m + 'm';
    if (h > 0) return h + 'h ' + m + 'm';
    if (m > 0) return m + 'm ' + r + 's';
    return r + 's';
  }

  function values(pairs) {
    const dl = el('dl');
    for (const [label, value] of pairs) {
      dl.append(el('dt', null, label));
      const dd = el('dd', null, value);
      dd.setAttribute('aria-live', 'polite');
      dl.append(dd);
    }
    return dl;
  }

  function header(title, id, online) {
    const head = el('div', 'card-head');
    const names = el('div');
    names.append(el('h3', null, title), el('div', 'id', id));
    const badge = el('span', 'badge ' + (online ? 'online' : 'offline'), online ? 'Online' : 'Offline');
    badge.setAttribute('aria-live', 'polite');
    head.append(names, badge);
    return head;
  }

  function offlineNote(device) {
    if (device.online) return null;
    let text = device.error || 'Not reachable';
    if (num(device.reconnect_attempts)) text += ' (reconnect attempts: ' + device.reconnect_attempts + ')';
    const note = el('p', 'error', text);
    note.setAttribute('role', 'status');
    return note;
  }

  function connectorView(c) {
    const box = el('div', 'connector');
    const head = el('div', 'connector-head');
    head.append(el('strong', null, 'Connector ' + c.id + (c.type ? ' · ' + c.type : '')));
    const stateName = c.state || 'Unknown';
    const badge = el('span', 'state ' + (STATE_CLASS[stateName] || 'state-idle'), stateName);
    badge.setAttribute('aria-live', 'polite');
    head.append(badge);
    box.append(head);
    const rows = [
      ['Power', kw(c.power_w)],
      ['Energy', kwh(c.energy_wh)],
      ['Current', perPhase(c.current_ma, amps, c.active_phases)],
      ['Limit', amps(c.current_limit_ma)],
    ];
    if (c.enabled === false) rows.push(['Enabled', 'No']);
    if (c.fault) rows.push(['Fault', c.fault]);
    box.append(values(rows));
    return box;
  }

  function pileCard(pile) {
    const card = el('article', 'card');
    card.setAttribute('aria-label', 'Pile ' + (pile.name || pile.id));
    card.append(header(pile.name || pile.id, pile.id + (pile.driver ? ' · ' + pile.driver : ''), pile.online));
    const note = offlineNote(pile);
    if (note) card.append(note);
    const connectors = Array.isArray(pile.connectors) ? pile.connectors : [];
    if (connectors.length === 0) card.append(el('p', 'empty', 'No connector data'));
    for (const c of connectors) card.append(connectorView(c));
    return card;
  }

  function meterCard(meter) {
    const card = el('article', 'card');
    card.setAttribute('aria-label', 'Meter ' + (meter.name || meter.id));
    card.append(header(meter.name || meter.id, meter.id + (meter.driver ? ' · ' + meter.driver : ''), meter.online));
    const note = offlineNote(meter);
    if (note) card.append(note);
    const r = meter.reading || {};
    card.append(values([
      ['Power', kw(r.power_w)],
      ['Import', kwh(r.energy_import_wh)],
      ['Export', kwh(r.energy_export_wh)],
      ['Voltage', perPhase(r.voltage_mv, volts)],
      ['Current', perPhase(r.current_ma, amps)],
    ]));
    return card;
  }

  function renderList(container, items, view, emptyText) {
    const nodes = items.map(view);
    if (nodes.length === 0) nodes.push(el('p', 'empty', emptyText));
    container.replaceChildren(...nodes);
  }

  function render() {
    $('gateway-name').textContent = state.name || 'pilemesh';
    document.title = (state.name ? state.name + ' · ' : '') + 'pilemesh';
    $('version').textContent = state.version ? 'v' + state.version : '';
    renderUptime();
    renderList($('piles'), state.piles, pileCard, 'No piles configured');
    renderList($('meters'), state.meters, meterCard, 'No meter configured');
  }

  function renderUptime() {
    $('uptime').textContent = duration(state.uptimeS + (Date.now() - state.uptimeAt) / 1000);
  }

  function applySnapshot(status) {
    if (!status || typeof status !== 'object') return;
    state.name = status.name || '';
    state.version = status.version || '';
    state.uptimeS = num(status.uptime_s) || 0;
    state.uptimeAt = Date.now();
    state.piles = Array.isArray(status.piles) ? status.piles : [];
    state.meters = Array.isArray(status.meters) ? status.meters : [];
    render();
  }

  function replaceById(list, item) {
    if (!item || typeof item !== 'object') return list;
    const i = list.findIndex((x) => x.id === item.id);
    if (i >= 0) list[i] = item; else list.push(item);
    return list;
  }

  function parse(event) {
    try { return JSON.parse(event.data); } catch (e) { return null; }
  }

  function showBanner(show) { $('banner').hidden = !show; }

  function connect() {
    if (!window.EventSource) return;
    const source = new EventSource(EVENTS_URL);
    source.addEventListener('open', () => showBanner(false));
    // EventSource reconnects by itself; until it does, say so.
    source.addEventListener('error', () => showBanner(true));
    source.addEventListener('snapshot', (e) => applySnapshot(parse(e)));
    source.addEventListener('pile', (e) => {
      replaceById(state.piles, parse(e));
      renderList($('piles'), state.piles, pileCard, 'No piles configured');
    });
    source.addEventListener('meter', (e) => {
      replaceById(state.meters, parse(e));
      renderList($('meters'), state.meters, meterCard, 'No meter configured');
    });
    source.addEventListener('ledger', (e) => renderLedger(parse(e)));
  }

  // The ledger line: chain, height and the start of the state root, which two gateways of the
  // same neighbourhood can compare by eye.
  function renderLedger(ledger) {
    if (!ledger || !ledger.chain_id) return;
    $('ledger').textContent = 'Ledger ' + ledger.chain_id + ' · block ' + num(ledger.height) +
      ' · state ' + String(ledger.state_root || '').slice(0, 12);
  }

  function load() {
    fetch(STATUS_URL, { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
      .then(applySnapshot)
      .catch(() => showBanner(true));
    fetch(LEDGER_URL, { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null))
      .then(renderLedger)
      .catch(() => {});
    connect();
    setInterval(renderUptime, 1000);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load);
  else load();
})();
