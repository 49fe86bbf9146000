import { describe, expect, it } from 'vitest';
import { BACKGROUND_MAX_WAIT_MS, FairMutex } from '../../src/platform/db/sqlite-driver';

/** Takes the lock, records who got it, and gives it back at once. */
const take = (lock: FairMutex, order: string[], name: string, background = false) =>
  lock.lock({ background }).then(() => {
    order.push(name);
    lock.unlock();
  });

describe('the writer lock', () => {
  it('serves interactive writers in arrival order, before a background writer that has not waited long', async () => {
    const lock = new FairMutex();
    await lock.lock();
    const order: string[] = [];
    const all = [
      take(lock, order, 'fan-out', true),
      take(lock, order, 'send 1'),
      take(lock, order, 'send 2'),
    ];
    lock.unlock();
    await Promise.all(all);
    expect(order).toEqual(['send 1', 'send 2', 'fan-out']);
  });

  it('serves a background writer that has waited its maximum before interactive writers that came after', async () => {
    const lock = new FairMutex();
    await lock.lock();
    const order: string[] = [];
    const background = take(lock, order, 'fan-out', true);
    await new Promise((resolve) => setTimeout(resolve, BACKGROUND_MAX_WAIT_MS + 10));
    const send = take(lock, order, 'send');
    lock.unlock();
    await Promise.all([background, send]);
    expect(order).toEqual(['fan-out', 'send']);
  });

  it('is free again once every holder gave it back', async () => {
    const lock = new FairMutex();
    const order: string[] = [];
    await take(lock, order, 'first', true);
    await take(lock, order, 'second');
    expect(order).toEqual(['first', 'second']);
    // Taken without waiting: nobody holds it.
    let taken = false;
    void lock.lock().then(() => {
      taken = true;
    });
    await Promise.resolve();
    expect(taken).toBe(true);
  });
});
