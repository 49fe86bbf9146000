import type { Scenario } from '../lib/result';
import { runCampaign } from './campaign';
import { runSend } from './send';

/** Every scenario, by the name given to `npm run bench -- <name>`; `all` runs them in this order. */
export const SCENARIOS: Record<string, Scenario> = {
  send: runSend,
  campaign: runCampaign,
};
