// The 360 px phone layout of search, booking and the live session, saved as screenshots for a
// reviewer (build/test-output/browser/phone_screens/). Each is also checked for what a phone
// user needs: nothing wider than the screen, and targets large enough to tap.
import assert from 'node:assert/strict';
import path from 'node:path';
import { run, demoSeed, outputDir, wholePage } from './harness.mjs';

const out = outputDir('phone_screens');

async function fitsThePhone(page, what) {
  await page.evaluate(() => document.getElementById('toasts').replaceChildren());  // a clean picture
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what}: ${overflow} px wider than the screen`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main select, main input:not([type=checkbox]):not([type=radio]), nav a')]
    .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 40).map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(small, [], `${what}: tap targets lower than 40 px`);
}

run('phone_screens', { demo: true }, async (gateway, person) => {
  const alice = await person('alice', { width: 360, height: 780 });
  const { page } = alice;
  await alice.signInWithSeed(demoSeed(1));

  await alice.open('/');
  await page.locator('.pile-card').first().waitFor();
  await fitsThePhone(page, 'search');
  await wholePage(page, path.join(out, 'search.png'));

  // The filters reach the gateway: a price in euros and a least rating keep exactly the piles
  // of the whole list that meet both.
  const all = (await gateway.api('/api/v1/service/piles?near=u33dc1&limit=500&view=list')).piles;
  const prices = all.map((p) => p.price_per_kwh).sort((a, b) => a - b);
  const cap = prices[Math.floor(prices.length / 2)];
  const expected = all.filter((p) => p.price_per_kwh <= cap && (p.rating_average || 0) >= 2).map((p) => p.id).sort();
  await page.getByText('Filters').click();
  await page.getByLabel(/Max price per kWh/).fill((cap / 100).toFixed(2));
  await page.getByLabel('Rating').selectOption({ label: '★★ and better' });
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/min_rating=2/);
  await page.getByText(`${expected.length} piles, nearest first`, { exact: true }).waitFor();
  assert.ok(expected.length > 0 && expected.length < all.length, 'the filters keep some piles, not all');
  const shown = (await page.locator('.pile-card').evaluateAll((cards) => cards.map((c) => decodeURIComponent(c.getAttribute('href').split('/pile/')[1])))).sort();
  assert.deepEqual(shown, expected);

  await alice.open('/pile/pile-1');
  const form = page.locator('#book');
  await form.getByLabel('For').selectOption({ label: '1 h' });
  await form.locator('.quote dl').waitFor();
  await form.scrollIntoViewIfNeeded();
  await fitsThePhone(page, 'booking');
  await page.screenshot({ path: path.join(out, 'booking.png'), fullPage: false });
  await wholePage(page, path.join(out, 'pile-page.png'));

  // Book now, start, and watch the session live.
  await alice.expectToast('Booked', () => form.getByRole('button', { name: 'Book and pay the deposit' }).click());
  await page.waitForURL(/#\/session\//);
  await alice.expectToast('Charging started', () => page.getByRole('button', { name: 'Start charging' }).click());
  const energy = page.locator('[data-gauge=energy] .gauge-value');
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-gauge=power] .gauge-value');
    return p && /kW/.test(p.textContent) && parseFloat(p.textContent) > 0;
  });
  await fitsThePhone(page, 'live session');
  await page.screenshot({ path: path.join(out, 'live-session.png'), fullPage: false });
  assert.match(await energy.textContent(), /kWh/);

  // As from another phone: without the booking's code kept here, the page asks for it, keeps
  // what is typed across its live updates, and stops with it.
  const sessionUrl = page.url();
  const code = await page.evaluate(() => PM.tokens()[location.hash.split('/session/')[1]]);
  await page.evaluate(() => localStorage.removeItem('pm.tokens'));
  await page.goto(sessionUrl);
  await page.reload();
  const codeField = page.getByLabel('Access code');
  await codeField.fill(code);
  // After a live update of the figures, the typed code is still there.
  const before = parseFloat(await energy.textContent());
  await page.waitForFunction((e) => parseFloat(document.querySelector('[data-gauge=energy] .gauge-value')?.textContent) > e, before, { timeout: 30000 });
  assert.equal(await codeField.inputValue(), code);
  await alice.expectToast('Stopped', () => page.getByRole('button', { name: 'Stop charging' }).click());
  await page.locator('.receipt').waitFor();
  assert.equal(await page.evaluate(() => Object.keys(PM.tokens()).length), 1, 'the typed code is kept once it worked');

  await alice.open('/wallet');
  await page.locator('.big-number').waitFor();
  await fitsThePhone(page, 'wallet');
  await page.screenshot({ path: path.join(out, 'wallet.png'), fullPage: false });

  // The receipts of her past sessions: each Merkle proof checks in the browser against its
  // block.
  const proofs = await page.evaluate(async () => {
    const { bookings } = await PM.get(`/api/v1/service/members/${PM.session.member}/bookings`);
    const out = [];
    for (const b of bookings.filter((x) => x.status === 3).slice(0, 8)) {
      const r = (await PM.get('/api/v1/service/bookings/' + b.id)).receipt;
      const block = await PM.get('/api/v1/ledger/blocks/' + r.height);
      out.push([r.proof.leaf_count, block.tx_root === r.tx_root && await PM.merkleVerify(r.tx, r.proof, block.tx_root)]);
    }
    return out;
  });
  assert.ok(proofs.length >= 3, `receipts: ${JSON.stringify(proofs)}`);
  assert.ok(proofs.every(([, ok]) => ok), JSON.stringify(proofs));
  // And every transaction of the demo's fullest early block (its registrations and top-ups):
  // proofs with paths of several hashes.
  const many = await page.evaluate(async () => {
    let fullest = null;
    for (let height = 1; height <= 12; ++height) {
      const block = await PM.get('/api/v1/ledger/blocks/' + height);
      if (!fullest || block.txs.length > fullest.txs.length) fullest = block;
    }
    const out = [];
    for (const tx of fullest.txs) {
      const rec = await PM.get('/api/v1/ledger/txs/' + tx.hash);
      out.push(await PM.merkleVerify(tx.hash, rec.proof, fullest.tx_root));
    }
    return out;
  });
  assert.ok(many.length > 2, `the fullest block holds ${many.length}`);
  assert.deepEqual(many, many.map(() => true));
});
