// The admin's pages: the verification queue, the ledger and mesh, the loaded plugins, and the
// gateway's devices live.
'use strict';

(() => {
  const { h, kw, kwh, dateTime, get, session } = PM;

  PM.page('/admin', async (root) => {
    const [pending, ledger, plugins] = await Promise.all([
      get('/api/v1/service/pending'), get('/api/v1/ledger/status'), get('/api/v1/plugins')]);
    // The queue follows the ledger: a newcomer, a pile or a top-up appears as it is committed.
    const queueBox = h('div', {}, await queue(pending));
    root.append(h('h1', {}, 'Admin'), queueBox, ledgerCard(ledger), devicesCard(), pluginsCard(plugins));
    const QUEUE_TYPES = ['register_member', 'register_pile', 'attest', 'reject', 'request_top_up', 'confirm_top_up'];
    PM.onEvent(async (type, data) => {
      if (type !== 'service' || !QUEUE_TYPES.includes(data.type)) return;
      try {
        const fresh = await queue(await get('/api/v1/service/pending'));
        PM.clear(queueBox).append(fresh);
      } catch (e) { /* the next event tries again */ }
    });
  }, { member: true });

  // The name a member gave in their profile (an off-chain text, JSON), when there is one.
  async function profileName(m) {
    if (!m.profile_hash || /^0+$/.test(m.profile_hash)) return null;
    try {
      const t = await get('/api/v1/service/offchain/' + m.profile_hash);
      const name = JSON.parse(t.text).name;
      return typeof name === 'string' ? name : null;
    } catch (e) {
      return null;
    }
  }

  async function queue(pending) {
    const box = h('section', { class: 'card' }, h('h2', {}, 'Waiting for verification'));
    if (pending.members.length === 0 && pending.piles.length === 0 && pending.topups.length === 0) {
      box.append(h('p', { class: 'muted' }, 'Nobody is waiting.'));
      return box;
    }
    const decide = (kind, subject, label) => h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: (e) => PM.act(e.target, async () => {
        await PM.transact('attest', Object.assign({ kind }, subject));
        PM.route();
      }, label + ' verified') }, 'Verify'),
      h('button', { type: 'button', class: 'danger', onclick: () => rejectDialog(kind, subject, label) }, 'Reject'));
    const names = await Promise.all(pending.members.map(profileName));
    for (const [i, m] of pending.members.entries()) {
      box.append(h('article', { class: 'queue-item' },
        h('p', {}, h('strong', {}, names[i] || 'A new member'), ' · ', PM.ROLES[m.role] || '?', ' · ', h('code', {}, PM.shortKey(m.key))),
        m.joined_ms ? h('p', { class: 'muted' }, 'Registered ' + dateTime(m.joined_ms)) : null,
        decide(1, { member: m.key }, 'Member')));
    }
    for (const p of pending.piles) {
      box.append(h('article', { class: 'queue-item' },
        h('p', {}, h('strong', {}, 'Pile ' + p.id), ' of ', h('code', {}, PM.shortKey(p.owner)), ' in ', p.geohash || '?'),
        decide(2, { pile_id: p.id }, 'Pile')));
    }
    for (const t of pending.topups) {
      box.append(h('article', { class: 'queue-item' },
        h('p', {}, h('strong', {}, 'Top-up of ' + PM.money(t.amount)), ' from ', h('code', {}, PM.shortKey(t.member)), ' · reference ', h('code', {}, t.reference)),
        h('p', { class: 'muted' }, 'Confirm once the money has arrived.'),
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: (e) => PM.act(e.target, async () => {
          await PM.transact('confirm_top_up', { request: t.id });
          PM.route();
        }, 'Top-up confirmed') }, 'Money arrived: confirm'))));
    }
    return box;
  }
  function rejectDialog(kind, subject, label) {
    const reason = h('input', { type: 'text', maxlength: 200, required: true });
    PM.dialog('Reject?', h('div', {}, PM.field('Reason (the member sees it)', reason)), 'Reject', async () => {
      if (!reason.value.trim()) throw new PM.PMError('reason', 'Say why, so they can fix it.');
      await PM.transact('reject', Object.assign({ kind, reason: reason.value.trim() }, subject));
      PM.toast(label + ' rejected');
      return true;
    }, true);
  }

  function ledgerCard(l) {
    const height = h('dd', {}, String(l.height));
    const root = h('dd', {}, h('code', { class: 'wrap' }, l.state_root));
    PM.onEvent((type, data) => {
      if (type !== 'ledger') return;
      height.textContent = String(data.height);
      PM.clear(root).append(h('code', { class: 'wrap' }, data.state_root));
    });
    return h('section', { class: 'card' }, h('h2', {}, 'Ledger and mesh'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Chain'), h('dd', {}, l.chain_id),
        h('dt', {}, 'Height'), height,
        h('dt', {}, 'State root'), root,
        h('dt', {}, 'This gateway'), h('dd', {}, h('code', { class: 'wrap' }, l.node_key)),
        h('dt', {}, 'Validators'), h('dd', {}, l.validators.length + (l.validators.length === 1 ? ' (this gateway alone)' : '')),
        h('dt', {}, 'Peers'), h('dd', {}, l.peers ? String(l.peers.length) : 'None: this gateway runs its chain alone'),
        h('dt', {}, 'Waiting transactions'), h('dd', {}, String(l.mempool.txs))));
  }

  function devicesCard() {
    const box = h('section', { class: 'card' }, h('h2', {}, 'Devices'));
    const list = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
    box.append(list);
    const draw = (s) => {
      PM.clear(list);
      for (const p of s.piles || []) {
        const c = (p.connectors || [])[0] || {};
        list.append(h('p', { class: 'row spread' }, h('span', {}, h('strong', {}, p.name || p.id), ' · ', c.state || '?'),
          h('span', {}, p.online ? kw(c.power_w) + ' · ' + kwh(c.energy_wh) : PM.badge('Offline', 'bad'))));
      }
      for (const m of s.meters || []) {
        list.append(h('p', { class: 'row spread' }, h('span', {}, h('strong', {}, m.name || m.id), ' (meter)'),
          h('span', {}, m.online && m.reading ? kw(m.reading.power_w) : PM.badge('Offline', 'bad'))));
      }
    };
    let status = null;
    get('/api/v1/status').then((s) => { status = s; draw(s); }).catch((e) => PM.clear(list).append(PM.errorBox(e)));
    PM.onEvent((type, data) => {
      if (!status || (type !== 'pile' && type !== 'meter')) return;
      const set = type === 'pile' ? status.piles : status.meters;
      const i = set.findIndex((d) => d.id === data.id);
      if (i >= 0) { set[i] = Object.assign(set[i], data); draw(status); }
    });
    return box;
  }

  // Each plugin with its health: the devices its drivers run, online or not (and why); then
  // the plugin files the gateway refused at start, with the reason.
  function pluginsCard(p) {
    const health = (pl) => {
      const devices = pl.devices || [];
      if (devices.length === 0) return PM.badge('Not in use', 'idle');
      const down = devices.filter((d) => !d.online);
      return down.length === 0
        ? PM.badge(devices.length === 1 ? 'Its device is online' : 'All ' + devices.length + ' devices online', 'ok')
        : PM.badge(down.length + ' of ' + devices.length + ' offline', 'bad');
    };
    return h('section', { class: 'card' }, h('h2', {}, 'Plugins'),
      h('ul', { class: 'plain rows' }, p.plugins.map((pl) => h('li', { 'data-plugin': pl.name },
        h('p', { class: 'row spread' }, h('span', {}, h('strong', {}, pl.name), ' ', pl.version, ' · ', pl.description), health(pl)),
        h('p', { class: 'muted' }, pl.drivers.map((d) => d.name + ' (' + d.kind + ')').join(', ')),
        ...(pl.devices || []).filter((d) => !d.online && d.error).map((d) =>
          h('p', { class: 'note bad' }, d.id + ': ' + d.error))))),
      (p.refused || []).length ? h('div', {}, h('h3', {}, 'Refused at start'),
        h('ul', { class: 'plain rows' }, p.refused.map((m) => h('li', { class: 'note bad' }, m))),
        h('p', { class: 'muted' }, 'Fix or remove these files in the plugin folder, then restart the gateway.')) : null);
  }

  void session;
})();
