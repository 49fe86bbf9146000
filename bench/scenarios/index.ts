import type { Scenario } from '../lib/result';
import { runConnections } from './connections';
import { runDeliver } from './deliver';
import { runSend } from './send';
import { runSoak } from './soak';

/** Every scenario, by the name given to `npm run bench -- <name>`; `all` runs them in this order. */
export const SCENARIOS: Record<string, Scenario> = {
  send: runSend,
  deliver: runDeliver,
  connections: runConnections,
  soak: runSoak,
};
