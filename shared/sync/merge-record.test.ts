import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecordBody, type RecordBody } from '../model/item.ts';
import { mergeRecord } from './merge-record.ts';

const t0 = '2026-11-01T00:00:00.000Z';
const t1 = '2026-11-02T00:00:00.000Z';
const t2 = '2026-11-03T00:00:00.000Z';
const now = '2026-11-04T00:00:00.000Z';
const login = (o: Record<string, unknown> = {}) =>
  parseRecordBody({
    type: 'login',
    name: 'Bank',
    username: 'ana',
    password: 'p0',
    createdAt: t0,
    updatedAt: t0,
    ...o,
  });

const passkey = (credentialId: string, userName = 'ana') => ({
  credentialId,
  rpId: 'bank.example',
  userHandle: 'dXNlcg',
  userName,
  algorithm: -7,
  privateKey: 'cHJpdmF0ZQ',
  createdAt: t1,
});

describe('mergeRecord', () => {
  it('should keep the passkeys both devices added to a login offline, and drop one either removed', () => {
    const base = login({ passkeys: [passkey('a'), passkey('b')] });
    // This device removed b and added c; the other added d and renamed a's user.
    const local = login({ passkeys: [passkey('a'), passkey('c')], updatedAt: t1 });
    const server = login({
      passkeys: [passkey('a', 'ana.maria'), passkey('b'), passkey('d')],
      updatedAt: t2,
    });
    const { merged, preserved } = mergeRecord(base, local, server, now);
    expect(
      merged?.type === 'login' && merged.passkeys.map((p) => [p.credentialId, p.userName]),
    ).toEqual([
      ['a', 'ana.maria'],
      ['d', 'ana'],
      ['c', 'ana'],
    ]);
    expect(preserved).toBe(0);
    // A passkey one side removed while the other changed it stays (an edit beats a delete).
    const kept = mergeRecord(
      base,
      login({ passkeys: [passkey('b')], updatedAt: t1 }),
      server,
      now,
    ).merged;
    expect(kept?.type === 'login' && kept.passkeys.map((p) => p.credentialId)).toEqual([
      'a',
      'b',
      'd',
    ]);
  });

  it('should take each side for the fields only that side changed', () => {
    const base = login();
    const { merged, preserved } = mergeRecord(
      base,
      login({ username: 'ana.b', updatedAt: t1 }),
      login({ notes: 'pin is 1234', updatedAt: t2 }),
      now,
    );
    expect(merged).toMatchObject({ username: 'ana.b', notes: 'pin is 1234', updatedAt: t2 });
    expect(preserved).toBe(0);
  });

  it('should keep the server password and list the local one for review, each side named', () => {
    const laptop = { device: 'dev-laptop', name: 'Laptop' };
    const desktop = { device: 'dev-desktop', name: 'Work desktop' };
    const { merged, preserved } = mergeRecord(
      login(),
      login({ password: 'local!', updatedAt: t1, editedBy: laptop }),
      login({ password: 'server!', updatedAt: t2, editedBy: desktop }),
      now,
    );
    // Both may be set on the site: the person chooses; nothing silently goes to history.
    expect(merged).toMatchObject({
      password: 'server!',
      passwordHistory: [],
      conflicts: [
        {
          field: 'password',
          value: 'local!',
          at: t1,
          by: laptop,
          against: { at: t2, by: desktop },
        },
      ],
    });
    expect(preserved).toBe(1);
  });

  it('should keep both sides of custom fields two devices changed offline, on any item type', () => {
    const note = (o: Record<string, unknown> = {}) =>
      parseRecordBody({ type: 'note', name: 'Wi-Fi', createdAt: t0, updatedAt: t0, ...o });
    const base = note({ fields: [{ name: 'SSID', value: 'Casa' }] });
    const local = note({
      fields: [
        { name: 'SSID', value: 'Casa' },
        { name: 'Password', value: 'local-pw', type: 'hidden' },
      ],
      updatedAt: t1,
    });
    const server = note({ fields: [{ name: 'SSID', value: 'Casa-5G' }], updatedAt: t2 });
    const { merged, preserved } = mergeRecord(base, local, server, now);
    expect(merged).toMatchObject({
      fields: [{ name: 'SSID', value: 'Casa-5G', type: 'text' }],
      conflicts: [
        {
          field: 'fields',
          value: [
            { name: 'SSID', value: 'Casa', type: 'text' },
            { name: 'Password', value: 'local-pw', type: 'hidden' },
          ],
        },
      ],
    });
    expect(preserved).toBe(1);
    // Records written before fields had a kind (`hidden: true`) read as hidden fields.
    expect(note({ fields: [{ name: 'PIN', value: '1', hidden: true }] })).toMatchObject({
      fields: [{ name: 'PIN', value: '1', type: 'hidden' }],
    });
  });

  it('should keep one history entry per password, the newest, and none for the current one', () => {
    const { merged } = mergeRecord(
      login(),
      login({
        password: 'p2',
        passwordHistory: [{ password: 'p0', changedAt: t1 }],
        updatedAt: t1,
      }),
      login({
        password: 'p2',
        passwordHistory: [
          { password: 'p0', changedAt: t2 },
          { password: 'p2', changedAt: t0 },
        ],
        updatedAt: t2,
      }),
      now,
    );
    expect((merged as Extract<RecordBody, { type: 'login' }>).passwordHistory).toEqual([
      { password: 'p0', changedAt: t2 },
    ]);
  });

  it('should keep the server value and list the local one as a conflict for other fields', () => {
    const { merged, preserved } = mergeRecord(
      login(),
      login({ name: 'My bank' }),
      login({ name: 'Bank (old)' }),
      now,
    );
    expect(merged).toMatchObject({
      name: 'Bank (old)',
      conflicts: [{ field: 'name', value: 'My bank', at: t0, by: null }],
    });
    expect(preserved).toBe(1);
  });

  it('should let an edit beat a delete on either side', () => {
    const base = login();
    expect(mergeRecord(base, null, login({ password: 'new' }), now).merged).toMatchObject({
      password: 'new',
    });
    expect(mergeRecord(base, login({ password: 'new' }), null, now).merged).toMatchObject({
      password: 'new',
    });
    expect(mergeRecord(base, null, base, now).merged).toBeNull();
    expect(mergeRecord(base, base, null, now).merged).toBeNull();
    expect(mergeRecord(base, null, null, now).merged).toBeNull();
  });

  it('should keep a server edit over a local delete even when its content came back to the base', () => {
    const base = login({ username: 'c' });
    // The server went c → a → c while this device deleted: still a concurrent edit.
    expect(
      mergeRecord(base, null, login({ username: 'c' }), now, { serverEdited: true }).merged,
    ).toMatchObject({
      username: 'c',
    });
    expect(
      mergeRecord(base, null, login({ username: 'c' }), now, { serverEdited: false }).merged,
    ).toBeNull();
  });

  it('should keep a whole local item of another type as a conflict', () => {
    const note = parseRecordBody({ type: 'note', name: 'Bank', createdAt: t0, updatedAt: t1 });
    const { merged } = mergeRecord(login(), note, login({ password: 'x' }), now);
    expect(merged).toMatchObject({
      type: 'login',
      password: 'x',
      conflicts: [{ field: '*', value: note }],
    });
  });

  it('should be a valid item, keep every saved value, and agree whichever device merges', () => {
    const value = fc.constantFrom('a', 'b', 'c', '');
    const edit = fc.record({
      name: fc.constantFrom('A', 'B', 'C'),
      username: value,
      password: value,
      notes: value,
    });
    fc.assert(
      fc.property(edit, edit, edit, (b, l, s) => {
        const base = login(b);
        const local = login({ ...l, updatedAt: t1 });
        const server = login({ ...s, updatedAt: t2 });
        const { merged } = mergeRecord(base, local, server, now);
        const item = parseRecordBody(merged) as Extract<RecordBody, { type: 'login' }>;
        for (const side of [l, s]) {
          for (const [field, v] of Object.entries(side)) {
            if (v === (b as Record<string, string>)[field]) continue; // unchanged: nothing saved
            const present =
              (item as Record<string, unknown>)[field] === v ||
              (field === 'password' &&
                (v === '' || item.passwordHistory.some((h) => h.password === v))) ||
              item.conflicts.some((c) => c.field === field && c.value === v);
            expect(present, `${field}=${v}`).toBe(true);
          }
        }
        // Merging again against the merged result changes nothing (the re-push converges).
        expect(mergeRecord(server, item, item, now).merged).toEqual(item);
      }),
      { numRuns: 500 },
    );
  });
});
