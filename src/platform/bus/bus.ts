/**
 * The event bus rings the bell after a commit: "something changed for these users/practices". Events carry
 * ids and the change cursor, never content; subscribers read what changed from the store, and access is
 * checked again when an event is delivered. Topics are per user and per practice.
 */
export interface BusEvent {
  type: string;
  conversationId?: string;
  /** A campaign's message delivered to the users of `userIds` (whose inbox shows it once they list it). */
  campaignId?: string;
  cursor: number;
  /** Users who may be concerned (patients and relatives managing them). */
  userIds?: string[];
  /** Practices whose members with the right may be concerned. */
  practiceIds?: string[];
}

export type BusHandler = (event: BusEvent) => void;

export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  /** Listens to one topic (`user:<id>` or `practice:<id>`); returns the function that stops listening. */
  subscribe(topic: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}

export const userTopic = (id: string) => `user:${id}`;
export const practiceTopic = (id: string) => `practice:${id}`;

export function topicsOf(event: BusEvent): string[] {
  return [...(event.userIds ?? []).map(userTopic), ...(event.practiceIds ?? []).map(practiceTopic)];
}

/** Local fan-out by topic, shared by the in-process bus and by the Redis bus on the receiving side. */
export class TopicRegistry {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  add(topic: string, handler: BusHandler): { first: boolean; remove: () => boolean } {
    let set = this.handlers.get(topic);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return {
      first,
      // Returns true when the topic has no listener left.
      remove: () => {
        const current = this.handlers.get(topic);
        if (!current) return false;
        current.delete(handler);
        if (current.size > 0) return false;
        this.handlers.delete(topic);
        return true;
      },
    };
  }

  dispatch(topic: string, event: BusEvent): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(event);
      } catch {
        // One failing listener must not stop the others.
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}

/** The embedded deployment's bus: one process, fan-out after the current tick. */
export function createInProcessBus(): EventBus {
  const registry = new TopicRegistry();
  return {
    async publish(event) {
      queueMicrotask(() => {
        for (const topic of topicsOf(event)) registry.dispatch(topic, event);
      });
    },
    subscribe(topic, handler) {
      const { remove } = registry.add(topic, handler);
      return () => void remove();
    },
    async close() {
      registry.clear();
    },
  };
}
