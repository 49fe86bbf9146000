import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type BusEvent, type EventBus, TopicRegistry, topicsOf } from './bus';

const PREFIX = 'missive:events:';
/**
 * Events for more topics than this (a campaign batch's recipients) go once on a channel every instance
 * listens to, rather than once per topic: each instance hands them to the topics it has listeners for.
 */
const BULK_TOPICS = 16;
const BULK_CHANNEL = `${PREFIX}*bulk`;

/**
 * Fan-out across instances through Redis pub/sub: one channel per user and per practice, subscribed only
 * while a local socket listens. Redis is only the doorbell: an event lost while Redis is away is recovered
 * by clients through /api/v1/sync, which reads the database.
 */
export function createRedisBus(url: string, logger: Logger): EventBus {
  const publisher = new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  const registry = new TopicRegistry();
  for (const client of [publisher, subscriber])
    client.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection problem'));
  subscriber.on('message', (channel: string, payload: string) => {
    if (!channel.startsWith(PREFIX)) return;
    let event: BusEvent;
    try {
      event = JSON.parse(payload) as BusEvent;
    } catch {
      return;
    }
    if (channel === BULK_CHANNEL) for (const topic of topicsOf(event)) registry.dispatch(topic, event);
    else registry.dispatch(channel.slice(PREFIX.length), event);
  });
  subscriber
    .subscribe(BULK_CHANNEL)
    .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'redis subscribe failed'));
  return {
    async publish(event) {
      const payload = JSON.stringify(event);
      const topics = topicsOf(event);
      if (topics.length > BULK_TOPICS) {
        await publisher.publish(BULK_CHANNEL, payload).catch((err: Error) => {
          logger.warn({ err: { message: err.message } }, 'redis publish failed');
        });
        return;
      }
      await Promise.all(
        topics.map((topic) =>
          publisher.publish(PREFIX + topic, payload).catch((err: Error) => {
            // Delivery is best effort; the database stays the source of truth.
            logger.warn({ err: { message: err.message } }, 'redis publish failed');
          }),
        ),
      );
    },
    subscribe(topic, handler) {
      const { first, remove } = registry.add(topic, handler);
      if (first)
        subscriber
          .subscribe(PREFIX + topic)
          .catch((err: Error) => logger.warn({ err: { message: err.message } }, 'redis subscribe failed'));
      return () => {
        if (remove()) subscriber.unsubscribe(PREFIX + topic).catch(() => undefined);
      };
    },
    async close() {
      registry.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
