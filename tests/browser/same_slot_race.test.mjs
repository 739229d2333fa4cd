// Two neighbours book the same slot at the same moment: exactly one gets it; the other is told
// so and sees the slot as taken.
import assert from 'node:assert/strict';
import { run, demoSeed } from './harness.mjs';

run('same_slot_race', { demo: true }, async (gateway, person) => {
  const people = [await person('bob'), await person('carol')];
  await people[0].signInWithSeed(demoSeed(2));
  await people[1].signInWithSeed(demoSeed(3));
  const starts = [];
  for (const p of people) {
    await p.open('/pile/frank-carport');
    const form = p.page.locator('#book');
    await form.getByLabel('Day').selectOption({ label: 'Tomorrow' });
    await form.getByLabel('For').selectOption({ label: '2 h' });
    await form.getByLabel('Start').selectOption({ index: 20 });  // 10:00 tomorrow, both
    await form.locator('.quote dl').waitFor();
    starts.push(await form.getByLabel('Start').inputValue());
  }
  assert.equal(starts[0], starts[1]);

  const outcomes = people.map((p) => new Promise((resolve) => {
    p.expectToast('Booked', () => {}).then(() => resolve('won'), () => {});
    p.expectToast('Someone booked this slot', () => {}).then(() => resolve('lost'), () => {});
  }));
  await Promise.all(people.map((p) => p.page.locator('#book').getByRole('button', { name: 'Book and pay the deposit' }).click()));
  const results = await Promise.all(outcomes);
  assert.deepEqual([...results].sort(), ['lost', 'won']);

  const loser = people[results.indexOf('lost')];
  // The loser's picker now shows that start as taken, and cannot pick it.
  const option = loser.page.locator('#book').getByLabel('Start').locator(`option[value="${starts[0]}"]`);
  await option.filter({ hasText: 'taken' }).waitFor({ state: 'attached' });
  assert.match(await option.textContent(), /taken/);
  assert.equal(await option.isDisabled(), true);
  const detail = await gateway.api('/api/v1/service/piles/frank-carport');
  assert.equal(detail.taken.filter((t) => String(t.start_ms) === starts[0]).length, 1);
});
