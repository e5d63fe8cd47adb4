// "Stay unlocked when the browser restarts" (off by default). The unlocked session is sealed
// with a non-extractable AES key that lives only in this profile's IndexedDB, so its raw bytes
// are never written anywhere a script could read them; the sealed copy is dropped on lock.
import { browser } from 'wxt/browser';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes.ts';
import { open, seal } from '../../shared/crypto/envelope.ts';
import type { UnlockedSession } from './storage.ts';

const AD = 'cofre/v1/local|resume-session';

/** Read once per worker (every request from a page re-seals the session with it). */
let key: Promise<CryptoKey> | undefined;
function deviceKey(): Promise<CryptoKey> {
  key ??= readDeviceKey();
  key.catch(() => {
    key = undefined;
  });
  return key;
}

function readDeviceKey(): Promise<CryptoKey> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('cofre-device', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('keys');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const done = (result: CryptoKey | null, error?: unknown) => {
        db.close();
        if (result) resolve(result);
        else reject(error);
      };
      const get = db.transaction('keys').objectStore('keys').get('resume');
      get.onsuccess = async () => {
        if (get.result) return done(get.result as CryptoKey);
        const fresh = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
          'encrypt',
          'decrypt',
        ]);
        const put = db.transaction('keys', 'readwrite').objectStore('keys').put(fresh, 'resume');
        put.onsuccess = () => done(fresh);
        put.onerror = () => done(null, put.error);
      };
      get.onerror = () => done(null, get.error);
    };
  });
}

/** The session sealed for a browser restart; written by `keepForRestart`. */
export async function sealForRestart(session: UnlockedSession): Promise<number[]> {
  return Array.from(await seal(await deviceKey(), utf8(JSON.stringify(session)), AD));
}

export const keepForRestart = (sealed: number[]) => browser.storage.local.set({ resume: sealed });

export const forgetForRestart = () => browser.storage.local.remove('resume');

/**
 * The session kept across a browser restart; null if none (or if it no longer opens, when it is
 * dropped). The caller writes it back to session storage, unless a lock came meanwhile.
 */
export async function resumeAfterRestart(): Promise<UnlockedSession | null> {
  const { resume } = await browser.storage.local.get('resume');
  if (!Array.isArray(resume)) return null;
  try {
    return JSON.parse(
      fromUtf8(await open(await deviceKey(), Uint8Array.from(resume as number[]), AD)),
    ) as UnlockedSession;
  } catch {
    await forgetForRestart();
    return null;
  }
}
