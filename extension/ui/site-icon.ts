// Site icons from the browser's own favicon cache (the MV3 `favicon` permission): Chrome serves
// them at chrome-extension://<id>/_favicon/ from what it stored when the person visited the site.
// Cofre never asks a site or any icon service for one, so no request tells anyone which sites are
// in the vault. A site the browser has no icon for gets its default globe; that answer is told
// apart by comparing it with the icon for an address no one can have visited, and the row then
// shows the site's letter instead.

import { browser } from 'wxt/browser';

const SIZE = 32;
const cache = new Map<string, Promise<string | null>>();

function faviconUrl(pageUrl: string): string | null {
  // `_favicon/` is a path Chrome serves, not one of the extension's files (so untyped by WXT).
  const runtime = browser?.runtime as { getURL?: (path: string) => string } | undefined;
  if (!runtime?.getURL) return null;
  const url = new URL(runtime.getURL('/_favicon/'));
  url.searchParams.set('pageUrl', pageUrl);
  url.searchParams.set('size', String(SIZE));
  return url.href;
}

async function bytesOf(url: string): Promise<Blob | null> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.blob() : null;
  } catch {
    return null;
  }
}

async function fingerprint(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The browser's default globe: its size, and its hash for icons of the same size. */
let blank: Promise<{ size: number; hash: string } | null> | undefined;
async function isBlank(icon: Blob) {
  blank ??= (async () => {
    // `.invalid` is reserved (RFC 2606): no browser has ever visited it.
    const none = faviconUrl('https://no-site.invalid/');
    const b = none ? await bytesOf(none) : null;
    return b && { size: b.size, hash: await fingerprint(b) };
  })();
  const globe = await blank;
  // An icon of another size is not the globe: no read, no hash.
  return !!globe && icon.size === globe.size && (await fingerprint(icon)) === globe.hash;
}

async function lookUp(pageUrl: string): Promise<string | null> {
  const url = faviconUrl(pageUrl);
  if (!url) return null;
  // The browser keeps icons by the page they were seen on: the saved address first, then the
  // site's home page (often the page visited when the login page was not).
  const home = new URL('/', pageUrl).href;
  for (const page of home === pageUrl ? [pageUrl] : [pageUrl, home]) {
    const icon = await bytesOf(faviconUrl(page) as string);
    if (icon && icon.size > 0 && !(await isBlank(icon))) return URL.createObjectURL(icon);
  }
  return null;
}

/**
 * Lookups not started yet, the newest last: one runs at a time, when the page is idle, newest
 * first (the rows on screen now before rows already scrolled past). A burst of new rows (a
 * search, a fling) then never competes with the next keystroke or frame: profiled, a popup's
 * rows each fetching and hashing at once took the page's thread in the middle of keystrokes.
 */
const waiting: Array<{ url: string; wanted: number; resolve: (icon: string | null) => void }> = [];
let looking = false;
const whenIdle = (fn: () => void) =>
  typeof requestIdleCallback === 'function'
    ? requestIdleCallback(fn, { timeout: 250 })
    : setTimeout(fn, 0);
function pump() {
  if (looking || waiting.length === 0) return;
  looking = true;
  whenIdle(() => {
    const next = waiting.pop()!;
    void lookUp(next.url)
      .catch(() => null)
      .then((icon) => {
        next.resolve(icon);
        looking = false;
        pump();
      });
  });
}

/**
 * The browser's cached icon for a site as an object URL, or null when it has none (the row shows
 * a letter). One lookup per address, kept for the page's life; a row that goes away before its
 * lookup started says so (`forgetSiteIcon`), and the lookup is dropped.
 */
export function siteIcon(pageUrl: string): Promise<string | null> {
  const hit = cache.get(pageUrl);
  const queued = waiting.findIndex((w) => w.url === pageUrl);
  if (queued >= 0) {
    const [w] = waiting.splice(queued, 1);
    w!.wanted++;
    waiting.push(w!);
  }
  if (hit) return hit;
  const icon = new Promise<string | null>((resolve) => {
    waiting.push({ url: pageUrl, wanted: 1, resolve });
  });
  cache.set(pageUrl, icon);
  void icon.then((url) => known.set(pageUrl, url));
  pump();
  return icon;
}

/** A row that asked for this icon is gone. */
export function forgetSiteIcon(pageUrl: string) {
  const i = waiting.findIndex((w) => w.url === pageUrl);
  if (i < 0 || --waiting[i]!.wanted > 0) return;
  waiting.splice(i, 1);
  cache.delete(pageUrl);
}

const known = new Map<string, string | null>();
/** The icon already looked up for this address (undefined: not yet), without waiting. */
export const knownSiteIcon = (pageUrl: string) => known.get(pageUrl);

/** The letter a site without an icon is shown by: its host's first letter or digit. */
export function siteLetter(pageUrl: string, name: string): string {
  let host = '';
  try {
    host = new URL(pageUrl).hostname.replace(/^www\./, '');
  } catch {}
  const ch = [...(host || name)].find((c) => /[\p{L}\p{N}]/u.test(c));
  return (ch ?? '?').toLocaleUpperCase();
}
