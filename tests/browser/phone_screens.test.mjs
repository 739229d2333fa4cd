// The 360 px phone layout of search, booking and the live session, saved as screenshots for a
// reviewer (build/test-output/browser/phone_screens/). Each is also checked for what a phone
// user needs: nothing wider than the screen, and targets large enough to tap.
import assert from 'node:assert/strict';
import path from 'node:path';
import { run, demoSeed, outputDir } from './harness.mjs';

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
  await page.screenshot({ path: path.join(out, 'search.png'), fullPage: true });

  await alice.open('/pile/pile-1');
  const form = page.locator('#book');
  await form.getByLabel('For').selectOption({ label: '1 h' });
  await form.locator('.quote dl').waitFor();
  await form.scrollIntoViewIfNeeded();
  await fitsThePhone(page, 'booking');
  await page.screenshot({ path: path.join(out, 'booking.png'), fullPage: false });
  await page.screenshot({ path: path.join(out, 'pile-page.png'), fullPage: true });

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

  await alice.open('/wallet');
  await page.locator('.big-number').waitFor();
  await fitsThePhone(page, 'wallet');
  await page.screenshot({ path: path.join(out, 'wallet.png'), fullPage: false });
});
