import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BusEvent, type EventBus, userTopic } from '../../src/platform/bus/bus';
import { createRedisBus } from '../../src/platform/bus/redis-bus';
import { createLogger } from '../../src/platform/logging';

const url = process.env.REDIS_URL;

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe.skipIf(!url)('events across instances through Redis', () => {
  let sender: EventBus;
  let receiver: EventBus;

  beforeAll(async () => {
    const logger = createLogger({ logLevel: 'silent' });
    sender = createRedisBus(url!, logger);
    receiver = createRedisBus(url!, logger);
    // Both connections ready (subscriptions are made as soon as the connection is).
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(async () => {
    await sender?.close();
    await receiver?.close();
  });

  it('hands an event to the listeners of its users, per user or once for many users', async () => {
    const heard: { listener: string; event: BusEvent }[] = [];
    const ann = `ann-${Date.now()}`;
    const bob = `bob-${Date.now()}`;
    receiver.subscribe(userTopic(ann), (event) => heard.push({ listener: 'ann', event }));
    receiver.subscribe(userTopic(bob), (event) => heard.push({ listener: 'bob', event }));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // For one user: on that user's channel.
    await sender.publish({ type: 'message.created', conversationId: 'c1', cursor: 1, userIds: [ann] });
    await until(() => heard.length >= 1);
    expect(heard.map((h) => [h.listener, h.event.cursor])).toEqual([['ann', 1]]);

    // For many users at once (a campaign batch): sent once, heard by each listener among them, once.
    const many = [ann, ...Array.from({ length: 40 }, (_, i) => `nobody-${i}`), bob];
    await sender.publish({ type: 'campaign.delivered', campaignId: 'k1', cursor: 2, userIds: many });
    await until(() => heard.length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      heard
        .slice(1)
        .map((h) => [h.listener, h.event.type, h.event.cursor])
        .sort(),
    ).toEqual([
      ['ann', 'campaign.delivered', 2],
      ['bob', 'campaign.delivered', 2],
    ]);
  });
});
