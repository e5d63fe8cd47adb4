import { describe, expect, it } from 'vitest';
import { itemSchema, type RecordBody } from '../../shared/model/item.ts';
import {
  compareNames,
  compareSummaries,
  packSummary,
  pageMatcher,
  shareText,
  summarize,
  unpackSummary,
  uriMatches,
} from './summarize.ts';

const m = (uri: string, match = 'domain') => ({ uri, match });

describe('uriMatches', () => {
  it('should match by registrable domain by default, across subdomains', () => {
    expect(uriMatches(m('https://accounts.example.com/login'), 'https://www.example.com/')).toBe(
      true,
    );
    expect(uriMatches(m('example.com'), 'https://shop.example.com/cart')).toBe(true);
  });

  it('should not match a lookalike or a PSL sibling', () => {
    expect(uriMatches(m('https://example.com'), 'https://example.com.evil.net/')).toBe(false);
    expect(uriMatches(m('https://alice.github.io'), 'https://bob.github.io/')).toBe(false);
    expect(uriMatches(m('https://exarnple.com'), 'https://example.com/')).toBe(false);
  });

  it('should honour host, startsWith, exact, regex and never', () => {
    expect(uriMatches(m('https://a.example.com', 'host'), 'https://b.example.com/')).toBe(false);
    expect(uriMatches(m('https://a.example.com', 'host'), 'https://a.example.com/x')).toBe(true);
    expect(
      uriMatches(m('https://example.com/app', 'startsWith'), 'https://example.com/app/1'),
    ).toBe(true);
    expect(uriMatches(m('https://example.com/app', 'startsWith'), 'https://example.com/')).toBe(
      false,
    );
    expect(uriMatches(m('https://example.com/', 'exact'), 'https://example.com/')).toBe(true);
    expect(
      uriMatches(m('^https://(a|b)\\.example\\.com/', 'regex'), 'https://b.example.com/'),
    ).toBe(true);
    expect(uriMatches(m('([', 'regex'), 'https://example.com/')).toBe(false);
    expect(uriMatches(m('https://example.com', 'never'), 'https://example.com/')).toBe(false);
  });

  it('should never match a page that is not http(s)', () => {
    expect(uriMatches(m('example.com'), 'chrome-extension://abc/popup.html')).toBe(false);
    expect(uriMatches(m('example.com'), 'not a url')).toBe(false);
  });

  it('should count equivalent domains as the same site for "this site first"', () => {
    const saved = { uri: 'https://bank.test', match: 'domain' };
    expect(pageMatcher('https://mybank.test/', [['bank.test', 'mybank.test']])(saved)).toBe(true);
    expect(pageMatcher('https://mybank.test/')(saved)).toBe(false);
    expect(pageMatcher('https://www.youtube.com/')({ uri: 'google.com', match: 'domain' })).toBe(
      true,
    );
  });
});

describe('list order', () => {
  const login = (name: string, favorite = false) =>
    summarize(name, {
      type: 'login',
      name,
      username: '',
      password: '',
      uris: [],
      totp: null,
      notes: '',
      fields: [],
      passkeys: [],
      favorite,
      folderId: null,
      tags: [],
      trashedAt: null,
      conflicts: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    } as unknown as RecordBody)!;

  it('should sort by the precomputed key as the collator sorts names people give items', () => {
    const names = [
      'Site 10',
      'site 2',
      'Site 2 bank',
      'Site 02',
      'site 1',
      'Sïte 3',
      'SITE 100',
      'Bank',
      'bank of Åland',
      'Banco',
      'Éclair',
      'eclair 2',
      'Zebra',
      'zoo',
      'Apple ID',
      'apple',
      '1Password import',
      '10 Downing',
      '2FA codes',
      'Mail',
      'mail (work)',
      'Mail work',
      'Ñandú',
      'nano',
      'Router 192.168.1.1',
      'Router 192.168.1.20',
      'Router 192.168.10.1',
      'WiFi 5GHz',
      'WiFi 24GHz',
      'Étoile',
      'étude',
      'Öl',
      'Ol',
      'ol 9',
      'Visa 4242',
      'Visa 424',
    ];
    const byKey = names
      .map((n) => login(n))
      .sort(compareSummaries)
      .map((s) => s.name);
    const byCollator = [...names].sort(compareNames);
    expect(byKey).toEqual(byCollator);
  });

  it('should put favourites first, and keep numbers in order past nine digits', () => {
    const list = [
      login('b'),
      login('a'),
      login('z', true),
      login('Item 12345678901'),
      login('Item 9'),
    ];
    expect(list.sort(compareSummaries).map((s) => s.name)).toEqual([
      'z',
      'a',
      'b',
      'Item 9',
      'Item 12345678901',
    ]);
  });
});

describe('a summary as the first pack tier keeps it', () => {
  const at = '2026-03-04T05:06:07.000Z';
  const common = { createdAt: at, updatedAt: at };
  const bodies = [
    { type: 'login', name: 'Bank', username: 'ana', uris: [{ uri: 'https://www.Bank.test/x' }] },
    {
      type: 'login',
      name: 'Ünïcode Ñame 12',
      password: 'p',
      favorite: true,
      folderId: crypto.randomUUID(),
      tags: ['Work', 'two words'],
      totp: 'JBSWY3DPEHPK3PXP',
      uris: [
        { uri: 'bank.co.uk', match: 'host' },
        { uri: '^https://x\\.test/', match: 'regex' },
        { uri: 'not a url', match: 'never' },
        { uri: 'http://192.168.0.1:8080/admin', match: 'startsWith' },
      ],
      passkeys: [
        {
          credentialId: 'AAAA',
          rpId: 'bank.test',
          algorithm: -7,
          privateKey: 'BBBB',
          createdAt: at,
        },
      ],
      trashedAt: at,
      conflicts: [{ field: 'password', value: 'old', at }],
    },
    { type: 'login', name: 'Empty' },
    { type: 'note', name: 'Wi-Fi', notes: 'First line of the note\nsecond line', tags: ['home'] },
    { type: 'note', name: 'N', notes: '' },
    { type: 'card', name: 'Visa', brand: 'Visa', number: '4111 1111 1111 1111', code: '123' },
    { type: 'card', name: 'Bare card' },
    { type: 'identity', name: 'Me', firstName: 'Ana', lastName: 'Lima', email: 'a@b.test' },
    { type: 'identity', name: 'Only email', email: 'a@b.test' },
  ].map((b) => itemSchema.parse({ ...common, ...b }) as RecordBody);

  it('should give back the very summary it was made from, through JSON', () => {
    for (const body of bodies) {
      const id = crypto.randomUUID();
      const summary = summarize(id, body)!;
      const packed = JSON.parse(JSON.stringify(packSummary(summary)));
      const back = unpackSummary(id, packed);
      expect(back, body.type).toEqual(summary);
      // Given the body's own strings when the body comes: the same summary still.
      shareText(back, JSON.parse(JSON.stringify(body)));
      expect(back, body.type).toEqual(summary);
    }
  });

  it('should be well under half the size of the body', () => {
    const body = bodies[0]!;
    const packed = JSON.stringify(packSummary(summarize('x', body)!));
    expect(packed.length).toBeLessThan(JSON.stringify(body).length / 2);
  });
});
