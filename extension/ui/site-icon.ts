// Site icons from the browser's own favicon cache (the MV3 `favicon` permission): Chrome serves
// them at chrome-extension://<id>/_favicon/ from what it stored when the person visited the site.
// Cofre never asks a site or any icon service for one, so no request tells anyone which sites are
// in the vault. A site the browser has no icon for gets its default globe; that answer is told
// apart by comparing it with the icon for an address no one can have visited, and the row then
// shows the site's letter instead.

import { browser } from 'wxt/browser';

const SIZE = 32;
const cache = new Map<string, Promise<string | null>>();
let blank: Promise<string | null> | undefined;

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

async function lookUp(pageUrl: string): Promise<string | null> {
  const url = faviconUrl(pageUrl);
  if (!url) return null;
  blank ??= (async () => {
    // `.invalid` is reserved (RFC 2606): no browser has ever visited it.
    const none = faviconUrl('https://no-site.invalid/');
    const b = none ? await bytesOf(none) : null;
    return b ? fingerprint(b) : null;
  })();
  // The browser keeps icons by the page they were seen on: the saved address first, then the
  // site's home page (often the page visited when the login page was not).
  const home = new URL('/', pageUrl).href;
  for (const page of home === pageUrl ? [pageUrl] : [pageUrl, home]) {
    const icon = await bytesOf(faviconUrl(page) as string);
    if (icon && icon.size > 0 && (await fingerprint(icon)) !== (await blank))
      return URL.createObjectURL(icon);
  }
  return null;
}

/**
 * The browser's cached icon for a site as an object URL, or null when it has none (the row shows
 * a letter). One lookup per address, kept for the page's life.
 */
export function siteIcon(pageUrl: string): Promise<string | null> {
  let hit = cache.get(pageUrl);
  if (!hit) {
    hit = lookUp(pageUrl);
    cache.set(pageUrl, hit);
    void hit.then((url) => known.set(pageUrl, url));
  }
  return hit;
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
