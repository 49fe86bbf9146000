import type { Scenario } from '../lib/result';
import { runCampaign } from './campaign';
import { runConnections } from './connections';
import { runCrash } from './crash';
import { runDeliver } from './deliver';
import { runInbox } from './inbox';
import { runSend } from './send';
import { runSoak } from './soak';

/** Every scenario, by the name given to `npm run bench -- <name>`; `all` runs them in this order. */
export const SCENARIOS: Record<string, Scenario> = {
  send: runSend,
  campaign: runCampaign,
  crash: runCrash,
  inbox: runInbox,
  deliver: runDeliver,
  connections: runConnections,
  soak: runSoak,
};
