import { describe, expect, it } from 'vitest';
import { EXTENSION_ORIGIN } from '../shared/extension-id.ts';
import { loadEnv } from './env.ts';

describe('loadEnv', () => {
  it('should give working defaults when nothing is set', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(8787);
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.DATA_DIR).toBe('./data');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.EXTENSION_ORIGINS).toEqual([EXTENSION_ORIGIN]);
  });

  it('should name every bad variable on its own line', () => {
    expect(() =>
      loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', EXTENSION_ORIGINS: 'https://a.b' }),
    ).toThrowError(
      /^PORT: .*\nDATABASE_URL: expected a postgres.*\nEXTENSION_ORIGINS.*chrome-extension/,
    );
  });

  it('should treat an empty variable as unset', () => {
    expect(loadEnv({ PORT: '', LOG_LEVEL: '' }).PORT).toBe(8787);
  });

  it('should refuse an idle lifetime longer than the absolute one', () => {
    expect(() => loadEnv({ SESSION_IDLE_SECONDS: '100', SESSION_ABSOLUTE_SECONDS: '10' })).toThrow(
      /SESSION_IDLE_SECONDS/,
    );
  });

  it('should read TRUST_PROXY as off, on, a hop count or proxy addresses', () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toBe(
      '10.0.0.0/8, 127.0.0.1',
    );
    expect(() => loadEnv({ TRUST_PROXY: 'yes please' })).toThrow(/^TRUST_PROXY: /);
  });

  it('should read a comma-separated list of extension origins', () => {
    const a = `chrome-extension://${'a'.repeat(32)}`;
    const b = `chrome-extension://${'b'.repeat(32)}`;
    expect(loadEnv({ EXTENSION_ORIGINS: `${a}, ${b}` }).EXTENSION_ORIGINS).toEqual([a, b]);
  });
});

describe('BACKUP_INTERVAL', () => {
  it('should read seconds, minutes, hours and days', () => {
    expect(loadEnv({ BACKUP_INTERVAL: '90' }).BACKUP_INTERVAL).toBe(90);
    expect(loadEnv({ BACKUP_INTERVAL: '30m' }).BACKUP_INTERVAL).toBe(1800);
    expect(loadEnv({ BACKUP_INTERVAL: '6h' }).BACKUP_INTERVAL).toBe(21_600);
    expect(loadEnv({ BACKUP_INTERVAL: '1d' }).BACKUP_INTERVAL).toBe(86_400);
    expect(loadEnv({}).BACKUP_INTERVAL).toBeUndefined();
  });

  it('should refuse a zero or malformed interval with a line naming it', () => {
    expect(() => loadEnv({ BACKUP_INTERVAL: '0h' })).toThrow(/^BACKUP_INTERVAL: /);
    expect(() => loadEnv({ BACKUP_INTERVAL: 'weekly' })).toThrow(/^BACKUP_INTERVAL: expected/);
    expect(() => loadEnv({ BACKUP_KEEP: '0' })).toThrow(/^BACKUP_KEEP: /);
  });
});

describe('who may join, mail, second factor and database roles', () => {
  it('should leave SIGNUPS unset by default and read the domain list', () => {
    expect(loadEnv({}).SIGNUPS).toBeUndefined();
    expect(loadEnv({ SIGNUPS: 'closed' }).SIGNUPS).toBe('closed');
    expect(loadEnv({ SIGNUP_DOMAINS: ' Example.com, @family.org ' }).SIGNUP_DOMAINS).toEqual([
      'example.com',
      'family.org',
    ]);
    expect(() => loadEnv({ SIGNUPS: 'anyone' })).toThrow(/^SIGNUPS: /);
    expect(() => loadEnv({ SIGNUP_DOMAINS: 'not a domain' })).toThrow(
      /^SIGNUP_DOMAINS\.0: expected domain names/,
    );
  });

  it('should read REQUIRE_2FA as a yes or a no', () => {
    expect(loadEnv({}).REQUIRE_2FA).toBe(false);
    expect(loadEnv({ REQUIRE_2FA: 'true' }).REQUIRE_2FA).toBe(true);
    expect(loadEnv({ REQUIRE_2FA: '0' }).REQUIRE_2FA).toBe(false);
    expect(() => loadEnv({ REQUIRE_2FA: 'maybe' })).toThrow(/^REQUIRE_2FA: /);
  });

  it('should refuse a bad SMTP_URL without echoing it (it may hold a password)', () => {
    expect(loadEnv({ SMTP_URL: 'smtps://me:pw@mail.example.com:465' }).SMTP_URL).toMatch(/^smtps:/);
    let message = '';
    try {
      loadEnv({ SMTP_URL: 'http://me:hunter2@mail.example.com' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^SMTP_URL: expected smtp:/);
    expect(message).not.toContain('hunter2');
  });

  it('should want DATABASE_URL beside a replica or a migration role', () => {
    expect(() => loadEnv({ DATABASE_READ_URL: 'postgres://r/x' })).toThrow(
      /^DATABASE_READ_URL: needs DATABASE_URL/,
    );
    expect(() => loadEnv({ DATABASE_MIGRATION_URL: 'postgres://o/x' })).toThrow(
      /^DATABASE_MIGRATION_URL: needs DATABASE_URL/,
    );
    expect(
      loadEnv({ DATABASE_URL: 'postgres://a/x', DATABASE_READ_URL: 'postgres://r/x' })
        .DATABASE_READ_URL,
    ).toBe('postgres://r/x');
  });
});
