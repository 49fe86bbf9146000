/**
 * The event bus rings the bell after a commit: "something changed for these users/practices". Subscribers
 * (the realtime gateway) read what changed from the store. Events carry ids and cursors, never content.
 */
export interface BusEvent {
  type: string;
  /** Users who may be concerned. Access is still checked when the event is delivered. */
  userIds?: string[];
  practiceIds?: string[];
  [key: string]: unknown;
}

export type BusHandler = (event: BusEvent) => void;

export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  subscribe(handler: BusHandler): () => void;
  close(): Promise<void>;
}

/** The embedded deployment's bus: one process, synchronous fan-out after the current tick. */
export function createInProcessBus(): EventBus {
  const handlers = new Set<BusHandler>();
  return {
    async publish(event) {
      for (const handler of handlers) queueMicrotask(() => handler(event));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
