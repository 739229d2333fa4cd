// The owner's pages: my piles, a pile's bookings, reviews and answers, the tariff and
// availability editors, the printable QR code, and the analytics with plots and reports.
'use strict';

(() => {
  const { h, field, select, money, kwh, kw, dateTime, time, day, get, session } = PM;
  const MIN = 60000;

  PM.page('/owner', async (root) => {
    const { piles } = await get(`/api/v1/service/members/${session.member}/piles`);
    root.append(h('h1', {}, 'My piles'));
    if (piles.length === 0) {
      root.append(h('p', { class: 'empty' }, 'You have no pile on the ledger yet. Piles connected to this gateway are registered by it when it starts.'));
    }
    for (const p of piles) {
      const status = PM.MEMBER_STATUS[p.status] || '?';
      root.append(h('section', { class: 'card' },
        h('div', { class: 'row spread' }, h('h2', {}, p.id), PM.liveBadge(p.live)),
        h('p', {}, PM.badge(p.status === 2 ? 'Verified' : status, p.status === 2 ? 'ok' : 'warn'), ' ',
          p.has_tariff ? money(p.price_per_kwh) + ' per kWh' : h('strong', {}, 'No tariff yet: neighbours cannot find it')),
        h('div', { class: 'actions' },
          h('a', { class: 'button', href: '#/owner/pile/' + encodeURIComponent(p.id) }, 'Manage'),
          h('a', { class: 'button secondary', href: '#/owner/analytics/' + encodeURIComponent(p.id) }, 'Analytics'),
          h('a', { class: 'button secondary', href: '#/owner/qr/' + encodeURIComponent(p.id) }, 'QR code'))));
    }
  }, { member: true });

  async function ownPile(id) {
    const { piles } = await get(`/api/v1/service/members/${session.member}/piles`);
    const mine = piles.find((p) => p.id === id);
    if (!mine) throw new PM.PMError('forbidden', 'This is not one of your piles.');
    return mine;
  }

  PM.page('/owner/pile/:id', async (root, params) => {
    const mine = await ownPile(params.id);
    const [detail, { bookings }] = await Promise.all([
      get('/api/v1/service/piles/' + encodeURIComponent(params.id)).catch(() => null),
      get(`/api/v1/service/piles/${encodeURIComponent(params.id)}/bookings`)]);
    root.append(h('h1', {}, params.id));
    const tabs = [['bookings', 'Bookings'], ['reviews', 'Reviews'], ['tariff', 'Prices'], ['hours', 'Opening hours']];
    const panels = {};
    const bar = h('div', { class: 'seg', role: 'tablist', 'aria-label': 'Manage ' + params.id });
    const tabOf = (n) => bar.querySelector(`[data-tab=${n}]`);
    // The tab pattern: the selected tab alone in the focus order, arrow keys move between tabs.
    const show = (name, focus) => {
      for (const [n] of tabs) {
        panels[n].hidden = n !== name;
        tabOf(n).setAttribute('aria-selected', String(n === name));
        tabOf(n).tabIndex = n === name ? 0 : -1;
      }
      if (focus) tabOf(name).focus();
    };
    const onKey = (e) => {
      const i = tabs.findIndex(([n]) => n === e.target.dataset.tab);
      const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      show(tabs[(to + tabs.length) % tabs.length][0], true);
    };
    for (const [name, label] of tabs) {
      bar.append(h('button', { type: 'button', role: 'tab', id: 'tab-' + name, 'aria-controls': 'panel-' + name, 'data-tab': name,
        onclick: () => show(name), onkeydown: onKey }, label));
    }
    root.append(bar);
    panels.bookings = bookingsPanel(bookings);
    panels.reviews = reviewsPanel(detail);
    panels.tariff = tariffPanel(mine);
    panels.hours = hoursPanel(mine);
    for (const [name] of tabs) {
      panels[name].id = 'panel-' + name;
      panels[name].setAttribute('aria-labelledby', 'tab-' + name);
      root.append(panels[name]);
    }
    show('bookings');
  }, { member: true });

  function bookingsPanel(bookings) {
    const box = h('section', { class: 'card', role: 'tabpanel' }, h('h2', {}, 'Bookings and sessions'));
    if (bookings.length === 0) box.append(h('p', { class: 'muted' }, 'No bookings yet.'));
    const table = h('table', { class: 'table' }, h('thead', {}, h('tr', {}, ['When', 'Who', 'Status', 'Energy', 'Paid'].map((t) => h('th', { scope: 'col' }, t)))));
    const tbody = h('tbody', {});
    for (const b of bookings.slice(0, 100)) {
      tbody.append(h('tr', {}, h('td', {}, dateTime(b.start_ms) + '–' + time(b.end_ms)), h('td', {}, b.member_name ? h('span', { title: b.member }, b.member_name) : h('code', {}, PM.shortKey(b.member))),
        h('td', {}, PM.BOOKING_STATUS[b.status] || '?'), h('td', {}, b.energy_wh ? kwh(b.energy_wh) : '–'), h('td', {}, b.paid ? money(b.paid) : '–')));
    }
    table.append(tbody);
    if (bookings.length) box.append(h('div', { class: 'scroll' }, table));
    return box;
  }

  function reviewsPanel(detail) {
    const box = h('section', { class: 'card', role: 'tabpanel' }, h('h2', {}, 'Reviews'));
    const ratings = detail ? detail.ratings : [];
    if (ratings.length === 0) box.append(h('p', { class: 'muted' }, 'No ratings yet.'));
    for (const r of ratings.slice(0, 50)) {
      let extra = null;
      if (!r.response && r.review) {
        const text = h('textarea', { rows: 2, maxlength: 2000 });
        extra = h('form', { class: 'answer', onsubmit: (e) => {
          e.preventDefault();
          PM.act(e.target.querySelector('button'), async () => {
            if (!text.value.trim()) throw new PM.PMError('empty', 'Write your answer first.');
            const hash = await PM.putText('response', text.value.trim());
            await PM.transact('respond_rating', { rating: r.id, response_hash: hash });
            PM.route();
          }, 'Answer published');
        } }, field('Your answer', text), h('button', { type: 'submit', class: 'secondary' }, 'Answer'));
      }
      box.append(PM.reviewItem(r, extra));
    }
    return box;
  }

  const euros = (minor) => (minor / 100).toFixed(2);
  const cents = (text) => Math.round(Number(text) * 100);

  function tariffPanel(p) {
    const t = p.has_tariff ? p : {};
    const input = (v, attrs) => h('input', Object.assign({ type: 'number', min: 0, step: '0.01', inputmode: 'decimal', value: euros(v || 0) }, attrs || {}));
    const f = {
      kwh: input(t.price_per_kwh ?? 30), minute: input(t.price_per_minute), idle: input(t.idle_per_minute),
      fee: input(t.booking_fee), cancel: input(t.cancel_fee), noShow: input(t.no_show_fee),
      freeHours: h('input', { type: 'number', min: 0, max: 168, step: 1, value: Math.round((t.free_cancel_before_ms || 2 * 3600000) / 3600000) }),
    };
    // Other prices per kWh at certain hours (cheap at night, dear at the evening peak).
    const tou = weeklyWindows(t.time_of_use || [], { legend: 'Hours', max: MAX_TOU, extra: (w) => {
      const price = input(w.price_per_kwh ?? 30);
      return [[field('Per kWh then', price)], (win, i) => {
        const v = Number(price.value);
        if (price.value === '' || Number.isNaN(v) || v < 0) throw new PM.PMError('price', `Hours ${i + 1}: give the price per kWh.`);
        return { ...win, price_per_kwh: cents(price.value) };
      }];
    } });
    return h('form', { class: 'card', role: 'tabpanel', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.submitter || e.target.querySelector('button[type=submit]'), async () => {
        await PM.transact('set_tariff', { pile_id: p.id, price_per_kwh: cents(f.kwh.value), price_per_minute: cents(f.minute.value),
          idle_per_minute: cents(f.idle.value), booking_fee: cents(f.fee.value), cancel_fee: cents(f.cancel.value),
          no_show_fee: cents(f.noShow.value), free_cancel_before_ms: Number(f.freeHours.value) * 3600000,
          time_of_use: tou.read() });
        PM.route();
      }, 'Prices saved: new bookings pay them');
    } }, h('h2', {}, 'Prices'),
    h('div', { class: 'grid2' },
      field('Per kWh', f.kwh), field('Per minute', f.minute), field('Per minute after charging', f.idle),
      field('Booking fee', f.fee), field('Free cancelling until (hours before)', f.freeHours), field('Late cancelling fee', f.cancel),
      field('No-show fee', f.noShow)),
    h('h3', {}, 'Other prices at certain hours'),
    h('p', { class: 'muted' }, 'A charge that starts within these hours pays their price per kWh (the first that applies); at other times, the price above.'),
    tou.box,
    h('button', { type: 'button', class: 'secondary', onclick: () => tou.add({ weekdays: 127, from_minute: 0, to_minute: 6 * 60, price_per_kwh: 20 }) }, 'Add hours with another price'),
    h('p', { class: 'muted' }, 'Bookings already made keep the prices they were made with.'),
    h('button', { type: 'submit' }, 'Save prices'));
  }

  // Opening hours: every weekly window of the pile (days, from, until), and its closures —
  // holidays, repairs — when nobody can book it.
  const MAX_WINDOWS = 28, MAX_CLOSURES = 32, MAX_TOU = 8;  // the ledger's limits
  const hm = (m) => String(Math.floor(m / 60) % 24).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
  const minutes = (v) => { const [a, b] = v.split(':').map(Number); return a * 60 + b; };

  // A list of weekly windows (days, from, until), each maybe with more fields (`extra(w)`
  // gives [fields..., read(window) → the entry]): opening hours, time-of-use prices.
  function weeklyWindows(initial, { legend, min = 0, max, extra }) {
    const box = h('div', { class: 'rows' });
    const rows = [];
    function add(w) {
      const n = rows.length + 1;
      const days = PM.WEEKDAYS.map((name, i) => h('label', { class: 'choice' }, h('input', { type: 'checkbox', checked: w.weekdays & (1 << i), value: i }), ' ' + name));
      const from = h('input', { type: 'time', value: hm(w.from_minute), step: 900 });
      const to = h('input', { type: 'time', value: w.to_minute === 1440 ? '00:00' : hm(w.to_minute), step: 900 });
      const [more, read] = extra ? extra(w) : [[], (x) => x];
      const row = { days, from, to, read };
      const set = h('fieldset', { class: 'window' }, h('legend', {}, legend + ' ' + n),
        h('div', { class: 'days' }, days),
        h('div', { class: 'grid2' }, field('From', from), field('Until', to, '00:00 is midnight'), ...more),
        h('button', { type: 'button', class: 'secondary', 'aria-label': 'Remove ' + legend.toLowerCase() + ' ' + n, onclick: () => {
          if (rows.length <= min) return PM.toast('Keep at least one: change it instead.', 'bad');
          rows.splice(rows.indexOf(row), 1);
          set.remove();
          renumber();
        } }, 'Remove'));
      row.set = set;
      rows.push(row);
      box.append(set);
    }
    // The labels follow the order, as the error messages do.
    function renumber() {
      rows.forEach((r, i) => {
        r.set.querySelector('legend').textContent = legend + ' ' + (i + 1);
        r.set.querySelector('fieldset > button').setAttribute('aria-label', 'Remove ' + legend.toLowerCase() + ' ' + (i + 1));
      });
    }
    initial.forEach(add);
    return {
      box,
      add: (w) => {
        if (rows.length >= max) return PM.toast('At most ' + max + ' of these.', 'bad');
        add(w);
      },
      // The entries, checked; throws what to fix and where.
      read: () => rows.map((r, i) => {
        let weekdays = 0;
        r.days.forEach((d, k) => { if (d.querySelector('input').checked) weekdays |= 1 << k; });
        if (!weekdays) throw new PM.PMError('days', `${legend} ${i + 1}: pick at least one day.`);
        const a = minutes(r.from.value);
        let b = minutes(r.to.value);
        if (b === 0) b = 1440;
        if (Number.isNaN(a) || Number.isNaN(b) || b <= a) throw new PM.PMError('hours', `${legend} ${i + 1}: the end must come after the start (00:00 means midnight).`);
        return r.read({ weekdays, from_minute: a, to_minute: b }, i);
      }),
    };
  }

  function hoursPanel(p) {
    const localInput = (ms) => (ms ? new Date(ms - new Date(ms).getTimezoneOffset() * MIN).toISOString().slice(0, 16) : '');
    const existing = p.availability && p.availability.length ? p.availability : [{ weekdays: 127, from_minute: 0, to_minute: 1440 }];
    const windows = weeklyWindows(existing, { legend: 'Window', min: 1, max: MAX_WINDOWS });

    const closures = h('div', { class: 'rows' });
    const closureRows = [];
    function addClosure(c) {
      const from = h('input', { type: 'datetime-local', value: localInput(c.from_ms) });
      const to = h('input', { type: 'datetime-local', value: localInput(c.to_ms) });
      const row = { from, to };
      const box = h('div', { class: 'closure grid2' }, field('Closed from', from), field('Until', to),
        h('button', { type: 'button', class: 'secondary', onclick: () => { closureRows.splice(closureRows.indexOf(row), 1); box.remove(); } }, 'Remove closure'));
      closureRows.push(row);
      closures.append(box);
    }
    (p.closures || []).filter((c) => c.to_ms > Date.now()).forEach(addClosure);  // past ones go

    return h('form', { class: 'card', role: 'tabpanel', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.submitter || e.target.querySelector('button[type=submit]'), async () => {
        const availability = windows.read();
        const closed = closureRows.map((r, i) => {
          const a = new Date(r.from.value).getTime(), b = new Date(r.to.value).getTime();
          if (Number.isNaN(a) || Number.isNaN(b)) throw new PM.PMError('closure', `Closure ${i + 1}: give its start and its end.`);
          if (b <= a) throw new PM.PMError('closure', `Closure ${i + 1}: the end must come after the start.`);
          return { from_ms: a, to_ms: b };
        });
        // The whole spec goes back, with only the opening hours and closures changed.
        await PM.transact('update_pile', { pile_id: p.id, geohash: p.geohash, sealed_address: p.sealed_address,
          connectors: p.connectors, phases: p.phases, amenities: p.amenities, closures: closed, availability });
        PM.route();
      }, 'Opening hours saved');
    } }, h('h2', {}, 'Opening hours'), windows.box,
    h('button', { type: 'button', class: 'secondary', onclick: () => windows.add({ weekdays: 0, from_minute: 8 * 60, to_minute: 18 * 60 }) }, 'Add a window'),
    h('h3', {}, 'Closures'), h('p', { class: 'muted' }, 'Holidays, repairs: nobody can book the pile then.'), closures,
    h('button', { type: 'button', class: 'secondary', onclick: () => {
      if (closureRows.length >= MAX_CLOSURES) return PM.toast('A pile has at most ' + MAX_CLOSURES + ' closures.', 'bad');
      addClosure({});
    } }, 'Add a closure'),
    h('p', { class: 'muted' }, 'Bookings already made keep their slots.'),
    h('button', { type: 'submit' }, 'Save opening hours'));
  }

  // ---- The printable QR code ---------------------------------------------------------------
  PM.page('/owner/qr/:id', async (root, params) => {
    const url = location.origin + location.pathname + '#/at/' + encodeURIComponent(params.id);
    root.append(h('div', { class: 'print-sheet' },
      h('h1', {}, 'Charge here: ' + params.id),
      h('img', { class: 'qr big', src: '/api/v1/qr?text=' + encodeURIComponent(url), alt: 'QR code of ' + url }),
      h('p', {}, 'Scan with your phone to start your booked session.'),
      h('p', { class: 'muted wrap' }, url)),
    h('button', { type: 'button', class: 'no-print', onclick: () => window.print() }, 'Print'));
  }, { member: true });

  // ---- Analytics ---------------------------------------------------------------------------
  let uplotLoading = null;
  // uPlot is loaded only here: the other pages stay small.
  function loadUplot() {
    if (window.uPlot) return Promise.resolve();
    if (!uplotLoading) {
      uplotLoading = new Promise((resolve, reject) => {
        const meta = (n) => document.querySelector(`meta[name=${n}]`).content;
        document.head.append(h('link', { rel: 'stylesheet', href: meta('pm-uplot-css') }));
        const s = h('script', { src: meta('pm-uplot-js') });
        s.onload = resolve;
        s.onerror = () => reject(new PM.PMError('offline', 'The charts could not be loaded: reload the page.'));
        document.head.append(s);
      });
    }
    return uplotLoading;
  }

  PM.page('/owner/analytics/:id', async (root, params) => {
    const [a] = await Promise.all([get(`/api/v1/service/piles/${encodeURIComponent(params.id)}/analytics`), loadUplot()]);
    root.append(h('h1', {}, 'Analytics: ' + params.id));
    root.append(heatmap(a.usage_minutes));
    const months = Object.keys(a.months).sort();
    const xs = months.map((m) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1) / 1000);
    const col = (k) => months.map((m) => a.months[m][k]);
    const monthly = { bars: true };
    root.append(chart('Energy per month (kWh)', xs, [col('energy_wh').map((v) => v / 1000)], ['kWh'], 'energy', monthly));
    root.append(chart('Revenue per month', xs, [col('revenue').map((v) => v / 100)], [PM.params ? PM.params.currency : ''], 'revenue', monthly));
    root.append(chart('Utilization (% of the month charging)', xs, [col('utilization').map((v) => v * 100)], ['%'], 'utilization', monthly));
    const ratings = a.ratings || [];
    if (ratings.length) {
      root.append(chart('Rating trend (1–3)', ratings.map((r) => r.time_ms / 1000), [ratings.map((r) => r.mean)], ['rating'], 'ratings', { y: [1, 3] }));
    }
    root.append(reportBuilder(params.id));
  }, { member: true });

  function heatmap(usage) {
    const max = Math.max(1, ...usage.flat());
    // A table for screen readers (rows of cells, each with its minutes), a grid for the eye:
    // the rows take no box of their own (display: contents).
    const grid = h('div', { class: 'heatmap', role: 'table', 'aria-label': 'Minutes charged by weekday and hour' });
    const head = h('div', { class: 'hm-row', role: 'row' }, h('span', { role: 'columnheader', 'aria-label': 'Weekday' }, ''));
    for (let hr = 0; hr < 24; ++hr) head.append(h('span', { class: 'hm-hour', role: 'columnheader', 'aria-label': hr + ':00' }, hr % 3 === 0 ? String(hr) : ''));
    grid.append(head);
    usage.forEach((row, d) => {
      const line = h('div', { class: 'hm-row', role: 'row' }, h('span', { class: 'hm-day', role: 'rowheader' }, PM.WEEKDAYS[d]));
      row.forEach((minutes, hr) => {
        const text = `${PM.WEEKDAYS[d]} ${hr}:00: ${Math.round(minutes)} min`;
        const cell = h('span', { class: 'hm-cell', role: 'cell', title: text, 'aria-label': Math.round(minutes) + ' min' });
        cell.style.opacity = String(0.08 + 0.92 * minutes / max);
        line.append(cell);
      });
      grid.append(line);
    });
    return h('section', { class: 'card' }, h('h2', {}, 'When it is used'), grid);
  }

  // A small time chart: months as bars, or a line; the x range is padded so that one month
  // alone is still a readable bar, not a dot among years.
  function chart(title, xs, series, labels, name, options = {}) {
    const box = h('section', { class: 'card chart', 'data-chart': name }, h('h2', {}, title));
    if (xs.length === 0) {
      box.append(h('p', { class: 'muted' }, 'Nothing to plot yet.'));
      return box;
    }
    const holder = h('div', { class: 'plot' });
    box.append(holder);
    const width = () => Math.max(260, Math.min(holder.clientWidth || 320, 900));
    requestAnimationFrame(() => {
      const plot = new uPlot({
        width: width(), height: 200,
        series: [{}, ...series.map((_, i) => ({ label: labels[i], stroke: '#0b6e4f', width: 2,
          fill: options.bars ? 'rgba(11,110,79,0.75)' : 'rgba(11,110,79,0.15)',
          paths: options.bars ? uPlot.paths.bars({ size: [0.6, 48] }) : undefined,
          points: { show: !options.bars, size: 6 } }))],
        axes: [{ stroke: getComputedStyle(document.body).color }, { stroke: getComputedStyle(document.body).color }],
        scales: {
          x: { time: true, auto: false, range: [xs[0] - 20 * 86400, xs[xs.length - 1] + 20 * 86400] },
          y: options.y ? { range: options.y } : { range: (u, min, max) => [0, max > 0 ? max * 1.15 : 1] },
        },
      }, [xs, ...series], holder);
      const resize = () => plot.setSize({ width: width(), height: 200 });
      window.addEventListener('resize', resize);
      PM.cleanup(() => { window.removeEventListener('resize', resize); plot.destroy(); });
    });
    // The same numbers as a table, for screen readers and for reading exact values.
    box.append(h('details', {}, h('summary', {}, 'Numbers'), h('table', { class: 'table' },
      h('tbody', {}, xs.map((x, i) => h('tr', {}, h('td', {}, day(x * 1000)), h('td', {}, String(Math.round(series[0][i] * 100) / 100))))))));
    return box;
  }

  function reportBuilder(pile) {
    const metric = select([['sessions', 'Sessions'], ['energy_wh', 'Energy (Wh)'], ['revenue', 'Revenue'], ['bookings', 'Bookings'],
      ['cancellations', 'Cancellations'], ['no_shows', 'No-shows'], ['rating', 'Rating']], 'energy_wh');
    const group = select([['month', 'Month'], ['weekday', 'Weekday'], ['hour', 'Hour'], ['member_role', 'Members\' role'],
      ['member_joined', 'Members\' joining month'], ['member_experience', 'Members\' experience']], 'month');
    // Which piles (this one, or all of the owner's) and which dates (empty: from the start, until now).
    const scope = select([['pile', 'This pile'], ['all', 'All my piles']], 'pile');
    const from = h('input', { type: 'date' });
    const to = h('input', { type: 'date' });
    const out = h('div', { 'aria-live': 'polite' });
    const query = () => {
      const q = new URLSearchParams({ metric: metric.value, group_by: group.value });
      if (scope.value === 'pile') q.set('pile', pile);
      // Whole local days: from the start of the first to the end of the last.
      if (from.value) q.set('from_ms', new Date(from.value + 'T00:00').getTime());
      if (to.value) {
        const end = new Date(to.value + 'T00:00');
        end.setDate(end.getDate() + 1);  // the next local midnight, whatever the day's length
        q.set('to_ms', end.getTime());
      }
      return q.toString();
    };
    return h('form', { class: 'card', onsubmit: (e) => {
      e.preventDefault();
      PM.act(e.target.querySelector('button[type=submit]'), async () => {
        if (from.value && to.value && to.value < from.value) throw new PM.PMError('dates', 'The last day comes before the first: swap them.');
        const r = await get('/api/v1/service/reports?' + query());
        const rows = r.rows;
        PM.clear(out).append(h('table', { class: 'table' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, group.selectedOptions[0].textContent), h('th', { scope: 'col' }, metric.selectedOptions[0].textContent))),
          h('tbody', {}, rows.map((row) => h('tr', {}, h('td', {}, String(row.group)), h('td', {}, String(row.value)))))),
        h('a', { class: 'button secondary', href: '/api/v1/service/reports?' + query() + '&format=csv', download: 'pilemesh-report.csv' }, 'Download CSV'));
      });
    } }, h('h2', {}, 'Report'), h('div', { class: 'grid2' }, field('Measure', metric), field('Grouped by', group),
      field('Piles', scope), h('span', {}), field('First day', from, 'Empty: from the start'), field('Last day', to, 'Empty: until today')),
    h('button', { type: 'submit' }, 'Show'), out);
  }
})();
