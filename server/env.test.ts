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
