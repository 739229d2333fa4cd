// The neighbour's pages: sign in or up, find a pile, book it, the wallet, my bookings, the
// session at the pile, the receipt and the rating.
'use strict';

(() => {
  const { h, field, select, money, kwh, kw, dateTime, time, day, duration, distance, api, get, session } = PM;
  const MIN = 60000, HOUR = 60 * MIN, DAY = 24 * HOUR;
  // The lengths a slot is booked for, in minutes.
  const SLOT_LENGTHS = [[30, '30 min'], [60, '1 h'], [90, '1 h 30'], [120, '2 h'], [180, '3 h'], [240, '4 h'], [360, '6 h'], [480, '8 h']];

  // ---- Sign in / sign up -------------------------------------------------------------------
  PM.page('/signin', async (root, _, query) => {
    const next = query.next || '/';
    const done = () => PM.go(next);
    root.append(h('h1', {}, 'Sign in'));
    if (PM.publicKey() && !session.member) {
      // A key is here but no member with it: registered, not yet committed, or a stranger.
      root.append(h('div', { class: 'card' },
        h('p', {}, 'This browser holds a key that is not a member here yet.'),
        h('p', { class: 'muted' }, 'Key ', h('code', {}, PM.shortKey(PM.publicKey()))),
        h('button', { type: 'button', onclick: (e) => PM.act(e.target, async () => { await PM.login(); done(); }) }, 'Try again'),
        ' ',
        h('a', { href: '#/signup' }, 'Register this key')));
    }
    const file = h('input', { type: 'file', accept: '.key,.txt,text/plain' });
    const paste = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: '64 hex digits' });
    const signIn = async (seed) => {
      PM.importSeed(seed);
      await PM.login();
      PM.toast('Signed in');
      done();
    };
    root.append(
      h('section', { class: 'card' },
        h('h2', {}, 'With your key file'),
        h('p', { class: 'muted' }, 'Your key proves who you are; it never leaves this phone.'),
        field('Key file', file),
        h('button', { type: 'button', onclick: (e) => PM.act(e.target, async () => {
          if (!file.files[0]) throw new PM.PMError('no_file', 'Choose your key file first.');
          await signIn(await file.files[0].text());
        }) }, 'Sign in with the file'),
        h('details', {}, h('summary', {}, 'Or paste the key'),
          field('Key', paste),
          h('button', { type: 'button', onclick: (e) => PM.act(e.target, () => signIn(paste.value)) }, 'Sign in'))),
      ownerCard(done),
      h('section', { class: 'card' },
        h('h2', {}, 'New here?'),
        h('p', {}, 'Create your key on this phone and ask to join the neighbourhood.'),
        h('a', { class: 'button', href: '#/signup' }, 'Sign up')));
  });

  function ownerCard(done) {
    const password = h('input', { type: 'password', autocomplete: 'current-password' });
    return h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button'), async () => {
        await PM.ownerLogin(password.value);
        PM.toast('Signed in as the owner');
        done();
      });
    } }, h('h2', {}, 'Owner of this gateway?'),
    h('p', { class: 'muted' }, 'Your account key stays on the gateway; your password unlocks it.'),
    field('Owner password', password), h('button', { type: 'submit', class: 'secondary' }, 'Sign in as the owner'));
  }

  // The demo's printed links: #/key/<seed> signs in with that demo member's key. Only on a demo
  // gateway, and never silently over another key: a link from anywhere else could otherwise
  // swap a neighbour's key for someone else's account.
  PM.page('/key/:seed', async (root, params) => {
    history.replaceState(null, '', '#/');
    root.append(h('h1', {}, 'Sign in'));
    if (!PM.setup || !PM.setup.demo) {
      root.append(h('p', { class: 'note bad' }, 'Sign-in links work only on a demo gateway. Sign in with your key file instead.'),
        h('a', { class: 'button', href: '#/signin' }, 'Sign in'));
      return;
    }
    const signIn = async () => {
      PM.importSeed(params.seed);
      await PM.login();
      PM.toast('Signed in');
      PM.go('/');
    };
    const current = PM.seedText();
    if (current && current !== params.seed.toLowerCase()) {
      root.append(h('p', { class: 'note bad' }, 'This browser holds another key. Signing in with the link replaces it: save it first if it is yours.'),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => PM.download('pilemesh-' + (PM.publicKey() || '').slice(0, 8) + '.key', current + '\n') }, 'Save the current key file'),
          h('button', { type: 'button', class: 'danger', onclick: (e) => PM.act(e.target, signIn) }, 'Replace it and sign in')));
      return;
    }
    try {
      await signIn();
    } catch (e) {
      root.append(PM.errorBox(e));
    }
  });

  PM.page('/signup', async (root) => {
    root.append(h('h1', {}, 'Join the neighbourhood'));
    const name = h('input', { type: 'text', maxlength: 64, autocomplete: 'nickname', required: true });
    const role = select([[1, 'I want to charge my car'], [2, 'I have a pile to share (and may charge too)']], 1);
    const ok = h('input', { type: 'checkbox', required: true });
    root.append(h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.submitter || e.target.querySelector('button'), async () => {
        if (!name.value.trim()) throw new PM.PMError('name', 'Enter the name your neighbours know you by.');
        if (!ok.checked) throw new PM.PMError('backup', 'Tick the box once you have saved your key file.');
        if (!PM.publicKey()) PM.newSeed();
        // The profile's hash goes on the ledger; its text is stored here once she is a member.
        const profile = JSON.stringify({ name: name.value.trim() });
        const profileHash = PM.hex(await PM.sha256(PM.utf8(profile)));
        await PM.transact('register_member', { role: Number(role.value), profile_hash: profileHash });
        await PM.putText('profile', profile);
        await PM.login();
        PM.go('/account');
      }, 'Registered: a neighbour or the admin will verify you');
    } },
      field('Your name', name, 'Shown to the pile owners you book.'),
      field('You are', role),
      h('p', {}, 'Your key is made on this phone. Save it now: it is the only way back into your account.'),
      h('button', { type: 'button', class: 'secondary', onclick: () => {
        if (!PM.publicKey()) PM.newSeed();
        download('pilemesh-' + PM.publicKey().slice(0, 8) + '.key', PM.seedText() + '\n');
      } }, 'Save my key file'),
      h('label', { class: 'check' }, ok, ' I saved my key file'),
      h('button', { type: 'submit' }, 'Create my account')));
  });

  function download(name, text, type) {
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: type || 'text/plain' })), download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
  PM.download = download;

  PM.page('/account', async (root) => {
    const me = await get('/api/v1/service/members/' + session.member);
    root.append(h('h1', {}, 'Account'),
      h('section', { class: 'card' },
        h('dl', { class: 'facts' },
          h('dt', {}, 'Status'), h('dd', {}, PM.badge(PM.MEMBER_STATUS[me.status] || '?', me.status === 2 ? 'ok' : 'warn')),
          h('dt', {}, 'Role'), h('dd', {}, PM.ROLES[me.role] || '?'),
          h('dt', {}, 'Key'), h('dd', {}, h('code', { class: 'wrap' }, session.member)),
          h('dt', {}, 'Sessions charged'), h('dd', {}, String(me.sessions || 0))),
        me.status === 1 ? h('p', { class: 'note' }, 'Waiting for verification: the admin or two verified neighbours ' +
          'must vouch for you before you can book. You will see it here.') : null,
        me.status === 3 || me.status === 4 ? h('p', { class: 'note bad' }, 'Reason: ' + (me.reason || '–')) : null),
      h('section', { class: 'card' },
        h('h2', {}, 'Your key'),
        h('p', {}, 'Keep a copy of your key file somewhere safe: anyone holding it can act as you.'),
        h('button', { type: 'button', class: 'secondary', onclick: () =>
          PM.download('pilemesh-' + session.member.slice(0, 8) + '.key', PM.seedText() + '\n') }, 'Save my key file'),
        ' ',
        h('button', { type: 'button', class: 'secondary', onclick: async () => {
          await PM.logout();
          PM.forgetKey();
          PM.go('/');
        } }, 'Sign out and forget the key')));
  }, { member: true });

  // ---- Find --------------------------------------------------------------------------------
  const near = () => (PM.gateway && PM.gateway.location) || 'u33dc1';

  PM.page('/', async (root, _, query) => {
    root.append(h('h1', {}, 'Find a pile'));
    const f = {
      connector: select([['', 'Any plug'], ...Object.entries(PM.CONNECTORS)], query.connector || ''),
      power: select([['', 'Any power'], [3700, '≥ 3.7 kW'], [7400, '≥ 7.4 kW'], [11000, '≥ 11 kW'], [22000, '≥ 22 kW']], query.min_power_w || ''),
      when: h('input', { type: 'datetime-local', value: query.when || '' }),
      hours: select([[1, '1 h'], [2, '2 h'], [3, '3 h'], [4, '4 h'], [8, '8 h']], query.hours || 2),
      price: h('input', { type: 'number', min: 0, step: 0.01, inputmode: 'decimal', placeholder: 'e.g. 0.40', value: query.max_price || '' }),
      rating: select([['', 'Any rating'], [2, '★★ and better'], [3, '★★★']], query.min_rating || ''),
    };
    const form = h('form', { class: 'filters', role: 'search', onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (f.connector.value) q.set('connector', f.connector.value);
      if (f.power.value) q.set('min_power_w', f.power.value);
      if (f.when.value) { q.set('when', f.when.value); q.set('hours', f.hours.value); }
      if (f.price.value) q.set('max_price', f.price.value);
      if (f.rating.value) q.set('min_rating', f.rating.value);
      PM.go('/?' + q.toString());
    } },
    field('Plug', f.connector), field('Power', f.power),
    field('From', f.when, 'Empty: now'), field('For', f.hours),
    field('Max price per kWh (' + ((PM.params && PM.params.currency) || 'EUR') + ')', f.price), field('Rating', f.rating),
    h('button', { type: 'submit' }, 'Search'));
    root.append(h('details', { class: 'card', open: Object.keys(query).length > 0 }, h('summary', {}, 'Filters'), form));

    const q = new URLSearchParams({ near: near(), limit: 50, view: 'list' });
    if (query.connector) q.set('connector', query.connector);
    if (query.min_power_w) q.set('min_power_w', query.min_power_w);
    if (query.max_price) q.set('max_price_per_kwh', Math.round(Number(query.max_price) * 100));
    // Ratings are 1–3; the gateway keeps piles whose reviews average at least that.
    if (query.min_rating) q.set('min_rating_milli', Number(query.min_rating) * 1000);
    if (query.when) {
      const from = new Date(query.when).getTime();
      q.set('from_ms', from);
      q.set('to_ms', from + Number(query.hours || 2) * HOUR);
    }
    const found = await get('/api/v1/service/piles?' + q.toString());
    const piles = found.piles;
    const list = h('ul', { class: 'cards plain', 'aria-label': 'Piles, nearest first' });
    for (const p of piles) list.append(h('li', {}, pileCard(p)));
    const views = h('div', { class: 'seg', role: 'group', 'aria-label': 'View' });
    const listView = h('button', { type: 'button', 'aria-pressed': 'true' }, 'List');
    const mapView = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Map');
    const map = areaMap(piles);
    map.hidden = true;
    listView.onclick = () => { list.hidden = false; map.hidden = true; listView.setAttribute('aria-pressed', 'true'); mapView.setAttribute('aria-pressed', 'false'); };
    mapView.onclick = () => { list.hidden = true; map.hidden = false; listView.setAttribute('aria-pressed', 'false'); mapView.setAttribute('aria-pressed', 'true'); };
    views.append(listView, mapView);
    root.append(h('div', { class: 'row spread' }, h('p', { class: 'muted' }, piles.length + ' piles, nearest first'), views), list, map);
    if (piles.length === 0) {
      root.append(h('p', { class: 'empty' }, 'No pile matches. Try fewer filters or another time.'));
    }
  });

  function pileCard(p) {
    const href = '#/pile/' + encodeURIComponent(p.id);
    return h('a', { class: 'card pile-card', href },
      h('div', { class: 'row spread' }, h('h2', {}, p.name || p.id), PM.liveBadge(p.live)),
      h('p', { class: 'muted' },
        distance(p.distance_m) + ' away · ' + kw(p.max_power_w) + ' · ' +
        p.connectors.map((c) => PM.CONNECTORS[c.type] || '?').join(', ')),
      h('p', { class: 'row spread' },
        h('strong', {}, money(p.price_per_kwh) + ' per kWh'),
        h('span', {}, p.ratings ? PM.stars(p.rating_average || 0) : null, ' ',
          p.ratings ? '(' + p.ratings + ')' : 'No ratings yet')),
      p.wait_ms > 0 ? h('p', { class: 'note' }, 'Free in ' + duration(p.wait_ms)) :
        h('p', { class: 'muted' }, 'About ' + money(p.estimate) + ' deposit for the next hour'));
  }

  // A map-like view that needs no tiles: the piles placed by their coarse cells around here.
  function areaMap(piles) {
    const svgNS = 'http://www.w3.org/2000/svg';
    const el = (tag, attrs, text) => {
      const n = document.createElementNS(svgNS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
      if (text) n.textContent = text;
      return n;
    };
    const size = 320, pad = 24;
    const svg = el('svg', { viewBox: `0 0 ${size} ${size}`, class: 'area-map', role: 'img',
      'aria-label': 'Piles around, placed by their approximate location' });
    const box = h('div', { class: 'card' }, svg, h('p', { class: 'muted' }, 'Locations are approximate: the exact address comes with your booking.'));
    const pts = piles.filter((p) => p.point);
    if (pts.length === 0) return box;
    const lat0 = pts[0].point.lat, lon0 = pts[0].point.lon;
    const cos = Math.cos(lat0 * Math.PI / 180);
    const xy = (p) => [(p.point.lon - lon0) * cos * 111320, (p.point.lat - lat0) * 111320];
    const far = Math.max(500, ...pts.map((p) => Math.hypot(...xy(p))));
    const scale = (size / 2 - pad) / far;
    for (const r of [far / 2, far]) {
      svg.append(el('circle', { cx: size / 2, cy: size / 2, r: r * scale, class: 'ring' }));
      svg.append(el('text', { x: size / 2 + 4, y: size / 2 - r * scale + 12, class: 'ring-label' }, distance(r)));
    }
    for (const p of pts) {
      const [x, y] = xy(p);
      const a = el('a', { href: '#/pile/' + encodeURIComponent(p.id) });
      a.append(el('circle', { cx: size / 2 + x * scale, cy: size / 2 - y * scale, r: 7, class: 'dot ' + ((p.live && p.live.status) || '') }));
      a.append(el('title', {}, (p.name || p.id) + ' · ' + money(p.price_per_kwh) + '/kWh'));
      svg.append(a);
    }
    return box;
  }

  // ---- A pile ------------------------------------------------------------------------------
  PM.page('/pile/:id', async (root, params) => {
    const p = await get('/api/v1/service/piles/' + encodeURIComponent(params.id));
    const avg = p.ratings.length ? p.ratings.reduce((s, r) => s + r.score, 0) / p.ratings.length : null;
    root.append(
      h('div', { class: 'row spread' }, h('h1', {}, p.name || p.id), PM.liveBadge(p.live)),
      h('p', { class: 'muted' }, avg ? [PM.stars(avg), ' ', avg.toFixed(1) + ' of 3 from ' + p.ratings.length + ' ratings'] : 'No ratings yet'),
      specs(p), prices(p), calendar(p), bookingForm(p), reviews(p));
  });

  function specs(p) {
    const amenities = PM.AMENITIES.filter(([bit]) => p.amenities & bit).map(([, name]) => name);
    return h('section', { class: 'card' }, h('h2', {}, 'The pile'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Plugs'), h('dd', {}, p.connectors.map((c) => (PM.CONNECTORS[c.type] || '?') + ' up to ' + kw(c.max_power_w)).join(', ')),
        h('dt', {}, 'Phases'), h('dd', {}, String(p.phases)),
        h('dt', {}, 'Sessions so far'), h('dd', {}, String(p.charging_count || 0)),
        h('dt', {}, 'Amenities'), h('dd', {}, amenities.length ? amenities.join(' · ') : 'None listed'),
        h('dt', {}, 'Open'), h('dd', {}, openingHours(p.availability))));
  }
  function openingHours(windows) {
    if (!windows || windows.length === 0) return 'Never';
    const hm = (m) => String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
    return windows.map((w) => {
      const days = PM.WEEKDAYS.filter((_, i) => w.weekdays & (1 << i));
      const dayText = days.length === 7 ? 'Every day' : days.join(', ');
      const hours = w.from_minute === 0 && w.to_minute === 1440 ? 'all day' : hm(w.from_minute) + '–' + hm(w.to_minute);
      return dayText + ', ' + hours;
    }).join('; ');
  }
  PM.openingHours = openingHours;
  function prices(p) {
    const rows = [['Energy', money(p.price_per_kwh) + ' per kWh']];
    if (p.price_per_minute) rows.push(['Time', money(p.price_per_minute) + ' per minute']);
    if (p.idle_per_minute) rows.push(['Staying after charging', money(p.idle_per_minute) + ' per minute']);
    for (const t of p.time_of_use || []) rows.push(['Cheaper hours', openingHours([t]) + ': ' + money(t.price_per_kwh) + ' per kWh']);
    rows.push(['Booking fee', money(p.booking_fee)]);
    rows.push(['Cancelling', p.cancel_fee ? 'free until ' + duration(p.free_cancel_before_ms) + ' before the start, then ' + money(p.cancel_fee) : 'always free']);
    if (p.no_show_fee) rows.push(['Not showing up', money(p.no_show_fee)]);
    return h('section', { class: 'card' }, h('h2', {}, 'Prices'),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }

  // Is [start, end) inside the pile's opening hours (local time of the neighbourhood = UTC
  // offset of the chain's params) and free of taken slots?
  function slotState(p, start, end) {
    for (const t of p.taken || []) if (start < t.end_ms && t.start_ms < end) return 'taken';
    const offset = ((PM.params && PM.params.utc_offset_minutes) || 0) * MIN;
    const local = new Date(start + offset);
    const weekday = (local.getUTCDay() + 6) % 7;
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const length = (end - start) / MIN;
    const open = (p.availability || []).some((w) => (w.weekdays & (1 << weekday)) &&
      minute >= w.from_minute && minute + length <= w.to_minute + (w.to_minute === 1440 ? 1440 : 0));
    for (const c of p.closures || []) if (start < c.to_ms && c.from_ms < end) return 'closed';
    return open ? 'free' : 'closed';
  }

  function calendar(p) {
    const now = Date.now();
    const today = new Date(); today.setHours(0, 0, 0, 0);
    const grid = h('div', { class: 'calendar', role: 'list', 'aria-label': 'The next 7 days' });
    for (let d = 0; d < 7; ++d) {
      const from = today.getTime() + d * DAY;
      const bar = h('div', { class: 'cal-bar' });
      const segment = (cls, a, b) => {
        const seg = h('span', { class: cls });
        seg.style.left = ((a - from) / DAY * 100) + '%';
        seg.style.width = Math.max(1, (b - a) / DAY * 100) + '%';
        bar.append(seg);
      };
      // Outside the opening hours, or closed for a holiday: in quarter hours, merged.
      const closed = [];
      const STEP = 15 * MIN;
      for (let t = from; t < from + DAY; t += STEP) {
        if (slotState(p, t, t + STEP) !== 'closed') continue;
        const last = closed[closed.length - 1];
        if (last && last[1] === t) last[1] = t + STEP; else closed.push([t, t + STEP]);
      }
      for (const [a, b] of closed) segment('cal-closed', a, b);
      const busy = [];
      for (const t of p.taken || []) {
        if (t.end_ms <= from || t.start_ms >= from + DAY) continue;
        const a = Math.max(t.start_ms, from), b = Math.min(t.end_ms, from + DAY);
        segment('cal-taken', a, b);
        busy.push(time(a) + '–' + time(b));
      }
      if (d === 0) {
        const past = h('span', { class: 'cal-past' });
        past.style.width = ((now - from) / DAY * 100) + '%';
        bar.append(past);
      }
      grid.append(h('div', { class: 'cal-day', role: 'listitem' }, h('span', { class: 'cal-label' }, day(from)), bar,
        h('span', { class: 'sr-only' }, [
          closed.length ? 'Closed ' + closed.map(([a, b]) => time(a) + '–' + time(b)).join(', ') : '',
          busy.length ? 'Taken ' + busy.join(', ') : '',
          !closed.length && !busy.length ? 'Free all day' : ''].filter(Boolean).join('; '))));
    }
    return h('section', { class: 'card' }, h('h2', {}, 'When it is free'), grid,
      h('p', { class: 'muted legend' }, h('span', { class: 'cal-key taken' }), ' taken  ', h('span', { class: 'cal-key closed' }), ' closed  ',
        h('span', { class: 'cal-key' }), ' free'));
  }

  function bookingForm(p) {
    const box = h('section', { class: 'card', id: 'book' }, h('h2', {}, 'Book'));
    if (!session.member) {
      box.append(h('p', {}, 'Sign in to book this pile.'), h('a', { class: 'button', href: '#/signin?next=' + encodeURIComponent('/pile/' + p.id) }, 'Sign in'));
      return box;
    }
    if (session.status !== 2) {
      box.append(h('p', { class: 'note' }, 'You can book once a neighbour or the admin has verified you.'));
      return box;
    }
    const now = Date.now();
    const step = 30 * MIN;
    const first = Math.ceil(now / step) * step;
    const daySel = select([...Array(14).keys()].map((d) => {
      const t = new Date(); t.setHours(0, 0, 0, 0);
      const ms = t.getTime() + d * DAY;
      return [ms, d === 0 ? 'Today' : d === 1 ? 'Tomorrow' : day(ms)];
    }), '');
    const lengths = select(SLOT_LENGTHS, 120);
    const startSel = h('select', {});
    const quoteBox = h('div', { class: 'quote', 'aria-live': 'polite' });
    const bookBtn = h('button', { type: 'submit' }, 'Book and pay the deposit');
    let quote = null;
    const slot = () => {
      const start = Number(startSel.value);
      return [start, start + Number(lengths.value) * MIN];
    };
    function fillStarts() {
      const dayStart = Number(daySel.value);
      const keep = startSel.value;
      PM.clear(startSel);
      const len = Number(lengths.value) * MIN;
      if (dayStart <= now && now < dayStart + DAY) {
        // Charging right away: the slot starts now.
        const t = Math.floor(Date.now() / MIN) * MIN;
        const state = slotState(p, t, t + len);
        startSel.append(h('option', { value: t, disabled: state !== 'free' }, 'Now' + (state === 'taken' ? ' — taken' : state === 'closed' ? ' — closed' : '')));
      }
      for (let t = Math.max(dayStart, first); t < dayStart + DAY; t += step) {
        const state = slotState(p, t, t + len);
        startSel.append(h('option', { value: t, disabled: state !== 'free' },
          time(t) + (state === 'taken' ? ' — taken' : state === 'closed' ? ' — closed' : '')));
      }
      const options = [...startSel.options];
      const pick = options.find((o) => o.value === keep && !o.disabled) || options.find((o) => !o.disabled);
      if (pick) startSel.value = pick.value;
      bookBtn.disabled = !pick;
      refreshQuote();
    }
    let quoteSeq = 0;
    async function refreshQuote() {
      // Quick changes of day, start and length overlap: only the latest answer is shown.
      const seq = ++quoteSeq;
      PM.clear(quoteBox);
      quote = null;
      if (!startSel.value || startSel.selectedOptions[0].disabled) {
        quoteBox.append(h('p', { class: 'note' }, 'No free start on this day for that long: pick another day or a shorter time.'));
        return;
      }
      const [start, end] = slot();
      let answer;
      try {
        answer = await get(`/api/v1/service/piles/${encodeURIComponent(p.id)}/quote?start_ms=${start}&end_ms=${end}`);
      } catch (e) {
        if (seq === quoteSeq) quoteBox.append(PM.errorBox(e));
        return;
      }
      if (seq !== quoteSeq) return;
      quote = answer;
      // The price breakdown: what each kWh and minute costs, and how the deposit adds up.
      const parts = quote.deposit_parts;
      const minutes = Math.ceil((end - start) / MIN);
      const row = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];
      quoteBox.append(h('dl', { class: 'facts' },
        ...row('Slot', dateTime(start) + ' – ' + time(end)),
        ...row('Energy', money(quote.price_per_kwh) + ' per kWh',
          // The deposit holds the slot's energy at full power and the tariff's top price.
          parts ? h('span', { class: 'muted' }, ' · up to ' + kwh(parts.max_power_w * minutes / 60) + ' at ' + kw(parts.max_power_w) +
            (parts.price_per_kwh !== quote.price_per_kwh ? ' and up to ' + money(parts.price_per_kwh) + ' per kWh' : '') + ': ' + money(parts.energy)) : null),
        ...(quote.price_per_minute ? row('Time', money(quote.price_per_minute) + ' per minute',
          h('span', { class: 'muted' }, ' · ' + minutes + ' min: ' + money(parts ? parts.time : null))) : []),
        ...(quote.booking_fee ? row('Booking fee', money(quote.booking_fee)) : []),
        ...(quote.idle_per_minute ? row('After the slot', money(quote.idle_per_minute) + ' per minute while the car stays plugged in') : []),
        ...row('Deposit now', h('strong', {}, quote.deposit === null ? 'too high for one booking: pick a shorter time' : money(quote.deposit))),
        ...row('Cancelling', quote.free_cancel_until_ms > Date.now()
          ? 'free until ' + dateTime(quote.free_cancel_until_ms)
          : money(quote.cancel_fee) + ' once booked (it starts soon)')),
      h('p', { class: 'muted' }, 'The deposit covers the whole slot at full power; you pay only what you charge, the rest comes back.'),
      quote.available ? null : h('p', { class: 'note bad' }, 'This slot was just taken: pick another one.'));
      bookBtn.disabled = !quote.available || quote.deposit === null;
    }
    daySel.onchange = fillStarts;
    lengths.onchange = fillStarts;
    startSel.onchange = refreshQuote;
    const form = h('form', { onsubmit: (e) => {
      e.preventDefault();
      PM.act(bookBtn, async () => {
        if (!quote) throw new PM.PMError('no_quote', 'Pick a free slot first.');
        const [start, end] = slot();
        const token = PM.randomHex(16);
        const tokenHash = PM.hex(await PM.sha256(PM.utf8(token)));
        let id;
        try {
          id = await PM.transact('book', { pile_id: p.id, start_ms: start, end_ms: end, token_hash: tokenHash, max_deposit: quote.deposit });
        } catch (err) {
          if (err.code === 'conflict' && /taken/i.test(err.message)) {
            // Somebody else was faster: show the slot as taken.
            // The winner's booking may still be on its way into a block: the slot is taken
            // whether or not the pile's page lists it yet.
            const taken = (await get('/api/v1/service/piles/' + encodeURIComponent(p.id))).taken;
            if (!taken.some((t) => t.start_ms < end && start < t.end_ms)) taken.push({ start_ms: start, end_ms: end });
            p.taken = taken;
            fillStarts();
            PM.toast('Someone booked this slot a moment ago. Pick another one.', 'bad');
            return;
          }
          // A new price: show the new quote under the message.
          if (err.code === 'conflict' && /price changed/i.test(err.message)) refreshQuote();
          throw err;
        }
        PM.saveToken(id, token);
        PM.toast('Booked: ' + dateTime(start));
        PM.go('/session/' + id);
      });
    } }, h('div', { class: 'grid3' }, field('Day', daySel), field('Start', startSel), field('For', lengths)), quoteBox, bookBtn);
    box.append(form);
    fillStarts();
    return box;
  }

  function reviews(p) {
    const box = h('section', { class: 'card' }, h('h2', {}, 'Reviews'));
    const written = p.ratings.filter((r) => r.review || r.response);
    if (written.length === 0) box.append(h('p', { class: 'muted' }, 'No written reviews yet.'));
    for (const r of written.slice(0, 20)) box.append(reviewItem(r));
    return box;
  }
  function reviewItem(r, extra) {
    return h('article', { class: 'review' },
      h('p', { class: 'row' }, PM.stars(r.score), h('span', { class: 'muted' }, day(r.rated_ms))),
      r.review ? h('p', { class: 'review-text' }, r.review) : h('p', { class: 'muted' }, 'No text.'),
      r.response ? h('p', { class: 'response' }, h('strong', {}, 'Owner: '), r.response) : null,
      extra || null);
  }
  PM.reviewItem = reviewItem;

  // ---- My bookings -------------------------------------------------------------------------
  PM.page('/bookings', async (root) => {
    const { bookings } = await get(`/api/v1/service/members/${session.member}/bookings`);
    root.append(h('h1', {}, 'My bookings'));
    if (bookings.length === 0) root.append(h('p', { class: 'empty' }, 'No bookings yet. ', h('a', { href: '#/' }, 'Find a pile')));
    const now = Date.now();
    const upcoming = bookings.filter((b) => b.status <= 2 && b.end_ms > now).sort((a, b) => a.start_ms - b.start_ms);
    const past = bookings.filter((b) => !upcoming.includes(b));
    if (upcoming.length) root.append(h('h2', {}, 'Coming up'), h('ul', { class: 'cards plain' }, upcoming.map((b) => h('li', {}, bookingCard(b, true)))));
    if (past.length) root.append(h('h2', {}, 'Past'), h('ul', { class: 'cards plain' }, past.slice(0, 30).map((b) => h('li', {}, bookingCard(b, false)))));
  }, { member: true });

  function cancelFee(b, now) {
    return now < b.start_ms - b.free_cancel_before_ms ? 0 : Math.min(b.cancel_fee, b.escrow);
  }
  function bookingCard(b, upcoming) {
    const status = PM.BOOKING_STATUS[b.status] || '?';
    const card = h('div', { class: 'card' },
      h('div', { class: 'row spread' }, h('h3', {}, b.pile_id), PM.badge(status, b.status === 2 ? 'info' : b.status === 3 ? 'ok' : b.status >= 4 ? 'idle' : 'warn')),
      h('p', {}, dateTime(b.start_ms) + ' – ' + time(b.end_ms)),
      b.status === 3 ? h('p', { class: 'muted' }, kwh(b.energy_wh) + ' · paid ' + money(b.paid) + ' · refunded ' + money(b.refunded)) :
        h('p', { class: 'muted' }, 'Deposit ' + money(b.escrow)));
    const actions = h('div', { class: 'actions' });
    if (upcoming || b.status === 2) actions.append(h('a', { class: 'button', href: '#/session/' + b.id }, b.status === 2 ? 'Live session' : 'Open'));
    if (b.status === 1 && upcoming) {
      actions.append(h('button', { type: 'button', class: 'secondary', onclick: () => modifyDialog(b) }, 'Change time'));
      actions.append(h('button', { type: 'button', class: 'danger', onclick: () => cancelDialog(b) }, 'Cancel'));
    }
    if (b.status === 3) actions.append(h('a', { class: 'button secondary', href: '#/session/' + b.id }, b.rating_tx && !/^0+$/.test(b.rating_tx) ? 'Receipt' : 'Receipt and rating'));
    card.append(actions);
    return card;
  }

  function dialog(title, body, confirmLabel, onConfirm, danger) {
    const confirmBtn = h('button', { type: 'button', class: danger ? 'danger' : '' }, confirmLabel);
    const d = h('dialog', { class: 'dialog', 'aria-labelledby': 'dlg-title' },
      h('h2', { id: 'dlg-title' }, title), body,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', onclick: () => d.close() }, 'Keep it'), confirmBtn));
    confirmBtn.onclick = async () => {
      const ok = await PM.act(confirmBtn, onConfirm);
      if (ok !== undefined) { d.close(); PM.route(); }
    };
    d.addEventListener('close', () => d.remove());
    document.body.append(d);
    d.showModal();
    return d;
  }
  PM.dialog = dialog;

  function cancelDialog(b) {
    const fee = cancelFee(b, Date.now());
    dialog('Cancel this booking?', h('div', {},
      h('p', {}, b.pile_id + ', ' + dateTime(b.start_ms)),
      h('p', { class: fee ? 'note bad' : 'note' }, fee
        ? 'Cancelling now costs ' + money(fee) + ' (free cancelling ended ' + dateTime(b.start_ms - b.free_cancel_before_ms) + '). The rest of the deposit comes back.'
        : 'Cancelling is free until ' + dateTime(b.start_ms - b.free_cancel_before_ms) + '. The whole deposit comes back.')),
    fee ? 'Cancel and pay ' + money(fee) : 'Cancel for free', async () => {
      await PM.transact('cancel_booking', { booking: b.id });
      PM.toast(fee ? 'Cancelled; ' + money(fee) + ' fee charged' : 'Cancelled; the deposit is back in your wallet');
      return true;
    }, true);
  }

  function modifyDialog(b) {
    const start = h('input', { type: 'datetime-local', value: localInput(b.start_ms) });
    // The booking's own length is always offered, even one no longer in the list.
    const current = Math.round((b.end_ms - b.start_ms) / MIN);
    const len = select(SLOT_LENGTHS.some(([m]) => m === current) ? SLOT_LENGTHS : [...SLOT_LENGTHS, [current, duration(current * MIN)]].sort((x, y) => x[0] - y[0]), current);
    dialog('Change the time', h('div', {}, field('New start', start), field('For', len)), 'Change', async () => {
      const s = new Date(start.value).getTime();
      const e = s + Number(len.value) * MIN;
      const q = await get(`/api/v1/service/piles/${encodeURIComponent(b.pile_id)}/quote?start_ms=${s}&end_ms=${e}`);
      if (!q.available) throw new PM.PMError('taken', 'That time is taken or closed: pick another.');
      await PM.transact('modify_booking', { booking: b.id, start_ms: s, end_ms: e, max_deposit: q.deposit });
      PM.toast('Changed to ' + dateTime(s));
      return true;
    });
  }
  function localInput(ms) {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * MIN);
    return d.toISOString().slice(0, 16);
  }

  // ---- At the pile: the QR code's page -----------------------------------------------------
  PM.page('/at/:pile', async (root, params) => {
    if (!session.member) {
      PM.go('/signin?next=' + encodeURIComponent('/at/' + params.pile));
      return;
    }
    const { bookings } = await get(`/api/v1/service/members/${session.member}/bookings`);
    const now = Date.now();
    const early = (PM.params && PM.params.start_early_ms) || 10 * MIN;
    const mine = bookings.filter((b) => b.pile_id === params.pile && b.status <= 2 && b.end_ms > now)
      .sort((a, b) => a.start_ms - b.start_ms);
    const current = mine.find((b) => b.status === 2 || b.start_ms - early <= now);
    if (current) {
      PM.go('/session/' + current.id);
      return;
    }
    root.append(h('h1', {}, 'At ' + params.pile),
      mine.length ? h('p', { class: 'note' }, 'Your booking starts ' + dateTime(mine[0].start_ms) + '. You can start ' + duration(early) + ' before.')
        : h('p', { class: 'note' }, 'You have no booking for this pile now.'),
      h('a', { class: 'button', href: '#/pile/' + encodeURIComponent(params.pile) }, 'Book this pile'));
  });

  // ---- The session -------------------------------------------------------------------------
  PM.page('/session/:id', async (root, params) => {
    let b = await get('/api/v1/service/bookings/' + params.id);
    const title = h('h1', {}, 'Charging at ' + b.pile_id);
    // While the gateway cannot be reached the figures are stale: say so, and keep trying.
    const lost = h('p', { class: 'note bad', role: 'status', hidden: true },
      'The gateway does not answer: the figures below may be old. Trying again… (check the Wi-Fi)');
    const body = h('div', {});
    root.append(title, lost, body);
    // While charging, a refresh updates the figures only: the page around them (a code being
    // typed, a stop on its way) stays as it is.
    const refresh = async () => {
      const before = b.status;
      b = await get('/api/v1/service/bookings/' + params.id);
      if (b.status === 2 && before === 2) drawLive(); else draw();
    };
    const refreshLive = () => refresh().then(() => { lost.hidden = true; }, () => { lost.hidden = false; });
    let power = null;
    PM.onEvent((type, data) => {
      if (type === 'service' && data.booking === params.id) refreshLive();
      if (type === 'pile' && data.id === b.pile_id && b.status === 2) {
        const c = (data.connectors || [])[0];
        if (c) { power = c.power_w; drawLive(); }
      }
    });
    // Energy so far comes with the booking; read it every few seconds while charging.
    const timer = setInterval(() => { if (b.status === 2) refreshLive(); else drawLive(); }, 3000);
    PM.cleanup(() => clearInterval(timer));
    const liveBox = h('div', {});
    // Kept across redraws, with what was typed in it.
    const codeInput = h('input', { type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'from the phone that booked' });
    function drawLive() {
      if (b.status !== 2) return;
      const energy = (b.live && b.live.energy_wh) || 0;
      const minutes = Math.max(0, (Date.now() - b.started_ms) / MIN);
      const cost = Math.round(energy * b.price_per_kwh / 1000 + minutes * b.price_per_minute);
      PM.clear(liveBox).append(h('div', { class: 'gauges' },
        gauge('Power', power === null ? '…' : kw(power), 'power'),
        gauge('Energy', kwh(energy), 'energy'),
        gauge('Cost so far', money(cost), 'cost'),
        gauge('Slot ends in', duration(b.end_ms - Date.now()), 'remaining')));
    }
    function draw() {
      PM.clear(body);
      const token = PM.tokens()[b.id];
      body.append(h('p', { class: 'muted' }, dateTime(b.start_ms) + ' – ' + time(b.end_ms) + ' · ', PM.badge(PM.BOOKING_STATUS[b.status], b.status === 2 ? 'info' : 'idle')));
      if (b.status === 1 || b.status === 2) body.append(addressCard(b));
      // The booking's access code starts and stops its session. The phone that booked keeps
      // it; on another phone it is typed in once and kept there too.
      const tokenInput = token ? null : codeInput;
      const codeField = tokenInput ? field('Access code', tokenInput, 'This phone did not make the booking: enter the code the booking phone shows under "Access code".') : null;
      const useCode = () => {
        if (token) return token;
        const typed = tokenInput.value.trim();
        if (!typed) throw new PM.PMError('no_code', 'Enter the booking\'s access code first: the phone that booked shows it.');
        return typed;
      };
      const keepCode = (code) => { if (!token) PM.saveToken(b.id, code); };  // it worked: keep it
      const codeDetails = token && b.status === 1 ? h('details', {}, h('summary', {}, 'Access code'),
        h('p', { class: 'muted' }, 'To start from another phone, type this code there. Whoever has it can start and stop this session.'),
        h('p', {}, h('code', { class: 'wrap' }, token))) : null;
      if (b.status === 1) {
        body.append(h('section', { class: 'card' },
          h('p', {}, 'Plug in the car, then start. The pile is switched on as soon as the ledger has the start.'),
          codeField,
          h('button', { type: 'button', class: 'big', onclick: (e) => PM.act(e.target, async () => {
            const code = useCode();
            await api('POST', '/api/v1/service/sessions/start', { booking: b.id, token: code });
            keepCode(code);
            await waitFor(() => b.status === 2, refresh);
          }, 'Charging started') }, 'Start charging'), codeDetails));
      } else if (b.status === 2) {
        body.append(liveBox, codeField, h('button', { type: 'button', class: 'big danger', onclick: (e) => PM.act(e.target, async () => {
          const code = useCode();
          await api('POST', '/api/v1/service/sessions/stop', { booking: b.id, token: code });
          keepCode(code);
          await waitFor(() => b.status === 3, refresh);
        }, 'Stopped') }, 'Stop charging'));
        drawLive();
      } else if (b.status === 3) {
        body.append(receipt(b));
        if (!b.rating_tx || /^0+$/.test(b.rating_tx)) body.append(ratingForm(b, refresh));
        else body.append(h('p', { class: 'note' }, 'Thank you for your rating.'));
      } else {
        body.append(h('p', { class: 'note' }, 'This booking was ' + PM.BOOKING_STATUS[b.status].toLowerCase() + '.'));
      }
    }
    draw();
  }, { member: true });

  // Where the pile is exactly: the gateway seals the owner's address to the booking member's
  // key; it is opened here, in the browser, and never sent in the clear.
  let openedAddress = null;  // [booking id, text], kept while the page redraws
  function addressCard(b) {
    const out = h('div', { 'aria-live': 'polite' });
    const show = (text) => PM.clear(out).append(h('p', { class: 'address' }, text));
    const card = h('section', { class: 'card' }, h('h2', {}, 'Where'), out);
    if (openedAddress && openedAddress[0] === b.id) {
      show(openedAddress[1]);
      return card;
    }
    out.append(h('p', { class: 'muted' }, 'The exact address is sealed to your key; it opens on this phone.'),
      h('button', { type: 'button', onclick: (e) => PM.act(e.target, async () => {
        let answer;
        try {
          answer = await get('/api/v1/service/bookings/' + b.id + '/address');
        } catch (err) {
          if (err.code === 'no_address') return show('The owner has not given an address: ask them, or look for the pile in its area.');
          throw err;
        }
        openedAddress = [b.id, PM.unseal(answer.sealed, answer.nonce)];
        show(openedAddress[1]);
      }) }, 'Show the address'));
    return card;
  }

  async function waitFor(condition, refresh) {
    const deadline = Date.now() + 20000;
    while (!condition()) {
      if (Date.now() > deadline) throw new PM.PMError('slow', 'The ledger has not confirmed it yet: reload this page in a moment.');
      await new Promise((r) => setTimeout(r, 400));
      await refresh();
    }
  }
  function gauge(label, value, name) {
    return h('div', { class: 'gauge', 'data-gauge': name }, h('span', { class: 'gauge-label' }, label), h('span', { class: 'gauge-value' }, value));
  }

  // The receipt's proof is checked here, on the phone: the stop transaction's hash up its
  // Merkle path to the root in the block's header, as the ledger's API serves the block.
  async function checkReceipt(r, out) {
    try {
      const block = await get('/api/v1/ledger/blocks/' + r.height);
      const ok = block.tx_root === r.tx_root && await PM.merkleVerify(r.tx, r.proof, block.tx_root);
      PM.clear(out).append(ok
        ? PM.badge('Proof checked on this phone', 'ok')
        : PM.badge('The proof does not match the block: ask the gateway\'s owner', 'bad'));
    } catch (e) {
      PM.clear(out).append(PM.badge('Not checked: ' + e.message, 'warn'));
    }
  }

  function receipt(b) {
    const r = b.receipt;
    const checked = h('span', { class: 'proof-check', 'aria-live': 'polite' });
    if (r && r.proof) checkReceipt(r, checked);
    return h('section', { class: 'card receipt' }, h('h2', {}, 'Receipt'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Energy'), h('dd', {}, kwh(b.energy_wh)),
        h('dt', {}, 'Energy cost'), h('dd', {}, money(b.energy_cost)),
        b.time_cost ? [h('dt', {}, 'Time'), h('dd', {}, money(b.time_cost))] : null,
        h('dt', {}, 'Fees'), h('dd', {}, money(b.fees)),
        h('dt', {}, 'Paid'), h('dd', {}, h('strong', {}, money(b.paid))),
        h('dt', {}, 'Refunded to your wallet'), h('dd', {}, money(b.refunded)),
        b.unpaid ? [h('dt', {}, 'Still owed'), h('dd', {}, money(b.unpaid))] : null),
      r ? h('details', {}, h('summary', {}, 'Ledger proof ', checked),
        h('p', {}, 'The stop of this session is transaction ', h('code', { class: 'wrap' }, r.tx), ' in block ' + r.height + '.'),
        r.proof ? h('p', { class: 'muted' }, 'Merkle proof: leaf ' + r.proof.index + ' of ' + r.proof.leaf_count + ', ' + r.proof.path.length +
          ' hashes up to the block\'s root ', h('code', { class: 'wrap' }, r.tx_root)) : null,
        h('a', { href: '/api/v1/ledger/txs/' + r.tx, target: '_blank', rel: 'noopener' }, 'The transaction with its proof (JSON)')) : null);
  }

  function ratingForm(b, refresh) {
    const scores = [[3, 'Good'], [2, 'OK'], [1, 'Poor']];
    const radios = scores.map(([v, label]) => h('label', { class: 'choice' }, h('input', { type: 'radio', name: 'score', value: v, required: true }), ' ', '★'.repeat(v), ' ', label));
    const text = h('textarea', { maxlength: 2000, rows: 3 });
    return h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      const btn = e.target.querySelector('button[type=submit]');
      PM.act(btn, async () => {
        const picked = e.target.querySelector('input[name=score]:checked');
        if (!picked) throw new PM.PMError('score', 'Choose how it went: good, OK or poor.');
        const [pile, me] = await Promise.all([get('/api/v1/service/piles/' + encodeURIComponent(b.pile_id)), get('/api/v1/service/members/' + session.member)]);
        const payload = { booking: b.id, score: Number(picked.value),
          prev_pile_evaluation: pile.last_evaluation, prev_ev_evaluation: me.last_evaluation };
        if (text.value.trim()) payload.review_hash = await PM.putText('review', text.value.trim());
        await PM.transact('rate_session', payload);
        await refresh();
      }, 'Thank you for rating');
    } }, h('h2', {}, 'How was it?'), h('fieldset', {}, h('legend', {}, 'Your rating'), radios),
    field('Review (optional)', text, 'Everyone can read it.'), h('button', { type: 'submit' }, 'Send rating'));
  }

  // ---- Wallet ------------------------------------------------------------------------------
  PM.page('/wallet', async (root) => {
    const [me, methods, { topups }, { bookings }] = await Promise.all([
      get('/api/v1/service/members/' + session.member), get('/api/v1/service/topup-methods'),
      get(`/api/v1/service/members/${session.member}/topups`), get(`/api/v1/service/members/${session.member}/bookings`)]);
    root.append(h('h1', {}, 'Wallet'),
      h('section', { class: 'card balance' },
        h('p', { class: 'muted' }, 'Balance'), h('p', { class: 'big-number' }, money(me.balance)),
        h('p', { class: 'muted' }, 'Held as deposits: ' + money(me.escrow) + (me.debt ? ' · owed: ' + money(me.debt) : ''))));
    const amount = h('input', { type: 'number', min: 1, step: '0.01', inputmode: 'decimal', required: true, value: '20' });
    const method = select(methods.methods.map((m) => [m.number, m.name + ' — ' + m.description]), methods.methods[0] && methods.methods[0].number);
    root.append(h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button'), async () => {
        const minor = Math.round(Number(amount.value) * 100);
        if (!(minor > 0)) throw new PM.PMError('amount', 'Enter an amount above zero.');
        // The reference is public on the ledger: a random code, nothing personal.
        const reference = 'PM-' + PM.randomHex(4).toUpperCase();
        const id = await PM.transact('request_top_up', { amount: minor, method: Number(method.value), payee: methods.payee, reference });
        PM.go('/topup/' + id);
      });
    } }, h('h2', {}, 'Top up'), field('Amount (' + (PM.params ? PM.params.currency : '') + ')', amount), field('How you pay', method),
    h('p', { class: 'muted' }, 'The owner confirms your payment, then the amount is in your wallet.'),
    h('button', { type: 'submit' }, 'Request top-up')));
    if (topups.length) {
      root.append(h('section', { class: 'card' }, h('h2', {}, 'Top-ups'), h('ul', { class: 'plain rows' }, topups.map((t) =>
        h('li', { class: 'row spread' }, h('span', {}, day(t.requested_ms) + ' · ' + money(t.amount)),
          t.status === 2 ? PM.badge('Confirmed', 'ok') : h('a', { href: '#/topup/' + t.id }, 'How to pay'))))));
    }
    const history = bookings.filter((b) => b.status >= 3).slice(0, 20);
    if (history.length) {
      root.append(h('section', { class: 'card' }, h('h2', {}, 'Payments'), h('ul', { class: 'plain rows' }, history.map((b) =>
        h('li', { class: 'row spread' }, h('a', { href: '#/session/' + b.id }, day(b.start_ms) + ' · ' + b.pile_id),
          h('span', {}, '−' + money(b.paid) + (b.refunded ? ' (+' + money(b.refunded) + ' back)' : '')))))));
    }
  }, { member: true });

  PM.page('/topup/:id', async (root, params) => {
    root.append(h('h1', {}, 'Pay your top-up'));
    let how;
    try {
      how = await get(`/api/v1/service/topups/${params.id}/instructions`);
    } catch (e) {
      if (e.code === 'conflict') { root.append(h('p', { class: 'note' }, 'This top-up is confirmed: the amount is in your wallet.')); return; }
      throw e;
    }
    const box = h('section', { class: 'card' }, h('p', {}, how.summary));
    if (how.qr_text) {
      box.append(h('img', { class: 'qr', src: '/api/v1/qr?text=' + encodeURIComponent(how.qr_text), alt: 'QR code to scan with your banking app' }),
        h('p', { class: 'muted' }, 'Scan it with your banking app.'));
    }
    if (how.url) box.append(h('a', { class: 'button', href: how.url, rel: 'noopener' }, 'Pay'));
    box.append(h('p', { class: 'muted' }, 'The reference is public on the neighbourhood ledger: it names nothing personal.'));
    root.append(box, h('a', { href: '#/wallet' }, 'Back to the wallet'));
  }, { member: true });
})();
