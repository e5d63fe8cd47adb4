import { describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY } from './extension-id.ts';

describe('extension id', () => {
  it('should be the id Chrome derives from the pinned manifest key', async () => {
    const der = Uint8Array.from(atob(EXTENSION_PUBLIC_KEY), (c) => c.charCodeAt(0));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', der));
    const id = [...digest.slice(0, 16)]
      .flatMap((b) => [b >> 4, b & 15])
      .map((n) => String.fromCharCode(97 + n))
      .join('');
    expect(id).toBe(EXTENSION_ID);
  });
});
