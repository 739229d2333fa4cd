// The first-run wizard of a fresh gateway: the owner's password, the pile (its driver from the
// loaded plugins, its location), its plugs and opening hours, and its prices.
'use strict';

(() => {
  const { h, field, select, get, session } = PM;
  // Kept in memory while the wizard runs: the gateway restarts to connect a new pile, which
  // ends every session, and the wizard signs the owner in again.
  const wizard = { password: null, pile: null };
  const STEPS = ['Owner', 'Pile', 'Plugs and hours', 'Prices', 'Done'];

  function steps(current) {
    return h('ol', { class: 'steps', 'aria-label': 'Setup steps' }, STEPS.map((name, i) =>
      h('li', { class: i === current ? 'current' : i < current ? 'done' : '', 'aria-current': i === current ? 'step' : null }, name)));
  }
  const isOwner = () => PM.setup && session.member === PM.setup.gateway_key;

  PM.page('/setup', async (root) => {
    PM.setup = await get('/api/v1/setup');
    root.append(h('h1', {}, 'Set up your gateway'));
    if (!PM.setup.needed && !isOwner()) {
      root.append(h('p', { class: 'note' }, 'This gateway is set up. Its owner signs in with the password.'),
        h('a', { class: 'button', href: '#/signin' }, 'Sign in'));
      return;
    }
    if (PM.setup.needed) return ownerStep(root);
    // Set up already, and the owner is here: continue with the pile.
    PM.go('/setup/pile');
  });

  function ownerStep(root) {
    const code = h('input', { type: 'text', autocomplete: 'one-time-code', autocapitalize: 'characters', spellcheck: 'false', placeholder: 'ABCDE-FGHJK' });
    const pw = h('input', { type: 'password', autocomplete: 'new-password', minlength: 10 });
    const pw2 = h('input', { type: 'password', autocomplete: 'new-password', minlength: 10 });
    root.append(steps(0), h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button'), async () => {
        if (pw.value.length < 10) throw new PM.PMError('short', 'Choose a password of at least 10 characters.');
        if (pw.value !== pw2.value) throw new PM.PMError('mismatch', 'The two passwords differ: type them again.');
        const s = await PM.api('POST', '/api/v1/setup/owner', { code: code.value.trim(), password: pw.value });
        Object.assign(session, { member: s.member, csrf: s.csrf, role: s.role, status: s.status, admin: !!s.admin, key: s.member });
        wizard.password = pw.value;
        PM.go('/setup/pile');
      }, 'Owner account ready');
    } },
    h('h2', {}, 'You, the owner'),
    h('p', {}, 'Your account is this gateway\'s own key: it owns the piles and signs their sessions, so it stays on the gateway. ' +
      'Your password unlocks it from any of your devices.'),
    field('Setup code', code, 'Printed in the gateway\'s log when it starts, and in the file setup-code of its data folder.'),
    field('Password', pw, 'At least 10 characters.'), field('Password again', pw2),
    h('button', { type: 'submit' }, 'Continue')));
  }

  // After the gateway restarted: back once it answers, and the owner signed in again.
  async function waitForRestart() {
    const deadline = Date.now() + 30000;
    await new Promise((r) => setTimeout(r, 500));
    for (;;) {
      try {
        const s = await get('/api/v1/setup');
        if (s.piles.includes(wizard.pile)) { PM.setup = s; break; }
      } catch (e) { /* still restarting */ }
      if (Date.now() > deadline) throw new PM.PMError('slow', 'The gateway has not come back: check its log, then reload this page.');
      await new Promise((r) => setTimeout(r, 500));
    }
    // The restart ended every session: sign in again with the password of this wizard, or
    // ask for it.
    if (wizard.password) {
      await PM.ownerLogin(wizard.password);
    } else if (!(await PM.resume())) {
      throw new PM.PMError('signed_out', 'The pile is connected. Sign in again as the owner to go on.');
    }
  }

  PM.page('/setup/pile', async (root) => {
    if (!isOwner()) { PM.go('/signin?next=' + encodeURIComponent('/setup/pile')); return; }
    root.append(h('h1', {}, 'Set up your gateway'), steps(1));
    const connected = PM.setup.piles;
    if (connected.length) {
      wizard.pile = connected[0];
      root.append(h('section', { class: 'card' }, h('h2', {}, 'Your pile'),
        h('p', {}, 'Connected: ' + connected.join(', ') + '.'),
        h('a', { class: 'button', href: '#/setup/plugs' }, 'Continue'),
        ' ', h('a', { href: '#/setup/pile?add=1' }, 'Add another pile')));
      if (!location.hash.includes('add=1')) return;
    }
    const drivers = PM.setup.drivers;
    const driver = select(drivers.map((d) => [d.name, d.name + ' — ' + d.description]), drivers[0] && drivers[0].name);
    const id = h('input', { type: 'text', value: connected.length ? '' : 'pile-1', pattern: '[a-z0-9_\\-]{1,32}', required: true });
    const name = h('input', { type: 'text', maxlength: 64, value: 'Driveway wallbox' });
    const where = h('input', { type: 'text', value: PM.setup.location || '', placeholder: 'u33dc1', spellcheck: 'false' });
    const address = h('input', { type: 'text', maxlength: 200, autocomplete: 'street-address' });
    const settingsBox = h('div', {});
    const settingInputs = {};
    const drawSettings = () => {
      PM.clear(settingsBox);
      const d = drivers.find((x) => x.name === driver.value);
      for (const s of (d && d.settings) || []) {
        settingInputs[s.key] = h('input', { type: 'text', spellcheck: 'false', placeholder: 'default' });
        settingsBox.append(field(s.key, settingInputs[s.key], s.description));
      }
    };
    driver.onchange = () => { for (const k of Object.keys(settingInputs)) delete settingInputs[k]; drawSettings(); };
    drawSettings();
    const locate = h('button', { type: 'button', class: 'secondary', onclick: () => {
      if (!navigator.geolocation) { PM.toast('This browser cannot tell its location: type the cell.', 'bad'); return; }
      navigator.geolocation.getCurrentPosition((p) => { where.value = geohash(p.coords.latitude, p.coords.longitude, 6); },
        () => PM.toast('No location: allow it, or type the cell.', 'bad'));
    } }, 'Use this phone\'s location');
    root.append(h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button[type=submit]'), async () => {
        const settings = {};
        for (const [k, input] of Object.entries(settingInputs)) {
          const v = input.value.trim();
          if (v === '') continue;
          settings[k] = v === 'true' ? true : v === 'false' ? false : /^-?\d+$/.test(v) ? Number(v) : /^-?\d*\.\d+$/.test(v) ? Number(v) : v;
        }
        wizard.pile = id.value.trim();
        await PM.api('POST', '/api/v1/setup/pile', { id: wizard.pile, name: name.value.trim(), driver: driver.value,
          settings, location: where.value.trim(), address: address.value.trim() });
        await waitForRestart();
        PM.go('/setup/plugs');
      }, 'Pile connected');
    } }, h('h2', {}, 'Your pile'),
    field('How the gateway talks to it', driver, 'The drivers of the plugins this gateway has loaded.'),
    field('Short name (id)', id, 'Lower-case letters, digits, - and _; it names the pile on the ledger for good.'),
    field('Name for people', name),
    field('Area (geohash cell)', where, 'About 1 km around the pile: neighbours see this, never the address.'), locate,
    field('Exact address', address, 'Only a neighbour who booked gets it, sealed to their key.'),
    h('details', {}, h('summary', {}, 'Driver settings'), settingsBox),
    h('button', { type: 'submit' }, 'Connect the pile')));
  });

  PM.page('/setup/plugs', async (root) => {
    if (!isOwner()) { PM.go('/signin?next=' + encodeURIComponent('/setup/plugs')); return; }
    const pile = await ownPileOnLedger();
    root.append(h('h1', {}, 'Set up your gateway'), steps(2));
    const type = select(Object.entries(PM.CONNECTORS), (pile.connectors[0] || {}).type || 1);
    const power = h('input', { type: 'number', min: 1, max: 400, step: '0.1', value: ((pile.connectors[0] || {}).max_power_w || 11000) / 1000 });
    // A wallbox with a socket and a tethered cable has two plugs: the second is optional.
    const second = pile.connectors[1] || {};
    const type2 = select([['', 'None'], ...Object.entries(PM.CONNECTORS)], second.type || '');
    const power2 = h('input', { type: 'number', min: 1, max: 400, step: '0.1', value: (second.max_power_w || 11000) / 1000 });
    const phases = select([[1, 'Single phase'], [3, 'Three phases']], pile.phases || 3);
    const days = PM.WEEKDAYS.map((n, i) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', checked: true, value: i }), ' ' + n));
    const from = h('input', { type: 'time', value: '00:00', step: 900 });
    const to = h('input', { type: 'time', value: '00:00', step: 900 });
    const amenities = PM.AMENITIES.map(([bit, n]) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', value: bit, checked: pile.amenities & bit }), ' ' + n));
    const minutes = (v) => { const [a, b] = v.split(':').map(Number); return a * 60 + b; };
    root.append(h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button'), async () => {
        let weekdays = 0;
        days.forEach((d, i) => { if (d.querySelector('input').checked) weekdays |= 1 << i; });
        if (!weekdays) throw new PM.PMError('days', 'Pick at least one day.');
        const a = minutes(from.value);
        let b = minutes(to.value);
        if (b === 0) b = 1440;
        if (b <= a) throw new PM.PMError('hours', 'The end must come after the start (00:00 is midnight).');
        let amenityBits = 0;
        for (const l of amenities) { const c = l.querySelector('input'); if (c.checked) amenityBits |= Number(c.value); }
        const connectors = [{ type: Number(type.value), max_power_w: Math.round(Number(power.value) * 1000) }];
        if (type2.value) connectors.push({ type: Number(type2.value), max_power_w: Math.round(Number(power2.value) * 1000) });
        for (const [i, c] of connectors.entries()) {
          if (!(c.max_power_w >= 1000 && c.max_power_w <= 400000)) throw new PM.PMError('power', `Plug ${i + 1}: the most power is 1 to 400 kW.`);
        }
        await PM.transact('update_pile', { pile_id: pile.id, geohash: pile.geohash, sealed_address: pile.sealed_address,
          connectors,
          phases: Number(phases.value), amenities: amenityBits, closures: pile.closures,
          availability: [{ weekdays, from_minute: a, to_minute: b }] });
        PM.go('/setup/prices');
      }, 'Plugs and hours saved');
    } }, h('h2', {}, pile.id + ': plugs and opening hours'),
    h('div', { class: 'grid2' }, field('Plug', type), field('Most power (kW)', power),
      field('Second plug', type2), field('Its most power (kW)', power2), field('Phases', phases)),
    h('fieldset', {}, h('legend', {}, 'Open on'), h('div', { class: 'days' }, days)),
    h('div', { class: 'grid2' }, field('From', from), field('Until', to, '00:00 to 00:00 is all day')),
    h('fieldset', {}, h('legend', {}, 'Amenities'), h('div', { class: 'days' }, amenities)),
    h('button', { type: 'submit' }, 'Continue')));
  });

  PM.page('/setup/prices', async (root) => {
    if (!isOwner()) { PM.go('/signin?next=' + encodeURIComponent('/setup/prices')); return; }
    const pile = await ownPileOnLedger();
    root.append(h('h1', {}, 'Set up your gateway'), steps(3));
    const money = (v) => h('input', { type: 'number', min: 0, step: '0.01', inputmode: 'decimal', value: v });
    const kwh = money('0.35'), fee = money('0.50'), cancel = money('1.00'), noShow = money('3.00');
    const free = h('input', { type: 'number', min: 0, max: 168, step: 1, value: 2 });
    const cents = (input) => Math.round(Number(input.value) * 100);
    root.append(h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button'), async () => {
        await PM.transact('set_tariff', { pile_id: pile.id, price_per_kwh: cents(kwh), booking_fee: cents(fee),
          cancel_fee: cents(cancel), no_show_fee: cents(noShow), free_cancel_before_ms: Number(free.value) * 3600000 });
        PM.go('/setup/done');
      }, 'Prices saved');
    } }, h('h2', {}, pile.id + ': prices'),
    h('div', { class: 'grid2' }, field('Per kWh (' + (PM.params ? PM.params.currency : '') + ')', kwh), field('Booking fee', fee),
      field('Free cancelling until (hours before)', free), field('Late cancelling fee', cancel), field('No-show fee', noShow)),
    h('p', { class: 'muted' }, 'You can change them any time under My piles; bookings keep the prices they were made with.'),
    h('button', { type: 'submit' }, 'Offer the pile')));
  });

  PM.page('/setup/done', async (root) => {
    const pile = wizard.pile || (PM.setup && PM.setup.piles[0]) || '';
    root.append(h('h1', {}, 'Set up your gateway'), steps(4), h('section', { class: 'card' },
      h('h2', {}, 'Your pile is offered to your neighbours'),
      h('p', {}, 'Print its QR code and put it on the pile: neighbours scan it to start their booked session.'),
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: '#/owner/qr/' + encodeURIComponent(pile) }, 'Print the QR code'),
        h('a', { class: 'button secondary', href: '#/owner' }, 'My piles'),
        h('a', { class: 'button secondary', href: '#/admin' }, 'Verify neighbours'))));
  });

  // The wizard's pile as the ledger has it (the gateway registers it in its first block).
  async function ownPileOnLedger() {
    const deadline = Date.now() + 15000;
    for (;;) {
      const { piles } = await get(`/api/v1/service/members/${session.member}/piles`);
      const mine = piles.find((p) => p.id === wizard.pile) || (!wizard.pile && piles[0]);
      if (mine) { wizard.pile = mine.id; return mine; }
      if (Date.now() > deadline) throw new PM.PMError('no_pile', 'The pile is not on the ledger yet: is the area (geohash) set? Reload in a moment.');
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  // Geohash of a position (the public cell of the pile), as search uses it.
  function geohash(lat, lon, length) {
    const base32 = '0123456789bcdefghjkmnpqrstuvwxyz';
    let latRange = [-90, 90], lonRange = [-180, 180], bits = 0, bit = 0, even = true, out = '';
    while (out.length < length) {
      const range = even ? lonRange : latRange;
      const value = even ? lon : lat;
      const mid = (range[0] + range[1]) / 2;
      if (value >= mid) { bits = (bits << 1) | 1; range[0] = mid; } else { bits <<= 1; range[1] = mid; }
      even = !even;
      if (++bit === 5) { out += base32[bits]; bits = 0; bit = 0; }
    }
    return out;
  }
})();
