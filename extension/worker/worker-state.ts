// The worker's live state: the open vault (if unlocked), the lock deadline, and what pages see.
// After Chrome restarts the worker, the first event reopens the vault from session storage, so
// a restart neither locks early nor loses anything (the outbox is in IndexedDB).
import { browser } from 'wxt/browser';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { msg } from '../../shared/i18n-msg.ts';
import { STATE_CHANGED, type StateChanged } from '../events.ts';
import type { AppState } from '../messages.ts';
import { eraseSharedStores } from '../vault/shared-stores.ts';
import { showBadge } from './badge.ts';
import { openToken, unlockWithPassword, unlockWithPin, unlockWithPrf } from './keys.ts';
import { secondStepState } from './pending-sign-in.ts';
import {
  forgetForRestart,
  keepForRestart,
  resumeAfterRestart,
  sealForRestart,
} from './resume-key.ts';
import {
  type Account,
  clearSession,
  loadAccount,
  loadSession,
  loadSettings,
  PIN_MAX_TRIES,
  removeKeys,
  saveSession,
} from './storage.ts';
import { openVaultSession, type VaultSession, vaultDbName } from './vault-session.ts';

let vault: VaultSession | null = null;
let opening: Promise<VaultSession | null> | null = null;
let lockTimer: ReturnType<typeof setTimeout> | undefined;

let badgeTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Tells open pages the state changed; `items` false when no item, vault or notice did (a sync's
 * status, the count of edits waiting), so pages refresh the state and leave their lists be.
 */
export function broadcast(items = true) {
  const message: StateChanged = { type: STATE_CHANGED, items };
  browser.runtime.sendMessage(message).catch(() => {
    // No page is open to hear it.
  });
  // The toolbar badge follows, once a burst of changes (a long sync's progress) settles.
  clearTimeout(badgeTimer);
  badgeTimer = setTimeout(() => void getState().then(showBadge, () => {}), 150);
}

async function start(account: Account, raw: Uint8Array): Promise<VaultSession> {
  const token = await openToken(await importAccountKey(raw), account.deviceId, account.sealedToken);
  return openVaultSession({
    account,
    accountKeyRaw: raw,
    token,
    onChange: broadcast,
    onRemoved: (order) =>
      eraseThisDevice(account, { at: order.at, by: order.by, email: account.email }),
  });
}

/**
 * Removes everything this browser holds of the account: the open vault, its IndexedDB, the
 * wraps of the account key, the sealed session, the never-save list. With `removed`, the next
 * page tells why (another device removed this one).
 */
export async function eraseThisDevice(
  account: Account,
  removed?: { at: string; by: string; email: string },
) {
  await lock();
  // Why, first: a page that sees the account gone reads the reason with it, never a bare setup.
  if (removed) await browser.storage.local.set({ removed });
  await removeKeys('local', ['account', 'resume', 'neverSave']);
  await clearSession();
  // Done when the database is gone: a connection still open (a page's) delays it, blocked,
  // until it closes; past 10 s the erasure goes on in the background.
  await new Promise<void>((resolve) => {
    const req = indexedDB.deleteDatabase(vaultDbName(account.userId));
    req.onsuccess = req.onerror = () => resolve();
    req.onblocked = () => setTimeout(resolve, 10_000);
  });
  await eraseSharedStores(account.userId).catch(() => {});
  broadcast();
}

/** The open vault, reopened from session storage after a worker restart; null when locked. */
export async function currentVault(): Promise<VaultSession | null> {
  if (vault) return vault;
  opening ??= (async () => {
    const epoch = lockEpoch;
    const session = (await loadSession()) ?? (await resumeIfAllowed(epoch));
    if (!session) return null;
    if (session.deadline !== null && session.deadline <= Date.now()) {
      await lock();
      return null;
    }
    const account = await loadAccount();
    if (!account) return null;
    const opened = await adopt(await start(account, fromBase64url(session.accountKey)), epoch);
    if (!opened) return null;
    armLockTimer(session.deadline);
    void opened.sync();
    return opened;
  })().finally(() => {
    opening = null;
  });
  return opening;
}

/**
 * Counts locks. A session that finished opening after a lock began is closed, never adopted:
 * otherwise a lock pressed while a vault was still opening would be undone a moment later.
 */
let lockEpoch = 0;
async function adopt(v: VaultSession, epoch: number): Promise<VaultSession | null> {
  if (epoch !== lockEpoch) {
    await v.close();
    return null;
  }
  vault = v;
  return v;
}

export async function requireVault(): Promise<VaultSession> {
  const v = await currentVault();
  if (!v) throw Object.assign(new Error('The vault is locked.'), { code: 'LOCKED' });
  return v;
}

/** When the person last proved it is them: an unlock, or the master password asked again. */
export const markProved = () => browser.storage.session.set({ provedAt: Date.now() });

/** The person proves it is them again (the vault stays as it is): password, PIN or passkey. */
export async function proveItIsYou(
  proof: { password: string } | { pin: string } | { credentialId: string; prfOutput: string },
) {
  const account = await loadAccount();
  if (!account) throw Object.assign(new Error(msg('Set up Cofre first.')), { code: 'NO_ACCOUNT' });
  if ('password' in proof) await unlockWithPassword(account, proof.password);
  else if ('pin' in proof)
    await unlockWithPin(async () => (await loadAccount()) ?? account, proof.pin);
  else await unlockWithPrf(account, proof.credentialId, fromBase64url(proof.prfOutput));
  await markProved();
}
export async function provedWithin(ms: number): Promise<boolean> {
  const { provedAt } = await browser.storage.session.get('provedAt');
  return typeof provedAt === 'number' && Date.now() - provedAt <= ms;
}

/** Starts an unlocked session with this raw account key. */
export async function unlockWith(account: Account, raw: Uint8Array) {
  // A session still opening from storage lands first, so it is closed here, not orphaned.
  await opening?.catch(() => null);
  const old = vault;
  vault = null;
  await old?.close();
  const epoch = lockEpoch;
  // Requests meanwhile wait for this session instead of opening a second one from storage.
  const mine = (async () => {
    await keepUnlocked(toBase64url(raw), epoch);
    await markProved();
    return adopt(await start(account, raw), epoch);
  })();
  opening = mine;
  try {
    const opened = await mine;
    void opened?.sync();
  } finally {
    if (opening === mine) opening = null;
  }
  broadcast();
}

export async function lock() {
  lockEpoch++;
  touchedAt = 0;
  clearTimeout(lockTimer);
  await clearSession();
  await browser.storage.session.remove('provedAt');
  await forgetForRestart();
  await browser.alarms.clear('auto-lock');
  const v = vault;
  vault = null;
  try {
    await v?.close();
  } finally {
    broadcast();
  }
}

/**
 * Writes the unlocked session with a fresh lock deadline, keeps (or drops) its sealed copy for a
 * browser restart as the setting says, and arms the lock timer: settings are read once. Nothing
 * is written when a lock came after `epoch` was read: a session written back after the lock
 * cleared it would reopen the vault at the next request.
 */
async function keepUnlocked(accountKey: string, epoch: number) {
  const s = await loadSettings();
  const deadline = s.lockSeconds
    ? Date.now() + s.lockSeconds * 1_000
    : s.lockMinutes === 0
      ? null
      : Date.now() + s.lockMinutes * 60_000;
  const session = { accountKey, deadline };
  const sealed = s.lockOnRestart ? null : await sealForRestart(session);
  // Both writes are issued in this turn, after the check: a lock issued later clears them after.
  if (epoch !== lockEpoch) return;
  await Promise.all([saveSession(session), sealed ? keepForRestart(sealed) : forgetForRestart()]);
  if (epoch === lockEpoch) armLockTimer(deadline);
}

function armLockTimer(deadline: number | null) {
  clearTimeout(lockTimer);
  if (deadline === null) return;
  // An alarm for when the worker sleeps (Chrome fires it ≥30 s late at worst), a timer for now.
  void browser.alarms.create('auto-lock', { when: Math.max(deadline, Date.now() + 30_000) });
  lockTimer = setTimeout(() => void lockIfExpired(), Math.max(0, deadline - Date.now()) + 50);
}

/**
 * Activity from the user pushes the lock deadline back. Pages send requests in bursts (an edit is
 * several), and the deadline moves by minutes (seconds at the shortest setting): once a second
 * is enough, unless the lock settings just changed (`force`).
 */
let touchedAt = 0;
const TOUCH_EVERY_MS = 1_000;
export async function touch({ force = false } = {}) {
  if (!force && Date.now() - touchedAt < TOUCH_EVERY_MS) return;
  const epoch = lockEpoch;
  touchedAt = Date.now();
  const session = await loadSession();
  if (session) await keepUnlocked(session.accountKey, epoch);
}

/** The session kept for a browser restart, back in session storage unless a lock came. */
async function resumeIfAllowed(epoch: number) {
  if ((await loadSettings()).lockOnRestart) return null;
  const session = await resumeAfterRestart();
  if (!session || epoch !== lockEpoch) return null;
  await saveSession(session);
  return session;
}

export async function lockIfExpired() {
  const session = await loadSession();
  if (session && session.deadline !== null && session.deadline <= Date.now()) await lock();
  else if (session) armLockTimer(session.deadline);
}

/**
 * Items not in the trash, counted once per change of the index (every page asks for the state);
 * held weakly, so a locked vault's index is not kept alive by its count.
 */
const counts = new WeakMap<VaultSession, { version: string; n: number }>();
function itemCount(v: VaultSession) {
  let counted = counts.get(v);
  if (counted?.version !== v.version) {
    let n = 0;
    for (const [, e] of v.allEntries()) if (e.summary && !e.summary.trashed) n++;
    counted = { version: v.version, n };
    counts.set(v, counted);
  }
  return counted.n;
}

export async function getState(): Promise<AppState> {
  const [account, settings, session] = await Promise.all([
    loadAccount(),
    loadSettings(),
    loadSession(),
  ]);
  const v = account && session ? await currentVault() : null;
  const { removed } = account ? { removed: null } : await browser.storage.local.get('removed');
  return {
    removed: (removed as AppState['removed']) ?? null,
    phase: !account ? 'setup' : v ? 'unlocked' : 'locked',
    serverUrl: account?.serverUrl ?? null,
    email: account?.email ?? null,
    hasPin: !!account?.pin,
    pinTriesLeft: account?.pin ? PIN_MAX_TRIES - account.pin.failures : 0,
    unlockPasskeys: (account?.passkeys ?? []).map(({ credentialId, prfSalt, name }) => ({
      credentialId,
      prfSalt,
      name,
    })),
    sync: v ? v.status() : { kind: 'synced', at: null },
    pending: v ? v.pending() : 0,
    settings,
    lockDeadline: v ? (session?.deadline ?? null) : null,
    itemCount: v ? itemCount(v) : 0,
    deviceId: account?.deviceId ?? null,
    deviceName: account?.deviceName ?? null,
    rekey: v ? v.rekey() : null,
    trust: v ? v.trust() : null,
    sharing: v ? v.alerts() : null,
    secondStep: await secondStepState(),
  };
}
