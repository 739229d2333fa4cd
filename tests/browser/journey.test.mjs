// The whole journey on a fresh gateway: the owner runs the first-run wizard (password, the
// simulated pile from the loaded plugins, plugs, hours, prices) → a neighbour signs up, is verified, tops up, finds and books the pile, opens its QR
// link, starts, sees power and energy rise live, stops, gets the receipt and rates it → the owner
// sees the booking, answers the review and finds the session in the analytics.
import assert from 'node:assert/strict';
import path from 'node:path';
import { run, outputDir, wholePage } from './harness.mjs';

const out = outputDir('journey');
// A screenshot for the user guide, without the passing messages over it.
async function shot(who, name, fullPage = false) {
  await who.page.evaluate(() => document.getElementById('toasts').replaceChildren());
  if (fullPage) await wholePage(who.page, path.join(out, name));
  else await who.page.screenshot({ path: path.join(out, name) });
}

run('journey', { fresh: true }, async (gateway, person) => {
  // The owner opens the fresh gateway: its first-run wizard.
  const owner = await person('owner', { width: 1024, height: 800 });
  const { page } = owner;
  await owner.open('/');
  await page.getByRole('heading', { name: 'Set up your gateway' }).waitFor();
  await page.getByLabel('Setup code').fill(gateway.setupCode());
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Password again').fill('correct horse battery');
  await owner.expectToast('Owner account ready', () => page.getByRole('button', { name: 'Continue' }).click());

  // The pile: the simulator's driver from the loaded plugins, its area and address.
  await page.getByLabel('How the gateway talks to it').selectOption('simulator/charger');
  await page.getByLabel('Short name (id)').fill('pile-1');
  await page.getByLabel('Area (geohash cell)').fill('u33dc1');
  await page.getByLabel('Exact address').fill('Lindenstrasse 7, garage on the left');
  await page.getByText('Driver settings').click();
  await page.getByLabel('ev_connected').fill('true');
  await page.getByLabel('auto_start').fill('true');
  await shot(owner, 'wizard-pile.png', true);
  // The gateway restarts to connect it, and the wizard signs the owner in again.
  await owner.expectToast('Pile connected', () => page.getByRole('button', { name: 'Connect the pile' }).click());
  await gateway.waitForLog(/setup: pile "pile-1" \(simulator\/charger\) added/);

  // Plugs, opening hours, prices.
  await page.getByLabel('Plug', { exact: true }).selectOption({ label: 'Type 2' });
  await page.getByLabel('Most power (kW)', { exact: true }).fill('11');
  await page.getByLabel('Second plug').selectOption({ label: 'CCS2' });
  await page.getByLabel('Its most power (kW)').fill('7.4');
  await owner.expectToast('Plugs and hours saved', () => page.getByRole('button', { name: 'Continue' }).click());
  await page.getByLabel(/Per kWh/).fill('0.35');
  await page.getByLabel('Booking fee').fill('0.50');
  await owner.expectToast('Prices saved', () => page.getByRole('button', { name: 'Offer the pile' }).click());
  await page.getByText('Your pile is offered to your neighbours').waitFor();
  const pile = await gateway.api('/api/v1/service/piles/pile-1');
  assert.equal(pile.price_per_kwh, 35);
  assert.deepEqual(pile.connectors, [{ type: 1, max_power_w: 11000 }, { type: 2, max_power_w: 7400 }]);
  assert.equal(pile.status, 2);  // the gateway's own pile: offered at once

  // A neighbour signs up on her phone.
  const nora = await person('nora');
  await nora.open('/signup');
  await nora.page.getByLabel('Your name').fill('Nora');
  const download = nora.page.waitForEvent('download');
  await nora.page.getByRole('button', { name: 'Save my key file' }).click();
  const keyFile = path.join(out, 'nora.key');
  await (await download).saveAs(keyFile);
  await nora.page.getByLabel('I saved my key file').check();
  await nora.expectToast('Registered', () => nora.page.getByRole('button', { name: 'Create my account' }).click());
  await nora.page.getByText('Waiting for verification').first().waitFor();

  // The owner, as admin, verifies her.
  await owner.open('/admin');
  const item = owner.page.locator('.queue-item', { hasText: 'Nora' });
  await item.waitFor();
  await shot(owner, 'admin-queue.png');
  await owner.expectToast('Member verified', () => item.getByRole('button', { name: 'Verify' }).click());

  // She tops up; the owner confirms the money arrived.
  await nora.open('/wallet');
  await nora.page.getByLabel('Amount (EUR)').fill('20');
  await nora.page.getByRole('button', { name: 'Request top-up' }).click();
  await nora.page.getByRole('heading', { name: 'Pay your top-up' }).waitFor();
  await shot(nora, 'top-up.png');
  await owner.open('/admin');
  await owner.expectToast('Top-up confirmed', () =>
    owner.page.locator('.queue-item', { hasText: 'Top-up of €20.00' }).getByRole('button', { name: /confirm/ }).click());
  await nora.open('/wallet');
  await nora.page.locator('.big-number', { hasText: '€20.00' }).waitFor();

  // She finds the pile and books it now.
  await nora.open('/');
  await nora.page.locator('.pile-card', { hasText: 'pile-1' }).click();
  const form = nora.page.locator('#book');
  await form.getByLabel('For').selectOption({ label: '1 h' });
  await form.locator('.quote dl').waitFor();
  // The price breakdown of the slot: 11 kW for an hour at 0.35, and the booking fee.
  const breakdown = await form.locator('.quote dl').innerText();
  for (const part of ['€0.35 per kWh', 'up to 11.0 kWh at 11.0 kW: €3.85', 'Booking fee\n€0.50', 'Deposit now\n€4.35'])
    assert.ok(breakdown.includes(part), `the quote shows "${part}": ${breakdown}`);
  await nora.expectToast('Booked', () => form.getByRole('button', { name: 'Book and pay the deposit' }).click());

  // Her booking tells her where the pile is: the address sealed to her key, opened here.
  await nora.page.waitForURL(/#\/session\//);
  await nora.page.getByRole('button', { name: 'Show the address' }).click();
  await nora.page.locator('.address', { hasText: 'Lindenstrasse 7, garage on the left' }).waitFor();

  // At the pile she scans its QR code: the link opens her session.
  const qrLink = await owner.page.evaluate(() => location.origin + location.pathname + '#/at/pile-1');
  await nora.page.goto(qrLink);
  await nora.page.waitForURL(/#\/session\//);
  await nora.expectToast('Charging started', () => nora.page.getByRole('button', { name: 'Start charging' }).click());
  const gaugeNumber = (name) => nora.page.locator(`[data-gauge=${name}] .gauge-value`).textContent().then(parseFloat);
  await nora.page.waitForFunction(() => parseFloat(document.querySelector('[data-gauge=power] .gauge-value')?.textContent) > 0);
  const firstEnergy = await gaugeNumber('energy');
  await nora.page.waitForFunction((e) => parseFloat(document.querySelector('[data-gauge=energy] .gauge-value')?.textContent) > e, firstEnergy, { timeout: 30000 });
  assert.ok((await gaugeNumber('power')) > 5, 'the simulated pile charges at about 11 kW');
  await nora.expectToast('Stopped', () => nora.page.getByRole('button', { name: 'Stop charging' }).click());

  // The receipt, then her rating.
  const receipt = nora.page.locator('.receipt');
  await receipt.waitFor();
  assert.match(await receipt.textContent(), /Paid€\d+\.\d\d/);
  // Its ledger proof is checked in the browser against the block's header.
  await receipt.getByText('Proof checked on this phone').waitFor();
  // A proof with one hash changed does not pass.
  const tampered = await nora.page.evaluate(async () => {
    const id = location.hash.split('/session/')[1];
    const r = (await PM.get('/api/v1/service/bookings/' + id)).receipt;
    const bad = { ...r.proof, index: r.proof.leaf_count > 1 ? (r.proof.index + 1) % r.proof.leaf_count : 0 };
    return [await PM.merkleVerify(r.tx, r.proof, r.tx_root), await PM.merkleVerify(r.tx.replace(/^./, (c) => (c === '0' ? '1' : '0')), r.proof, r.tx_root),
      r.proof.leaf_count > 1 ? await PM.merkleVerify(r.tx, bad, r.tx_root) : false];
  });
  assert.deepEqual(tampered, [true, false, false]);
  const rating = nora.page.locator('form', { hasText: 'How was it?' });
  await rating.getByLabel('Good').check();
  await rating.getByLabel('Review (optional)').fill('Smooth, and the cable reaches easily.');
  await shot(nora, 'receipt-and-rating.png', true);
  await nora.expectToast('Thank you for rating', () => rating.getByRole('button', { name: 'Send rating' }).click());

  // The owner sees the booking, answers the review, and finds the session in the analytics.
  await owner.open('/owner/pile/pile-1');
  // Her booking shows the name of her profile.
  await owner.page.locator('table tbody tr', { hasText: 'Completed' }).filter({ hasText: 'Nora' }).waitFor();
  // The tabs work from the keyboard: the arrow key moves to the next one and shows its panel.
  await owner.page.getByRole('tab', { name: 'Bookings' }).focus();
  await owner.page.keyboard.press('ArrowRight');
  await owner.page.getByRole('tabpanel', { name: 'Reviews' }).waitFor();
  assert.equal(await owner.page.evaluate(() => document.activeElement.dataset.tab), 'reviews');
  const review = owner.page.locator('.review', { hasText: 'Smooth, and the cable' });
  await review.getByLabel('Your answer').fill('Thank you, Nora!');
  await owner.expectToast('Answer published', () => review.getByRole('button', { name: 'Answer' }).click());
  await owner.page.getByRole('tab', { name: 'Reviews' }).click();
  await owner.page.locator('.response', { hasText: 'Thank you, Nora!' }).waitFor();
  await shot(owner, 'owner-reviews.png');

  // Opening hours: a second window and a closure for a holiday, saved to the pile's spec.
  await owner.page.getByRole('tab', { name: 'Opening hours' }).click();
  await owner.page.getByRole('button', { name: 'Add a window' }).click();
  const second = owner.page.locator('fieldset.window', { hasText: 'Window 2' });
  await second.getByLabel('Sat').check();
  await second.getByLabel('From').fill('08:00');
  await second.getByLabel('Until').fill('12:00');
  await owner.page.getByRole('button', { name: 'Add a closure' }).click();
  const holiday = new Date(Date.now() + 3 * 24 * 3600 * 1000);
  holiday.setHours(0, 0, 0, 0);
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  await owner.page.getByLabel('Closed from').fill(local(holiday));
  await owner.page.locator('.closure').getByLabel('Until').fill(local(new Date(holiday.getTime() + 24 * 3600 * 1000)));
  await owner.expectToast('Opening hours saved', () => owner.page.getByRole('button', { name: 'Save opening hours' }).click());
  const spec = await gateway.api('/api/v1/service/piles/pile-1');
  assert.equal(spec.availability.length, 2);
  assert.deepEqual(spec.availability[1], { weekdays: 32, from_minute: 480, to_minute: 720 });
  assert.deepEqual(spec.closures, [{ from_ms: holiday.getTime(), to_ms: holiday.getTime() + 24 * 3600 * 1000 }]);
  // A cheaper night price, from midnight to six, every day.
  await owner.page.getByRole('tab', { name: 'Prices' }).click();
  await owner.page.getByRole('button', { name: 'Add hours with another price' }).click();
  const night = owner.page.locator('fieldset.window', { hasText: 'Hours 1' });
  await night.getByLabel('Until').fill('06:00');
  await night.getByLabel('Per kWh then').fill('0.20');
  await owner.expectToast('Prices saved', () => owner.page.getByRole('button', { name: 'Save prices' }).click());
  const tariff = await gateway.api('/api/v1/service/piles/pile-1');
  assert.deepEqual(tariff.time_of_use, [{ weekdays: 127, from_minute: 0, to_minute: 360, price_per_kwh: 20 }]);
  assert.equal(tariff.price_per_kwh, 35);

  // Neighbours see the day closed on the pile's calendar.
  await nora.open('/pile/pile-1');
  const closedDay = nora.page.locator('.cal-day').nth(3);
  await closedDay.locator('.cal-closed').first().waitFor();
  assert.match(await closedDay.locator('.sr-only').textContent(), /^Closed /);
  assert.equal(await nora.page.locator('.cal-day').nth(1).locator('.cal-closed').count(), 0);
  await owner.open('/owner/analytics/pile-1');
  await owner.page.locator('[data-chart=energy] canvas').waitFor();
  // The usage heatmap reads as a table: a row per weekday, a cell per hour with its minutes.
  const heat = owner.page.getByRole('table', { name: 'Minutes charged by weekday and hour' });
  assert.equal(await heat.getByRole('row').count(), 8);
  assert.equal(await heat.getByRole('cell').count(), 7 * 24);
  await owner.page.locator('[data-chart=revenue] canvas').waitFor();
  await shot(owner, 'owner-analytics.png', true);
  const analytics = await owner.page.evaluate(() => PM.get('/api/v1/service/piles/pile-1/analytics'));
  const months = Object.values(analytics.months);
  assert.equal(months.reduce((n, m) => n + m.sessions, 0), 1);
  assert.ok(months.reduce((n, m) => n + m.energy_wh, 0) > 0);
  // The report builder: sessions per month of all the owner's piles since yesterday, then none
  // in a window that ended before; and its CSV.
  const report = owner.page.locator('form', { hasText: 'Report' });
  await report.getByLabel('Measure').selectOption({ label: 'Sessions' });
  await report.getByLabel('Piles').selectOption({ label: 'All my piles' });
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  const isoDay = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  await report.getByLabel('First day').fill(isoDay(yesterday));
  await report.getByRole('button', { name: 'Show' }).click();
  await report.locator('table tbody tr').first().waitFor();
  const cells = await report.locator('table tbody td:nth-child(2)').allTextContents();
  assert.equal(cells.map(Number).reduce((a, b) => a + b, 0), 1);
  const csvHref = await report.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  assert.match(csvHref, /from_ms=\d+/);
  assert.doesNotMatch(csvHref, /pile=/);
  const csv = await owner.page.evaluate((u) => fetch(u).then((r) => r.text()), csvHref);
  assert.match(csv, /^month,sessions\n\d{4}-\d\d,1\n?$/);
  await report.getByLabel('First day').fill(isoDay(new Date(Date.now() - 9 * 24 * 3600 * 1000)));
  await report.getByLabel('Last day').fill(isoDay(new Date(Date.now() - 8 * 24 * 3600 * 1000)));
  await report.getByRole('button', { name: 'Show' }).click();
  await owner.page.waitForFunction(() => (document.querySelector('form a[download]')?.getAttribute('href') || '').includes('to_ms='));
  const older = await report.locator('table tbody td:nth-child(2)').allTextContents();
  assert.equal(older.map(Number).reduce((a, b) => a + b, 0), 0);

  // The plotted energy is that session's: the chart's numbers table says the same.
  const plotted = await owner.page.locator('[data-chart=energy] details td').nth(1).textContent();
  assert.equal(Number(plotted), Math.round(months[months.length - 1].energy_wh / 1000 * 100) / 100);
});
