import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  toFhirAppointment,
  toFhirAuditEvent,
  toFhirMedicationRequest,
  toFhirMessage,
} from '../../../src/domain/fhir/resources';
import {
  comparePositions,
  dateInterval,
  decodeCursor,
  encodeCursor,
  isAfter,
  operationOutcome,
  type PagePosition,
  parseDateParams,
} from '../../../src/domain/fhir/search';

const ID = '01a214ec-e880-76d0-9b1b-40b7215613ff';
const OTHER = '01a214ec-ec4a-716d-86f7-a04300307fd9';

describe('FHIR date search parameters', () => {
  it('reads years, months, days and instants as intervals (dates in UTC)', () => {
    expect(dateInterval('2026')).toEqual({ start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    expect(dateInterval('2026-02')).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(dateInterval('2026-12-31')).toEqual({ start: Date.UTC(2026, 11, 31), end: Date.UTC(2027, 0, 1) });
    expect(dateInterval('2026-03-01T10:15:00Z')).toEqual({
      start: Date.UTC(2026, 2, 1, 10, 15),
      end: Date.UTC(2026, 2, 1, 10, 15, 1),
    });
    expect(dateInterval('2026-03-01T10:15+01:00')?.start).toBe(Date.UTC(2026, 2, 1, 9, 15));
    for (const bad of ['2026-13', '2026-02-30', '26-01-01', 'yesterday', '2026-01-01T10:00', '']) {
      expect(dateInterval(bad), bad).toBeNull();
    }
  });

  it('combines prefixes into one range, the narrowest bounds winning', () => {
    expect(parseDateParams(['ge2026-01-01', 'lt2026-02'])).toEqual({
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 1, 1),
    });
    expect(parseDateParams(['le2026-01-31'])).toEqual({ to: Date.UTC(2026, 1, 1) });
    expect(parseDateParams(['gt2026-01-31'])).toEqual({ from: Date.UTC(2026, 1, 1) });
    expect(parseDateParams(['2026-01-31'])).toEqual({
      from: Date.UTC(2026, 0, 31),
      to: Date.UTC(2026, 1, 1),
    });
    expect(parseDateParams(['ge2026', 'ge2026-06-01'])).toEqual({ from: Date.UTC(2026, 5, 1) });
    expect(parseDateParams([])).toEqual({});
    expect(parseDateParams(['ge2026-01-01', 'sa2026'])).toBeNull();
  });
});

describe('FHIR page cursors', () => {
  it('round-trips positions and refuses anything else', () => {
    fc.assert(
      fc.property(fc.nat(), fc.uuid(), (key, id) => {
        expect(decodeCursor(encodeCursor({ key, id }))).toEqual({ key, id });
      }),
    );
    for (const bad of [
      '',
      'not-a-cursor',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('["a","b"]').toString('base64url'),
    ]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });

  it('orders by key then id, so that walking pages visits every entry once', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ key: fc.integer({ min: 0, max: 5 }), id: fc.uuid() }), {
          selector: (p) => p.id,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        (entries, size) => {
          const sorted = [...entries].sort(comparePositions);
          const walked: PagePosition[] = [];
          let position: PagePosition | null = null;
          for (;;) {
            const page = sorted.filter((e) => isAfter(e, position)).slice(0, size);
            if (page.length === 0) break;
            walked.push(...page);
            position = page.at(-1)!;
          }
          expect(walked).toEqual(sorted);
        },
      ),
    );
  });
});

describe('FHIR mappings', () => {
  it('maps appointment statuses to the FHIR codes', () => {
    const base = {
      id: ID,
      patientProfileId: OTHER,
      patientName: 'Jeanne Petit',
      practitionerId: ID,
      practitionerName: 'Claire Martin',
      practiceName: 'Cabinet des Lilas',
      startsAt: Date.UTC(2026, 10, 9, 8),
      endsAt: Date.UTC(2026, 10, 9, 8, 20),
      cancelReason: 'Empêchement',
      createdAt: Date.UTC(2026, 10, 2),
    };
    expect(toFhirAppointment({ ...base, status: 'attended' })).toMatchObject({
      status: 'fulfilled',
      minutesDuration: 20,
    });
    expect(toFhirAppointment({ ...base, status: 'no_show' }).status).toBe('noshow');
    expect(toFhirAppointment({ ...base, status: 'cancelled' })).toMatchObject({
      status: 'cancelled',
      cancelationReason: { text: 'Empêchement' },
    });
    expect(toFhirAppointment({ ...base, status: 'booked' }).cancelationReason).toBeUndefined();
  });

  it('keeps a pending renewal without statusReason and puts the decision there once taken', () => {
    const base = {
      id: ID,
      threadId: OTHER,
      patientProfileId: OTHER,
      patientName: 'Jeanne Petit',
      practitionerId: ID,
      practitionerName: 'Claire Martin',
      medication: 'Lévothyrox',
      dosage: '75 µg',
      takenFor: '6 ans',
      lastPrescriptionOn: '2026-05-02',
      decisionReason: null,
      pickup: null,
      decidedAt: null,
      createdAt: 0,
    };
    expect(toFhirMedicationRequest({ ...base, status: 'pending' })).toMatchObject({
      status: 'active',
      intent: 'proposal',
    });
    expect(toFhirMedicationRequest({ ...base, status: 'pending' }).statusReason).toBeUndefined();
    expect(toFhirMedicationRequest({ ...base, status: 'approved', pickup: 'pharmacy' })).toMatchObject({
      status: 'completed',
      statusReason: { coding: [{ code: 'approved' }] },
      note: expect.arrayContaining([{ text: 'Pickup: pharmacy' }]),
    });
  });

  it('gives a system message no sender and an empty message no payload', () => {
    const message = toFhirMessage({
      id: ID,
      threadId: OTHER,
      patientProfileId: OTHER,
      patientName: 'Jeanne Petit',
      seq: 3,
      kind: 'notice',
      body: '',
      sender: { type: 'system' },
      recipient: { type: 'patient', profileId: OTHER, name: 'Jeanne Petit' },
      createdAt: 0,
      renewalId: null,
      attachments: [],
    });
    expect(message.sender).toBeUndefined();
    expect(message.payload).toBeUndefined();
    expect(message.identifier).toEqual([{ system: `urn:missive:conversation:${OTHER}`, value: '3' }]);
  });

  it('tells reads from changes in the audit trail and names their targets', () => {
    const entry = (action: string, target: { type: string; id: string | null }) =>
      toFhirAuditEvent({
        id: ID,
        at: 0,
        action,
        actor: { type: 'practitioner', userId: ID, name: 'Claire Martin' },
        actorRole: 'staff',
        patientProfileId: OTHER,
        target,
      });
    expect(entry('conversation.opened', { type: 'conversation', id: ID })).toMatchObject({
      action: 'R',
      entity: [{ what: { reference: `Patient/${OTHER}` } }, { what: { reference: `Communication/${ID}` } }],
    });
    expect(entry('conversation.started', { type: 'conversation', id: ID }).action).toBe('C');
    expect(entry('renewal.decided', { type: 'renewal', id: ID }).action).toBe('U');
    expect(entry('fhir.read', { type: 'Patient', id: OTHER })).toMatchObject({
      action: 'R',
      entity: [{ what: { reference: `Patient/${OTHER}` }, role: { code: '1' } }],
    });
    expect(entry('fhir.read', { type: 'MedicationRequest', id: ID }).entity).toContainEqual({
      what: { reference: `MedicationRequest/${ID}` },
      role: { code: '4' },
    });
    expect(entry('practice.updated', { type: 'practice', id: ID }).entity).toContainEqual({
      what: { display: `practice/${ID}` },
      role: { code: '4' },
    });
  });

  it('gives errors the FHIR issue code of their status, with field paths but no values', () => {
    expect(
      operationOutcome({
        status: 400,
        code: 'MISSIVE_VALIDATION',
        message: 'The request is invalid.',
        requestId: ID,
        issues: [{ path: 'query.date', reason: 'invalid_date' }],
      }),
    ).toEqual({
      resourceType: 'OperationOutcome',
      id: ID,
      issue: [
        {
          severity: 'error',
          code: 'invalid',
          details: {
            coding: [{ system: 'urn:missive:error-code', code: 'MISSIVE_VALIDATION' }],
            text: 'The request is invalid.',
          },
          diagnostics: 'query.date: invalid_date',
          expression: ['query.date'],
        },
      ],
    });
    expect(
      operationOutcome({ status: 500, code: 'MISSIVE_INTERNAL', message: 'x', requestId: ID }).issue,
    ).toEqual([expect.objectContaining({ severity: 'fatal', code: 'exception' })]);
  });
});
