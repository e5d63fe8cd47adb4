// "Stay unlocked when the browser restarts" (off by default). The unlocked session is sealed
// with a non-extractable AES key that lives only in this profile's IndexedDB, so its raw bytes
// are never written anywhere a script could read them; the sealed copy is dropped on lock.
import { browser } from 'wxt/browser';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes.ts';
import { open, seal } from '../../shared/crypto/envelope.ts';
import { saveSession, type UnlockedSession } from './storage.ts';

const AD = 'cofre/v1/local|resume-session';

function deviceKey(): Promise<CryptoKey> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('cofre-device', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('keys');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction('keys').objectStore('keys').get('resume');
      get.onsuccess = async () => {
        if (get.result) return resolve(get.result as CryptoKey);
        const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
          'encrypt',
          'decrypt',
        ]);
        const put = db.transaction('keys', 'readwrite').objectStore('keys').put(key, 'resume');
        put.onsuccess = () => resolve(key);
        put.onerror = () => reject(put.error);
      };
      get.onerror = () => reject(get.error);
    };
  });
}

export async function keepForRestart(session: UnlockedSession) {
  const sealed = await seal(await deviceKey(), utf8(JSON.stringify(session)), AD);
  await browser.storage.local.set({ resume: Array.from(sealed) });
}

export const forgetForRestart = () => browser.storage.local.remove('resume');

/** The session kept across a browser restart, restored into session storage; null if none. */
export async function resumeAfterRestart(): Promise<UnlockedSession | null> {
  const { resume } = await browser.storage.local.get('resume');
  if (!Array.isArray(resume)) return null;
  try {
    const session = JSON.parse(
      fromUtf8(await open(await deviceKey(), Uint8Array.from(resume as number[]), AD)),
    ) as UnlockedSession;
    await saveSession(session);
    return session;
  } catch {
    await forgetForRestart();
    return null;
  }
}
