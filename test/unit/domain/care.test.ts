import { describe, expect, it } from 'vitest';
import {
  ageOn,
  laterConsultation,
  matchKey,
  mayActForProfile,
  mayHoldOwnAccount,
  maySeeProfileItem,
} from '../../../src/domain/care';
import { mapColumns, parseDate, validateImport } from '../../../src/domain/consultation-import';

describe('care relationship rules', () => {
  const parent = 'parent';
  const teen = 'teen';
  const child = { ownerUserId: parent, userId: null, ownAccountSince: null };
  const teenWithAccount = { ownerUserId: parent, userId: teen, ownAccountSince: 1_000 };

  it('lets the holder and the managing relative act for a profile, nobody else', () => {
    expect(mayActForProfile(parent, child)).toBe(true);
    expect(mayActForProfile('stranger', child)).toBe(false);
    expect(mayActForProfile(teen, teenWithAccount)).toBe(true);
    expect(mayActForProfile(parent, teenWithAccount)).toBe(true);
  });

  it('hides from the parent what a teenager does after taking their own account, and nothing before', () => {
    expect(maySeeProfileItem(parent, teenWithAccount, { createdByUserId: parent, createdAt: 500 })).toBe(
      true,
    );
    expect(maySeeProfileItem(parent, teenWithAccount, { createdByUserId: teen, createdAt: 2_000 })).toBe(
      false,
    );
    expect(maySeeProfileItem(parent, teenWithAccount, { createdByUserId: parent, createdAt: 2_000 })).toBe(
      false,
    );
    expect(maySeeProfileItem(teen, teenWithAccount, { createdByUserId: parent, createdAt: 500 })).toBe(true);
    expect(maySeeProfileItem('stranger', child, { createdByUserId: parent, createdAt: 0 })).toBe(false);
  });

  it('computes ages on a date and the age for an own account', () => {
    expect(ageOn('2010-06-15', '2025-06-14')).toBe(14);
    expect(ageOn('2010-06-15', '2025-06-15')).toBe(15);
    expect(mayHoldOwnAccount('2010-06-15', '2025-06-15', 15)).toBe(true);
    expect(mayHoldOwnAccount('2010-06-16', '2025-06-15', 15)).toBe(false);
  });

  it('matches records regardless of accents, case and spacing', () => {
    expect(matchKey('  Lefèvre ', 'Héloïse-Anne', '1990-01-02')).toBe(
      matchKey('LEFEVRE', 'heloise anne', '1990-01-02'),
    );
    expect(matchKey('Petit', 'Jeanne', '1951-03-14')).not.toBe(matchKey('Petit', 'Jeanne', '1951-03-15'));
  });

  it('never moves the last consultation backwards', () => {
    expect(laterConsultation(undefined, 5)).toBe(5);
    expect(laterConsultation(10, 5)).toBe(10);
    expect(laterConsultation(10, 20)).toBe(20);
  });
});

describe('consultation import', () => {
  const header = ['Nom', 'Prénom', 'Date de naissance', 'E-mail', 'Dernière consultation'];

  it('recognises French, Italian and English headers', () => {
    expect(mapColumns(header).columns).not.toBeNull();
    expect(
      mapColumns(['cognome', 'nome', 'data di nascita', 'email', 'ultima visita']).columns,
    ).not.toBeNull();
    expect(mapColumns(['last_name', 'first name', 'DOB', 'e-mail', 'Last visit']).columns).not.toBeNull();
    expect(mapColumns(['name', 'birth']).missing).toEqual([
      'lastName',
      'firstName',
      'birthDate',
      'email',
      'lastConsultationOn',
    ]);
  });

  it('reads ISO and day-first dates and refuses impossible ones', () => {
    expect(parseDate('2024-03-05')).toBe('2024-03-05');
    expect(parseDate('5/3/2024')).toBe('2024-03-05');
    expect(parseDate('05.03.2024')).toBe('2024-03-05');
    expect(parseDate('29/02/2023')).toBeNull();
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('2024/03/05')).toBeNull();
    expect(parseDate('13/13/2024')).toBeNull();
  });

  it('reports every problem with its line, and keeps only valid rows', () => {
    const { rows, problems } = validateImport(
      [
        header,
        ['Petit', 'Jeanne', '14/03/1951', 'jeanne@example.org', '02/11/2025'],
        ['Petit', 'Jeanne', '1951-03-14', '', '2024-01-01'],
        ['', 'Paul', '1980-01-01', '', '2024-01-01'],
        ['Noir', 'Léo', '2030-01-01', '', '2024-01-01'],
        ['Blanc', 'Ana', '2000-01-01', 'not-mail', '1999-01-01'],
        ['', '', '', '', ''],
      ],
      '2025-11-25',
    );
    expect(rows.map((r) => r.line)).toEqual([2]);
    expect(problems).toEqual([
      { line: 3, field: 'row', reason: 'duplicate' },
      { line: 4, field: 'lastName', reason: 'missing' },
      { line: 5, field: 'birthDate', reason: 'future_date' },
      { line: 5, field: 'lastConsultationOn', reason: 'before_birth' },
      { line: 6, field: 'lastConsultationOn', reason: 'before_birth' },
      { line: 6, field: 'email', reason: 'invalid_email' },
    ]);
  });
});
