// A review with markup in it is shown as the text it is: no script runs, no image loads.
import assert from 'node:assert/strict';
import { run, demoSeed } from './harness.mjs';

const EVIL = 'Great pile <script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> really';

run('review_is_text', { demo: true }, async (gateway, person) => {
  const alice = await person('alice');
  await alice.signInWithSeed(demoSeed(1));
  await alice.open('/bookings');
  // A past session of hers she has not rated yet.
  await alice.page.getByRole('link', { name: 'Receipt and rating' }).first().click();
  const form = alice.page.locator('form', { hasText: 'How was it?' });
  await form.getByLabel('Good').check();
  await form.getByLabel('Review (optional)').fill(EVIL);
  await alice.expectToast('Thank you for rating', () => form.getByRole('button', { name: 'Send rating' }).click());
  const pileId = (await alice.page.locator('h1').textContent()).replace('Charging at ', '');

  // Bob reads the pile's reviews.
  const bob = await person('bob');
  await bob.signInWithSeed(demoSeed(2));
  await bob.open('/pile/' + pileId);
  const review = bob.page.locator('.review-text', { hasText: 'Great pile' });
  await review.waitFor();
  assert.equal(await review.textContent(), EVIL);
  assert.equal(await bob.page.locator('.review img, .review script').count(), 0);
  assert.equal(await bob.page.evaluate(() => window.__xss), undefined);
  assert.equal(await alice.page.evaluate(() => window.__xss), undefined);
});
