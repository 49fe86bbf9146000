import { describe, expect, it } from 'vitest';
import { formatProgress } from '../../src/cli/rotate-keys';
import { csvCell, csvLine } from '../../src/features/audit/audit-export.service';

describe('audit CSV cells', () => {
  it('quotes every cell and doubles quotes', () => {
    expect(csvCell('Claire Martin')).toBe('"Claire Martin"');
    expect(csvCell('Mozilla/5.0 "x"')).toBe('"Mozilla/5.0 ""x"""');
    expect(csvCell(null)).toBe('""');
    expect(csvLine(['a', 'b,c', 'd\ne'])).toBe('"a","b,c","d\ne"\r\n');
  });

  it('neutralises what a spreadsheet would run as a formula', () => {
    for (const value of ['=1+2', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx', '|cmd', '%0A'])
      expect(csvCell(value)).toBe(`"'${value}"`);
    expect(csvCell('a=1')).toBe('"a=1"');
  });
});

describe('key rotation progress line', () => {
  const progress = {
    id: '01a214ee-9322-725e-b711-d9440dae78f0',
    status: 'running' as const,
    dataKeyId: '01a214ee-9322-725e-b711-d9440dae78f1',
    startedAt: 0,
    finishedAt: null,
    total: 200,
    processed: 50,
    reencrypted: 70,
    unreadable: 0,
    pass: 1,
    percent: 25,
  };

  it('draws a bar in proportion to the percentage', () => {
    expect(formatProgress(progress)).toBe(
      `[${'#'.repeat(8)}${'.'.repeat(22)}]  25% 50/200 rows, 70 records re-encrypted`,
    );
    expect(formatProgress({ ...progress, percent: 100, processed: 230, unreadable: 2, status: 'done' })).toBe(
      `[${'#'.repeat(30)}] 100% 200/200 rows, 70 records re-encrypted, 2 unreadable`,
    );
  });
});
