import { describe, expect, it } from 'vitest';
import {
  canDecideRenewal,
  canManageTeam,
  hasRight,
  normaliseRights,
  wouldLeaveNoAdmin,
} from '../../../src/domain/permissions';

describe('practice permissions', () => {
  const assistant = { role: 'assistant' as const, isAdmin: false, rights: ['messaging' as const] };
  const practitioner = {
    role: 'practitioner' as const,
    isAdmin: true,
    rights: ['messaging' as const, 'agenda' as const],
  };

  it('denies by default when there is no membership', () => {
    expect(canManageTeam(undefined)).toBe(false);
    expect(hasRight(undefined, 'messaging')).toBe(false);
    expect(canDecideRenewal(undefined)).toBe(false);
  });

  it('lets practice admins manage the team', () => {
    expect(canManageTeam(practitioner)).toBe(true);
    expect(canManageTeam(assistant)).toBe(false);
  });

  it('reserves renewal decisions to practitioners with the messaging right', () => {
    expect(canDecideRenewal(practitioner)).toBe(true);
    expect(canDecideRenewal({ ...assistant, isAdmin: true })).toBe(false);
    expect(canDecideRenewal({ ...practitioner, rights: ['agenda'] })).toBe(false);
  });

  it('normalises rights: known, unique, stable order', () => {
    expect(normaliseRights(['campaigns', 'messaging', 'messaging', 'root'])).toEqual([
      'messaging',
      'campaigns',
    ]);
  });

  it('protects the last admin', () => {
    expect(wouldLeaveNoAdmin(1, true, false)).toBe(true);
    expect(wouldLeaveNoAdmin(2, true, false)).toBe(false);
    expect(wouldLeaveNoAdmin(1, false, false)).toBe(false);
    expect(wouldLeaveNoAdmin(1, true, true)).toBe(false);
  });
});
