import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('has working defaults for the embedded mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      secureCookies: false,
      demo: true,
      databaseUrl: undefined,
    });
    expect(config.session.staffIdleTimeoutMs).toBe(30 * 60_000);
  });

  it('turns the demo off with MISSIVE_DEMO=0 and always in production', () => {
    expect(loadConfig({ MISSIVE_DEMO: '0' }).demo).toBe(false);
    const production = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://missive.example.org',
      MISSIVE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      MISSIVE_DEMO: '1',
    });
    expect(production.demo).toBe(false);
    expect(production.secureCookies).toBe(true);
  });

  it('keeps the audit trail at least 24 months', () => {
    expect(loadConfig({}).auditRetentionMonths).toBe(24);
    expect(loadConfig({ AUDIT_RETENTION_MONTHS: '60' }).auditRetentionMonths).toBe(60);
    expect(() => loadConfig({ AUDIT_RETENTION_MONTHS: '12' })).toThrow(ConfigError);
  });

  it('takes the previous master key only during a rotation, alongside a different new one', () => {
    const key = (n: number) => Buffer.alloc(32, n).toString('base64');
    expect(loadConfig({ MISSIVE_MASTER_KEY: key(1), MISSIVE_PREVIOUS_MASTER_KEY: key(2) })).toMatchObject({
      masterKey: key(1),
      previousMasterKey: key(2),
    });
    expect(() => loadConfig({ MISSIVE_PREVIOUS_MASTER_KEY: key(2) })).toThrow(/MISSIVE_PREVIOUS_MASTER_KEY/);
    expect(() => loadConfig({ MISSIVE_MASTER_KEY: key(1), MISSIVE_PREVIOUS_MASTER_KEY: key(1) })).toThrow(
      /must differ/,
    );
  });

  it('refuses to start in production without a master key or a public URL', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://missive.example.org' })).toThrow(
      /MISSIVE_MASTER_KEY/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', MISSIVE_MASTER_KEY: Buffer.alloc(32).toString('base64') }),
    ).toThrow(/PUBLIC_URL/);
  });

  it('names every invalid setting', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MISSIVE_MASTER_KEY: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).toContain('MISSIVE_MASTER_KEY');
    }
  });
});
