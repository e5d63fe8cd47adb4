import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { settingsSchema } from '../messages.ts';

const settings = (lockMinutes: number) => ({
  ...settingsSchema.parse({}),
  lockMinutes,
});

/** The module afresh (a restarted worker: no copies). */
async function load() {
  vi.resetModules();
  return import('./storage.ts');
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.restoreAllMocks();
});

describe('the worker keeps what it reads from chrome.storage', () => {
  it('should read a key once, and see its own writes without reading again', async () => {
    const s = await load();
    const get = vi.spyOn(fakeBrowser.storage.local, 'get');
    expect((await s.loadSettings()).lockMinutes).toBe(settingsSchema.parse({}).lockMinutes);
    await s.loadSettings();
    expect(get).toHaveBeenCalledTimes(1);
    await s.saveSettings(settings(7));
    expect((await s.loadSettings()).lockMinutes).toBe(7);
    expect(get).toHaveBeenCalledTimes(1);
    // What is stored is what the copy says.
    const { settings: stored } = await fakeBrowser.storage.local.get('settings');
    expect((stored as { lockMinutes: number }).lockMinutes).toBe(7);
  });

  it('should not keep a read that a write overtook', async () => {
    const s = await load();
    await fakeBrowser.storage.local.set({ settings: settings(1) });
    const real = fakeBrowser.storage.local.get.bind(fakeBrowser.storage.local);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The first read is answered (with the old value) only after the write has landed.
    vi.spyOn(fakeBrowser.storage.local, 'get').mockImplementationOnce(async (key) => {
      const old = await real(key as string);
      await held;
      return old;
    });
    const slowRead = s.loadSettings();
    await s.saveSettings(settings(2));
    release();
    expect((await slowRead).lockMinutes).toBe(1);
    expect((await s.loadSettings()).lockMinutes).toBe(2);
  });

  it('should hand out copies: editing what was read changes nothing until it is saved', async () => {
    const s = await load();
    await s.saveSettings(settings(3));
    const read = await s.loadSettings();
    read.lockMinutes = 99;
    expect((await s.loadSettings()).lockMinutes).toBe(3);
  });

  it('should see a change made outside the worker, and a removal', async () => {
    const s = await load();
    await s.saveSession({ accountKey: 'k', deadline: null });
    expect(await s.loadSession()).toEqual({ accountKey: 'k', deadline: null });
    await fakeBrowser.storage.session.set({ session: { accountKey: 'other', deadline: 5 } });
    await vi.waitFor(async () =>
      expect(await s.loadSession()).toEqual({ accountKey: 'other', deadline: 5 }),
    );
    await s.clearSession();
    expect(await s.loadSession()).toBeNull();
    expect(await fakeBrowser.storage.session.get('session')).toEqual({});
  });
});
