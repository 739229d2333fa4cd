// Cancelling inside and outside the free window: the fee is shown before confirming, and
// exactly that is charged.
import assert from 'node:assert/strict';
import { run, demoSeed } from './harness.mjs';

run('cancel_fees', { demo: true }, async (gateway, person) => {
  const alice = await person('alice');
  await alice.signInWithSeed(demoSeed(1));
  const balance = () => alice.page.evaluate(async () => (await PM.get('/api/v1/service/members/' + PM.session.member)).balance);
  const before = await balance();
  const pile = await gateway.api('/api/v1/service/piles/pile-1');

  // latest: the day's last free start rather than its first, so that "tomorrow" is far
  // outside the free window whatever the time of day the test runs at.
  async function book(dayLabel, latest = false) {
    await alice.open('/pile/pile-1');
    const form = alice.page.locator('#book');
    await form.getByLabel('Day').selectOption({ label: dayLabel });
    await form.getByLabel('For').selectOption({ label: '1 h' });
    if (latest) {
      const starts = form.getByLabel('Start');
      const free = await starts.locator('option:not([disabled])').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(free.length > 0, `no free start ${dayLabel}`);
      await starts.selectOption(free[free.length - 1]);
    }
    await form.locator('.quote dl').waitFor();
    await alice.expectToast('Booked', () => form.getByRole('button', { name: 'Book and pay the deposit' }).click());
    await alice.page.waitForURL(/#\/session\//);
    return alice.page.url().split('/session/')[1];
  }
  async function cancel(id, expectText, confirmLabel) {
    await alice.open('/bookings');
    const card = alice.page.locator('.card', { has: alice.page.locator(`a[href="#/session/${id}"]`) });
    await card.getByRole('button', { name: 'Cancel' }).click();
    const dialog = alice.page.getByRole('dialog');
    await dialog.getByText(expectText).waitFor();
    await alice.expectToast('Cancelled', () => dialog.getByRole('button', { name: confirmLabel }).click());
  }

  // Tomorrow's slot: free to cancel; the whole deposit comes back.
  const early = await book('Tomorrow', true);
  await cancel(early, 'Cancelling is free until', 'Cancel for free');
  assert.equal(await balance(), before);

  // The session ends under the page (as after 12 hours, or a restart of the gateway): the next
  // action signs in again with the browser's key by itself.
  const ended = await alice.page.evaluate(async () =>
    (await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': PM.session.csrf } })).status);
  assert.ok(ended < 300, `logout answered ${ended}`);
  assert.equal(await alice.page.evaluate(async () => (await fetch('/api/v1/auth/session')).status), 401);

  // A slot starting now: inside the fee window.
  const fee = pile.cancel_fee;
  const late = await book('Today');
  // Its access code, for starting from another phone, is where the booking phone can show it.
  await alice.page.getByText('Access code').click();
  const code = await alice.page.evaluate((id) => PM.tokens()[id], late);
  assert.ok(code && code.length >= 16, 'the booking phone keeps the code');
  await alice.page.locator('code', { hasText: code }).waitFor();
  const feeText = await alice.page.evaluate((f) => PM.money(f), fee);
  await cancel(late, 'Cancelling now costs ' + feeText, 'Cancel and pay ' + feeText);
  assert.equal(await balance(), before - fee);
  const statuses = await alice.page.evaluate(async () =>
    (await PM.get(`/api/v1/service/members/${PM.session.member}/bookings`)).bookings.map((b) => [b.id, b.status, b.fees]));
  assert.deepEqual(statuses.find(([id]) => id === early), [early, 4, 0]);
  assert.deepEqual(statuses.find(([id]) => id === late), [late, 4, fee]);
});
