import { describe, expect, it } from 'vitest';
import type { AppState } from '../messages.ts';
import { badgeFor } from './badge.ts';

const state = (o: Partial<AppState>): AppState =>
  ({
    phase: 'unlocked',
    sync: { kind: 'synced', at: null },
    pending: 0,
    trust: { setAside: 0, integrity: 'ok', warning: null },
    settings: { language: 'en' },
    ...o,
  }) as AppState;

const syncing = { sync: { kind: 'syncing', pulled: 0 } } as const;

describe('badgeFor', () => {
  it('should show a grey icon and no text while locked or before setup', () => {
    expect(badgeFor(state({ phase: 'locked' }))).toMatchObject({ locked: true, text: '' });
    expect(badgeFor(state({ phase: 'setup' })).title).toBe('Cofre — not set up');
  });
  it('should count edits waiting offline and while a sync shows as running, not during a quick one', () => {
    expect(badgeFor(state({ sync: { kind: 'offline', pending: 3 } }))).toMatchObject({
      text: '3',
      title: 'Cofre — 3 edits waiting to sync (offline)',
    });
    expect(badgeFor(state({ ...syncing, pending: 1 })).title).toBe(
      'Cofre — 1 edit waiting to sync',
    );
    expect(badgeFor(state({ ...syncing, pending: 12_000 })).text).toBe('999+');
    // The sync after an edit, before it shows as running: the button stays as it was.
    expect(badgeFor(state({ pending: 1 }))).toEqual(badgeFor(state({})));
  });
  it('should say "!" for a sync error and for copies set aside', () => {
    expect(badgeFor(state({ sync: { kind: 'error', reason: 'x', pending: 0 } })).text).toBe('!');
    expect(
      badgeFor(state({ trust: { setAside: 2, integrity: 'ok', warning: null } })).title,
    ).toMatch(/failed their check/);
  });
  it('should say it in the language of the settings', () => {
    const es = { settings: { language: 'es' } } as Partial<AppState>;
    expect(badgeFor(state({ ...es, phase: 'locked' })).title).toBe('Cofre — bloqueado');
    expect(badgeFor(state({ ...es, ...syncing, pending: 1 })).title).toBe(
      'Cofre — 1 cambio pendiente de sincronizar',
    );
    expect(badgeFor(state({ ...es, sync: { kind: 'offline', pending: 3 } })).title).toBe(
      'Cofre — 3 cambios pendientes de sincronizar (sin conexión)',
    );
  });
  it('should count sharing that waits for the person, and alarm on a vault that failed its check', () => {
    const sharing = (o: Partial<NonNullable<AppState['sharing']>>) => ({
      sharing: { invitations: 0, toConfirm: 0, refused: 0, rescued: 0, ...o },
    });
    expect(badgeFor(state(sharing({ invitations: 2 })))).toMatchObject({
      text: '2',
      title: 'Cofre — 2 invitations to a shared vault',
    });
    expect(badgeFor(state(sharing({ toConfirm: 1 })))).toMatchObject({
      text: '1',
      title: 'Cofre — 1 person waits for your confirmation',
    });
    expect(badgeFor(state(sharing({ refused: 1, invitations: 3 }))).text).toBe('!');
    // Edits waiting come first: they are about this device's data.
    expect(badgeFor(state({ ...syncing, pending: 4, ...sharing({ invitations: 1 }) })).text).toBe(
      '4',
    );
    expect(
      badgeFor(state({ settings: { language: 'es' }, ...sharing({ invitations: 1 }) } as never))
        .title,
    ).toBe('Cofre — 1 invitación a una bóveda compartida');
  });
  it('should show nothing when unlocked and synced', () => {
    expect(badgeFor(state({}))).toMatchObject({ locked: false, text: '' });
  });
});
