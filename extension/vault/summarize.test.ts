import { describe, expect, it } from 'vitest';
import { pageMatcher, uriMatches } from './summarize.ts';

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
