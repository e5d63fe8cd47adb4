import { describe, expect, it } from 'vitest';
import {
  domainOfHost,
  frameMatcher,
  hostAndDomain,
  hostOf,
  type LoginCandidate,
  matchLogins,
  uriMatchesFrame,
} from './match-logins.ts';

const login = (id: string, uri: string, match = 'domain'): LoginCandidate => ({
  id,
  name: id,
  username: `${id}-user`,
  uris: [{ uri, match }],
  hasTotp: false,
});
const ids = (frameUrl: string, logins: LoginCandidate[], topUrl = frameUrl) =>
  matchLogins(logins, { url: frameUrl, topUrl }).map((m) => m.id);

describe('uriMatchesFrame', () => {
  it('should match by registrable domain across subdomains by default', () => {
    expect(
      uriMatchesFrame({ uri: 'https://bank.test', match: 'domain' }, 'https://login.bank.test/x'),
    ).toBe(true);
    expect(uriMatchesFrame({ uri: 'bank.co.uk', match: 'domain' }, 'https://www.bank.co.uk/')).toBe(
      true,
    );
  });

  it('should keep PSL siblings and lookalikes apart', () => {
    const alice = { uri: 'https://alice.github.io', match: 'domain' };
    expect(uriMatchesFrame(alice, 'https://bob.github.io/login')).toBe(false);
    expect(uriMatchesFrame(alice, 'https://alice.github.io/login')).toBe(true);
    const bank = { uri: 'https://bank.test', match: 'domain' };
    expect(uriMatchesFrame(bank, 'https://bank.test.evil.test/')).toBe(false);
    expect(uriMatchesFrame(bank, 'https://banktest.com/')).toBe(false);
    expect(uriMatchesFrame(bank, 'https://evil.test/?bank.test')).toBe(false);
  });

  it('should honour host, startsWith, exact, regex and never', () => {
    const f = 'https://app.bank.test:8443/login?next=1';
    expect(uriMatchesFrame({ uri: 'app.bank.test:8443', match: 'host' }, f)).toBe(true);
    expect(uriMatchesFrame({ uri: 'https://bank.test', match: 'host' }, f)).toBe(false);
    expect(
      uriMatchesFrame({ uri: 'https://app.bank.test:8443/login', match: 'startsWith' }, f),
    ).toBe(true);
    expect(
      uriMatchesFrame({ uri: 'https://app.bank.test:8443/other', match: 'startsWith' }, f),
    ).toBe(false);
    expect(uriMatchesFrame({ uri: f, match: 'exact' }, f)).toBe(true);
    expect(uriMatchesFrame({ uri: 'https://app.bank.test:8443/login', match: 'exact' }, f)).toBe(
      false,
    );
    expect(uriMatchesFrame({ uri: '^https://app\\.bank\\.test(:\\d+)?/', match: 'regex' }, f)).toBe(
      true,
    );
    expect(uriMatchesFrame({ uri: '([', match: 'regex' }, f)).toBe(false);
    expect(uriMatchesFrame({ uri: 'https://bank.test', match: 'never' }, f)).toBe(false);
  });

  it('should match startsWith only where a URL part ends', () => {
    const bank = { uri: 'https://bank.test', match: 'startsWith' };
    expect(uriMatchesFrame(bank, 'https://bank.test')).toBe(true);
    expect(uriMatchesFrame(bank, 'https://bank.test/login')).toBe(true);
    expect(uriMatchesFrame(bank, 'https://bank.test?x=1')).toBe(true);
    expect(uriMatchesFrame(bank, 'https://bank.test#top')).toBe(true);
    expect(uriMatchesFrame(bank, 'https://bank.test.evil.test/')).toBe(false);
    expect(uriMatchesFrame(bank, 'https://bank.testing.test/')).toBe(false);
    expect(uriMatchesFrame(bank, 'https://bank.test:8443/')).toBe(false);
    const app = { uri: 'https://bank.test/app', match: 'startsWith' };
    expect(uriMatchesFrame(app, 'https://bank.test/app/home')).toBe(true);
    expect(uriMatchesFrame(app, 'https://bank.test/apple')).toBe(false);
    const slash = { uri: 'https://bank.test/app/', match: 'startsWith' };
    expect(uriMatchesFrame(slash, 'https://bank.test/app/x')).toBe(true);
    // Saved with no scheme: read as https.
    expect(
      uriMatchesFrame({ uri: 'bank.test/app', match: 'startsWith' }, 'https://bank.test/app'),
    ).toBe(true);
  });

  it('should never match a page that is not http or https', () => {
    expect(uriMatchesFrame({ uri: 'bank.test', match: 'domain' }, 'file:///bank.test')).toBe(false);
    expect(uriMatchesFrame({ uri: '.*', match: 'regex' }, 'data:text/html,bank.test')).toBe(false);
  });

  it('should treat equivalent domains as one site', () => {
    const g = { uri: 'https://google.com', match: 'domain' };
    expect(uriMatchesFrame(g, 'https://accounts.youtube.com/')).toBe(true);
    expect(uriMatchesFrame(g, 'https://shop.test/', [['google.com', 'shop.test']])).toBe(true);
    expect(uriMatchesFrame(g, 'https://shop.test/')).toBe(false);
  });
});

describe('matchLogins', () => {
  const logins = [
    login('bank', 'https://bank.test'),
    login('plain', 'http://plain.test'),
    login('other', 'https://other.test'),
  ];

  it('should offer only the logins for the frame, sorted by name', () => {
    expect(ids('https://www.bank.test/', logins)).toEqual(['bank']);
    expect(ids('https://nowhere.test/', logins)).toEqual([]);
  });

  it('should ask before filling an https login on an http page, and not for an http login', () => {
    const [bank] = matchLogins(logins, { url: 'http://bank.test/', topUrl: 'http://bank.test/' });
    expect(bank?.ask).toEqual(['insecure']);
    const [plain] = matchLogins(logins, {
      url: 'http://plain.test/',
      topUrl: 'http://plain.test/',
    });
    expect(plain?.ask).toEqual([]);
  });

  it('should read a login saved with no scheme as https: an http page asks first', () => {
    const bare = [login('bare', 'plainbank.test'), login('bareHttp', 'http://plainbank.test')];
    const found = matchLogins(bare, {
      url: 'http://plainbank.test/',
      topUrl: 'http://plainbank.test/',
    });
    expect(Object.fromEntries(found.map((m) => [m.id, m.ask]))).toEqual({
      bare: ['insecure'],
      bareHttp: [],
    });
    const [secure] = matchLogins(bare.slice(0, 1), {
      url: 'https://plainbank.test/',
      topUrl: 'https://plainbank.test/',
    });
    expect(secure?.ask).toEqual([]);
  });

  it('should ask before filling a frame whose origin is not the tab origin', () => {
    const [bank] = matchLogins(logins, {
      url: 'https://bank.test/sso',
      topUrl: 'https://shop.test/',
    });
    expect(bank?.ask).toEqual(['crossOrigin']);
    const [same] = matchLogins(logins, {
      url: 'https://bank.test/a',
      topUrl: 'https://bank.test/b',
    });
    expect(same?.ask).toEqual([]);
  });
});

describe('a saved address whose host the index read once', () => {
  // Saved addresses and pages of every shape a domain match meets: public suffixes of one and
  // two labels, a private suffix, IP addresses, a single-label host, ports, user info, case,
  // international names, a trailing dot, no scheme, and names that end like another's.
  const saved = [
    'https://bank.test',
    'bank.test',
    'https://login.bank.test:8443/x',
    'https://user@BANK.test/',
    'evilbank.test',
    'https://bank.test.evil.test',
    'https://www.bank.co.uk/',
    'bank.co.uk',
    'co.uk',
    'https://alice.github.io',
    'https://bob.github.io/',
    'github.io',
    'https://192.168.1.10:8080/',
    'http://127.0.0.1/',
    'http://localhost:3000',
    'https://bücher.example/',
    'https://xn--bcher-kva.example/',
    'https://example.com./',
    'https://google.com',
    'https://accounts.youtube.com/',
    'not a url at all',
    '',
  ];
  const pages = [
    'https://bank.test/',
    'https://a.b.bank.test/login',
    'https://evilbank.test/',
    'https://www.bank.co.uk/',
    'https://other.co.uk/',
    'https://alice.github.io/',
    'https://github.io/',
    'https://192.168.1.10/',
    'http://127.0.0.1:5173/',
    'http://localhost/',
    'https://bücher.example/',
    'https://example.com/',
    'https://www.youtube.com/',
    'https://bank.test.evil.test/',
  ];

  it('should read the same host and domain as one full parse', () => {
    for (const uri of saved) {
      const { host, domain } = hostAndDomain(uri);
      expect(hostOf(uri), uri).toBe(host);
      expect(host === null ? null : domainOfHost(host), uri).toBe(domain);
    }
  });

  it('should match every page exactly as without it, looking up only domains that could match', () => {
    let compared = 0;
    let lookedUp = 0;
    for (const page of pages) {
      const plain = frameMatcher(page);
      const fast = frameMatcher(page);
      for (const uri of saved) {
        const known = { uri, match: 'domain', host: hostOf(uri) } as {
          uri: string;
          match: string;
          host: string | null;
          domain?: string | null;
        };
        expect(fast(known), `${uri} on ${page}`).toBe(plain({ uri, match: 'domain' }));
        if (known.domain !== undefined) lookedUp++;
        // Kept: a second page of the same site reads the domain without a lookup.
        expect(fast(known), `${uri} on ${page}, again`).toBe(plain({ uri, match: 'domain' }));
        compared++;
      }
    }
    expect(compared).toBe(saved.length * pages.length);
    // Most pairs are ruled out by the host alone.
    expect(lookedUp).toBeGreaterThan(0);
    expect(lookedUp).toBeLessThan(compared / 4);
  });
});
