import type { PracticeRight } from '../../../../src/contracts/accounts';

export const RIGHTS: readonly PracticeRight[] = ['messaging', 'agenda', 'patients', 'campaigns'];

/** Rights in their canonical order, whatever order they were toggled in. */
export function withRight(
  rights: readonly PracticeRight[],
  right: PracticeRight,
  on: boolean,
): PracticeRight[] {
  const next = new Set(rights);
  if (on) next.add(right);
  else next.delete(right);
  return RIGHTS.filter((candidate) => next.has(candidate));
}
