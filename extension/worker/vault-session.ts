// An unlocked vault in the worker: the Dexie store, the sync engine and its retry loop, the
// in-memory index, and the realtime feed from sync.changes. Created on unlock, or again after
// Chrome restarted the worker while the vault was unlocked; closed on lock.
import { openRetiredKeys } from '../../shared/account/account-keyring.ts';
import { openRemoval, type RemovalOrder } from '../../shared/account/device-removal.ts';
import { importAccountKey } from '../../shared/crypto/account-key.ts';
import { fromBase64url } from '../../shared/crypto/bytes.ts';
import { msg, said } from '../../shared/i18n-msg.ts';
import type { RecordBody } from '../../shared/model/item.ts';
import {
  createSharingClient,
  MAY_MANAGE,
  MAY_WRITE,
  type SharingSyncReport,
} from '../../shared/sharing/sharing-client.ts';
import { SharingError } from '../../shared/sharing/sharing-error.ts';
import { createSyncEngine, type SyncReport } from '../../shared/sync/engine.ts';
import { SyncError } from '../../shared/sync/errors.ts';
import { createSyncLoop, type SyncState } from '../../shared/sync/sync-loop.ts';
import type { SharingAlerts, SyncStatus, TrustState } from '../messages.ts';
import { createDexieStore } from '../vault/dexie-store.ts';
import { createItemIndex, type IndexEntry } from '../vault/item-index.ts';
import { parseItemKey } from '../vault/item-key.ts';
import { createSharedIndexes, type SharedIndex } from '../vault/shared-indexes.ts';
import { createSharedStores } from '../vault/shared-stores.ts';
import { isExpired } from '../vault/trash.ts';
import { cutOffMessage, serverReason, syncMessage } from './describe-error.ts';
import { createServerApi, isUnreachable, serverCode } from './server-api.ts';
import { sharingApiOf } from './sharing-api.ts';
import { type Account, loadAccount, saveAccount } from './storage.ts';

export const vaultDbName = (userId: string) => `cofre-vault-${userId}`;

export type SharedNews = Pick<SharingSyncReport, 'rescued' | 'lost' | 'refused'>;

/** How long after an unlock from packs the background reconcile starts. */
const RECONCILE_DELAY_MS = 400;
/** How long a sync runs before open pages are told it is syncing. */
const SHOW_SYNCING_AFTER_MS = 250;
/** A change feed still not open this long after it was started is started again after a sync. */
const FEED_CONNECT_MS = 5_000;

/**
 * How long one sync request may take before the sync ends with TIMEOUT, and how often at most
 * this device seals a checkpoint of its vault. Tests shorten them.
 */
export const syncLimits = { requestTimeoutMs: 30_000, checkpointIntervalMs: 60_000 };

export async function openVaultSession(opts: {
  account: Account;
  accountKeyRaw: Uint8Array;
  token: string;
  /** The state changed; `items` false when only the status or counts did (see tell()). */
  onChange: (items: boolean) => void;
  /** Another device of the account removed this one (a verified order): erase. */
  onRemoved?: (order: RemovalOrder) => Promise<void> | void;
}) {
  const { account, onChange } = opts;
  const accountKey = await importAccountKey(opts.accountKeyRaw);
  const retiredKeys = await Promise.all(
    (
      await openRetiredKeys(
        account.userId,
        opts.accountKeyRaw,
        account.keyGeneration,
        account.retiredKeys,
      )
    ).map(importAccountKey),
  );
  const store = createDexieStore(vaultDbName(account.userId));
  const api = createServerApi(account.serverUrl, opts.token);
  const index = createItemIndex({
    store,
    userId: account.userId,
    deviceId: account.deviceId,
    accountKey,
    retiredKeys,
  });
  let status: SyncStatus = { kind: 'synced', at: null };
  let pending = 0;
  let trust: TrustState = { setAside: 0, integrity: 'unchecked', warning: null };
  let counted = false;
  /** The status change of the last sync state, so a caller can wait for what it will show. */
  let statusUpdate: Promise<void> = Promise.resolve();

  const engine = createSyncEngine({
    store,
    transport: {
      push: (input) => api.client.sync.push.mutate(input),
      pull: (input) => api.client.sync.pull.query(input),
    },
    userId: account.userId,
    deviceId: account.deviceId,
    accountKey,
    retiredKeys,
    keyGeneration: account.keyGeneration,
    requestTimeoutMs: syncLimits.requestTimeoutMs,
    checkpointIntervalMs: syncLimits.checkpointIntervalMs,
    onVerified: (ct, body) => index.remember(ct, body),
    // The badge and the pages learn that the edits waiting were acknowledged as soon as the
    // push is answered, not after the pull and checkpoint that follow it.
    onPushed: () => {
      if (closed) return;
      void recount().then((n) => {
        if (closed || n === toldPending) return;
        if (status.kind === 'offline' || status.kind === 'error') status = { ...status, pending };
        tell();
      });
    },
    onProgress: (report) => {
      pulledSoFar = report.pulled;
      // Progress is news once the sync shows as running (a long one); not for a quick one.
      if (status.kind === 'syncing') {
        status = { kind: 'syncing', pulled: report.pulled };
        tell();
      }
    },
  });

  // A sync shows as "syncing" only once it has run for SHOW_SYNCING_AFTER_MS; until then the
  // status stays what it was, and a sync that changed nothing visible tells no one. Quick syncs
  // (one after every unlock and every edit) neither flicker nor make open pages reload lists.
  let pulledSoFar = 0;
  let toldPending = pending;
  let itemsChanged = false;
  /** Changes whenever any vault's index changes. */
  const versionNow = () => `${index.version}/${sharedIndexes.version}`;
  /** The version last told: a change since means lists changed. */
  let toldVersion = '';
  let showSyncing: ReturnType<typeof setTimeout> | undefined;
  function tell() {
    const version = versionNow();
    const items = itemsChanged || version !== toldVersion;
    toldPending = pending;
    toldVersion = version;
    itemsChanged = false;
    onChange(items);
  }

  async function onSyncState(state: SyncState) {
    // A sync that ends after the vault closed (a lock) has no one left to tell.
    if (closed) return;
    await recount();
    if (state.kind === 'syncing') {
      // A session the server ended stays the message (and the "Sign in again" form stays put
      // with what the person is typing) through retries, until a sync succeeds.
      if (status.kind === 'error' && status.signInAgain) {
        status = { ...status, pending };
        tell();
      } else if (status.kind !== 'syncing') {
        pulledSoFar = 0;
        clearTimeout(showSyncing);
        showSyncing = setTimeout(() => {
          status = { kind: 'syncing', pulled: pulledSoFar };
          tell();
        }, SHOW_SYNCING_AFTER_MS);
      }
      return;
    }
    clearTimeout(showSyncing);
    if (state.kind === 'idle') {
      const quiet = status.kind === 'synced' && toldPending === pending && !itemsChanged;
      status = { kind: 'synced', at: new Date().toISOString() };
      // The server answers but the change feed is down (the server restarted, the network
      // blinked): reconnect it now rather than at its next backoff, up to 30 s away.
      if (feedNeedsRestart() && !closed) watch();
      if (quiet) return;
    } else {
      status = describeFailure(state.error, pending);
      if (status.kind === 'error' && status.signInAgain) void checkRemoval();
    }
    tell();
  }

  /**
   * The server refused the session: ask whether this device was removed, and believe it only
   * if the order opens with the account key and names this device.
   */
  let checkingRemoval = false;
  let askAgain = false;
  async function checkRemoval() {
    if (closed || !opts.onRemoved) return;
    // One question at a time; a refusal heard meanwhile asks once more after it, so the answer
    // judged is never older than the last refusal (an order may have been written since).
    if (checkingRemoval) {
      askAgain = true;
      return;
    }
    checkingRemoval = true;
    try {
      const r = await createServerApi(account.serverUrl, null).client.sessions.removal.query({
        userId: account.userId,
        deviceId: account.deviceId,
      });
      if (!r.removalProof || closed) return;
      const order = await openRemoval(
        [accountKey, ...retiredKeys],
        account.userId,
        account.deviceId,
        fromBase64url(r.removalProof),
      );
      if (order && !closed) await opts.onRemoved(order);
    } catch {
      // Unreachable or a malformed answer: the next refused sync asks again.
    } finally {
      checkingRemoval = false;
      if (askAgain && !closed) {
        askAgain = false;
        void checkRemoval();
      }
    }
  }

  /** What the last sync found about the server's honesty: news only when it changed. */
  async function takeTrust(report: SyncReport) {
    // Counted once per session, then again only when something is or was set aside.
    const recount = !counted || trust.setAside > 0 || report.refused > 0;
    const setAside = recount ? (await engine.quarantined()).length : 0;
    counted = true;
    const i = report.integrity;
    const next: TrustState = {
      setAside,
      integrity: i.status,
      ...(i.status === 'mismatch'
        ? { detail: { at: i.at ?? '', theirs: i.theirs ?? 0, ours: i.ours ?? 0 } }
        : {}),
      warning: trust.warning,
    };
    if (JSON.stringify(next) !== JSON.stringify(trust)) {
      trust = next;
      itemsChanged = true;
    }
  }

  // Shared vaults (SHARING.md): verified from their grants, each synced by its own engine after
  // the personal vault. Pins and edits kept from a refused shared write land in the personal
  // vault through the index like any save.
  const sharedStores = createSharedStores(account.userId);
  const sharedIndexes = createSharedIndexes({
    deviceId: account.deviceId,
    storeOf: (vaultId) => sharedStores.open(vaultId),
    onChange: () => {
      itemsChanged = true;
      if (!closed && status.kind !== 'syncing') tell();
    },
  });
  const sharing = createSharingClient({
    api: sharingApiOf(api.client),
    userId: account.userId,
    email: account.email,
    deviceId: account.deviceId,
    accountKey,
    retiredAccountKeys: retiredKeys,
    personal: engine,
    // Sharing's bookkeeping (contacts and vault pins): only those records' bodies are read.
    personalBodies: async () =>
      [...index.entries.values()]
        .filter((e) => e.type === 'contact' || e.type === 'vault-pin')
        .map((e) => e.body),
    onPersonalChange: async (ids) => {
      for (const id of ids) await index.refresh(id);
      index.schedulePersist();
      itemsChanged = true;
    },
    stores: sharedStores,
    onOpened: (o) => void sharedIndexes.opened(o),
    onLost: (vaultId) => sharedIndexes.lost(vaultId),
  });
  /** Pending edits of every vault: the personal one's and each shared one's. */
  async function pendingAll() {
    let n = await engine.pendingCount();
    for (const e of sharedIndexes.vaults.values()) n += await e.engine.pendingCount();
    return n;
  }
  let countsAsked = 0;
  let countTaken = 0;
  /**
   * Counts the pending edits into `pending`. Counts overlap (a save's with the push it started):
   * one that answers after a newer one was taken is dropped, so an old count never wins.
   */
  async function recount(): Promise<number> {
    const ticket = ++countsAsked;
    const n = await pendingAll();
    if (ticket > countTaken) {
      countTaken = ticket;
      pending = n;
    }
    return pending;
  }
  /** What the last sync of shared vaults found: edits kept elsewhere, vaults lost or refused. */
  let shared: SharedNews = { rescued: [], lost: [], refused: {} };
  /** The shared vaults' heads the change feed last told (a change there triggers a sync). */
  let vaultHeads = '';
  /** The feed's count of sharing signals last seen (a new one: invitations looked at again). */
  let feedNews = 0;
  /** What sharing asks of the person; looked up again when `alertsDue` (news, own actions). */
  let alerts = { invitations: 0, toConfirm: 0 };
  let alertsDue = true;
  async function refreshAlerts() {
    const received = await sharing.receivedInvitations();
    let toConfirm = 0;
    for (const e of sharedIndexes.vaults.values())
      if (MAY_MANAGE.includes(e.role))
        toConfirm += (await sharing.invitationsOf(e.vaultId)).filter(
          (i) => i.status === 'accepted',
        ).length;
    const next = {
      invitations: received.invitations.filter((i) => i.status === 'pending').length,
      toConfirm,
    };
    if (JSON.stringify(next) !== JSON.stringify(alerts)) {
      alerts = next;
      itemsChanged = true;
    }
  }

  const loop = createSyncLoop({
    async sync() {
      const savesBefore = engine.saves;
      const report = await engine.sync();
      const news = await sharing.syncShared();
      if (
        news.rescued.length ||
        news.lost.length ||
        JSON.stringify(news.refused) !== JSON.stringify(shared.refused)
      ) {
        shared = {
          rescued: [...shared.rescued, ...news.rescued].slice(-100),
          lost: [...shared.lost, ...news.lost].slice(-100),
          refused: news.refused,
        };
        itemsChanged = true;
      }
      // Vaults whose sync changed records, and those whose refused edits were just discarded
      // (kept in the personal vault): their indexes catch up.
      const touched = new Set(news.rescued.map((r) => r.vaultId));
      for (const [vaultId, r] of Object.entries(news.vaults))
        if (r.reset || r.changed.size > 0) touched.add(vaultId);
      for (const vaultId of touched)
        if ((await sharedIndexes.refresh(vaultId)) > 0) itemsChanged = true;
      if (alertsDue) {
        alertsDue = false;
        await refreshAlerts().catch(() => {
          alertsDue = true;
        });
      }
      await takeTrust(report);
      // A reset may have rewritten anything: check every stamp. Otherwise only what moved, from
      // the states the sync left (read again from the store if a save came in between).
      const n = report.reset
        ? await index.reconcile()
        : await index.applyStates(report.changed, () => engine.saves === savesBefore);
      if (n > 0) {
        index.schedulePersist();
        itemsChanged = true;
      }
      return report;
    },
    setTimer: (ms, fn) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    onState: (s) => {
      statusUpdate = onSyncState(s).catch(() => {});
    },
    backoff: { baseMs: 2_000, capMs: 60_000 },
  });

  const fromPacks = await index.load();
  // With packs the vault is searchable now; the items' bodies and the reconcile come in the
  // background, a moment later, so the first list and search after an unlock do not queue
  // behind their reads (anything read to be used, an item or a fill, waits for them: see
  // current()).
  const settle = fromPacks ? new Promise((r) => setTimeout(r, RECONCILE_DELAY_MS)) : null;
  const reconciled = (settle ?? Promise.resolve())
    .then(() => index.loadBodies())
    .then(() => index.reconcile())
    .then((n) => {
      if (n > 0 || !fromPacks) index.schedulePersist(fromPacks ? 1_500 : 0);
      if (n > 0) tell();
    });
  if (!fromPacks) await reconciled;
  const [count, cursor] = await Promise.all([engine.pendingCount(), store.cursor()]);
  pending = count;
  // A vault that has never pulled (a new device, a new account) is syncing from the start: it
  // must not show "Synced" over an empty list before its first sync has begun (the badge shows
  // "Syncing" only after 250 ms otherwise, so that a quick sync does not flicker).
  if (cursor === 0) status = { kind: 'syncing', pulled: 0 };
  toldPending = pending;
  toldVersion = versionNow();

  // After a rotation: re-encrypt every record a retired key still seals, in batches that each
  // commit (a killed worker or a closed browser resumes here at the next unlock), then sync.
  let rekey: { done: number; total: number } | null = null;
  let closed = false;
  const rekeying =
    account.rekeyedGeneration >= account.keyGeneration
      ? Promise.resolve()
      : reconciled
          .then(async () => {
            const stale = await engine.staleKeyIds();
            rekey = { done: 0, total: stale.length };
            tell();
            await engine.rekey(stale, 250, (done) => {
              if (closed) throw new Error('closed');
              rekey = { done, total: stale.length };
              tell();
            });
            const latest = await loadAccount();
            if (latest?.userId === account.userId && latest.keyGeneration === account.keyGeneration)
              await saveAccount({ ...latest, rekeyedGeneration: account.keyGeneration });
            rekey = null;
            await index.reconcile();
            index.schedulePersist();
            tell();
            void loop.trigger();
          })
          .catch(() => {
            rekey = null;
          });

  // The change feed. The tRPC client reconnects a dropped socket by itself, on a backoff of up
  // to 30 s; a feed the server ended is started again here, on a backoff of its own, and either
  // is started at once when a sync shows the server answering again.
  let stopWatching = () => {};
  let feed: 'connecting' | 'open' | 'down' | 'ended' = 'connecting';
  let feedEnded = 0;
  let feedRetry: ReturnType<typeof setTimeout> | undefined;
  let connectingSince = Date.now();
  const feedNeedsRestart = () =>
    feed === 'down' ||
    feed === 'ended' ||
    (feed === 'connecting' && Date.now() - connectingSince > FEED_CONNECT_MS);
  function watch() {
    stopWatching();
    clearTimeout(feedRetry);
    feed = 'connecting';
    connectingSince = Date.now();
    stopWatching = api.watchChanges(
      (head, vaults, news = 0) => {
        if (closed) return;
        // A new subscription counts from 0 again; a higher count is sharing news.
        if (news > feedNews) {
          alertsDue = true;
          void loop.trigger();
        }
        feedNews = news;
        const heads = JSON.stringify(vaults ?? {});
        if (heads !== vaultHeads) {
          const first = vaultHeads === '';
          vaultHeads = heads;
          if (!first) void loop.trigger();
        }
        // Compared once a running sync is over: the head often moved by this device's own push,
        // which that sync's pull (right after the push) already fetched; another run for it
        // would only delay the next edit's push.
        loop
          .settled()
          .then(() => store.cursor())
          .then(
            (cursor) => {
              if (head > cursor && !closed) void loop.trigger();
            },
            () => {}, // the vault closed meanwhile
          );
      },
      (state) => {
        // An ended feed stays ended when its socket then closes: nothing would resubscribe it.
        if (feed === 'ended' && state === 'down') return;
        feed = state;
        if (state === 'open') feedEnded = 0;
        if (state !== 'ended' || closed) return;
        feedRetry = setTimeout(
          () => {
            if (feed === 'ended' && !closed) watch();
          },
          Math.min(60_000, 2_000 * 2 ** feedEnded++),
        );
      },
    );
  }
  watch();

  /**
   * Deletes for good what has been in the trash longer than 30 days: after every unlock (once
   * the index is current) and whenever the trash is listed. Returns how many went.
   */
  async function purgeTrash(at = Date.now()): Promise<number> {
    await reconciled.catch(() => {});
    const expired = [...index.entries]
      .filter(([, e]) => e.summary?.trashedAt && isExpired(e.summary.trashedAt, at))
      .map(([id]) => id);
    for (const id of expired) await session.save(id, null);
    return expired.length;
  }
  void reconciled.then(() => (closed ? 0 : purgeTrash())).catch(() => {});

  // An account made before sharing gets its identity at this unlock (published for its other
  // devices); offline, at a later one. The shared vaults this device holds are opened (verified
  // again, offline from the grants last served) so their items are listed before any sync.
  let openRefused: SharingSyncReport['refused'] = {};
  const sharedOpened = reconciled
    .then(() => (closed ? null : sharing.me()))
    .then(() => (closed ? {} : sharing.openKnown()))
    .then((refused) => {
      openRefused = refused ?? {};
    })
    .catch(() => {});

  /** An item of any vault by its key (shared items: `shared:<vault>:<id>`). */
  function itemEntry(key: string): ItemEntry | undefined {
    const { vaultId, id } = parseItemKey(key);
    const vault = vaultId ? sharedIndexes.vaults.get(vaultId) : null;
    const e = vaultId ? vault?.index.entries.get(id) : index.entries.get(key);
    if (!e || vault === undefined) return undefined;
    // The body read when asked for (an entry just unlocked from packs may not have it yet).
    return {
      stamp: e.stamp,
      type: e.type,
      summary: e.summary,
      get body() {
        return e.body;
      },
      vault,
    };
  }

  async function saveShared(vaultId: string, id: string, body: RecordBody | null) {
    const vault = sharedIndexes.vaults.get(vaultId);
    if (!vault)
      throw Object.assign(new Error(msg('That item no longer exists.')), { code: 'NOT_FOUND' });
    if (!MAY_WRITE.includes(vault.role))
      throw new SharingError('FORBIDDEN', 'Your role in this vault does not allow changes.');
    await vault.engine.save(id, body);
    await sharedIndexes.refresh(vaultId, [id]);
    void loop.trigger();
    await recount();
    tell();
  }

  const session = {
    index,
    api,
    accountKey,
    sharing,
    /** What the last syncs of shared vaults found (kept edits, lost and refused vaults). */
    shared: () => shared,
    /** What sharing asks of the person, for the badge and the vault page. */
    alerts: (): SharingAlerts => ({
      ...alerts,
      refused: Object.keys({ ...openRefused, ...shared.refused }).length,
      rescued: shared.rescued.length,
    }),
    /** Sharing changed here (an answer, a confirmation): the alerts are looked up at the next sync. */
    sharingChanged() {
      alertsDue = true;
    },
    /** Clears the notices once a page showed them. */
    dismissShared() {
      shared = { ...shared, rescued: [], lost: [] };
      itemsChanged = true;
      tell();
    },
    /**
     * Resolves once the index matches the store. Right after a worker restart the index comes
     * from the sealed packs, which may predate the last edits: anything a person reads to use
     * (an item, a fill) waits for this; lists do not and refresh when it lands.
     */
    current: () =>
      reconciled
        .catch(() => {})
        .then(() => sharedIndexes.ready())
        .then(() => {}),
    /** Resolves once the shared vaults held here were opened after the unlock. */
    sharedOpened: () => sharedOpened,
    /** Shared vaults whose check failed when they were opened at unlock. */
    openRefused: () => openRefused,
    sharedIndexes,
    itemEntry,
    /** Every item of every vault, by key, with its shared vault (null: personal). */
    *allEntries(): Generator<[string, IndexEntry, SharedIndex | null]> {
      for (const [id, e] of index.entries) yield [id, e, null];
      yield* sharedIndexes.entries();
    },
    get version() {
      return versionNow();
    },
    status: () => status,
    pending: () => pending,
    rekey: () => rekey,
    trust: () => trust,
    /** A sync now, resolving when it is over and status() shows its outcome. */
    async sync() {
      await loop.trigger();
      await statusUpdate;
    },
    cursor: () => store.cursor(),
    /** Something about the server's keys a user must know (a refused take-up of a rotation). */
    warn(message: string) {
      trust = { ...trust, warning: message };
      tell();
    },

    purgeTrash,

    /**
     * Saves locally (durable before it returns), updates the index, then syncs. A key of a shared
     * item saves in its vault (refused for a role that may not write).
     */
    async save(key: string, body: RecordBody | null) {
      const { vaultId, id } = parseItemKey(key);
      if (vaultId) return saveShared(vaultId, id, body);
      const savesBefore = engine.saves + 1;
      const state = await engine.save(id, body);
      // The state just written (no second read), unless another save came in between.
      await index.applyStates(new Map([[id, state]]), () => engine.saves === savesBefore);
      index.schedulePersist();
      // The push starts while the outbox is counted (both only read what the save wrote).
      void loop.trigger();
      await recount();
      if (status.kind === 'offline' || status.kind === 'error') status = { ...status, pending };
      tell();
    },

    /** Saves many items in one transaction (an import), then one index update and one sync. */
    async saveMany(entries: Array<{ id: string; body: RecordBody }>) {
      const savesBefore = engine.saves + 1;
      const states = await engine.saveMany(entries);
      // The states just written; read again only if another save came in between.
      await index.applyStates(
        new Map(states.map((s) => [s.id, s])),
        () => engine.saves === savesBefore,
      );
      index.schedulePersist();
      void loop.trigger();
      await recount();
      tell();
    },

    async close() {
      closed = true;
      clearTimeout(showSyncing);
      loop.stop();
      clearTimeout(feedRetry);
      stopWatching();
      await reconciled.catch(() => {});
      await rekeying;
      await index.persist().catch(() => {});
      index.stop();
      await sharedIndexes.ready();
      await sharedIndexes.persist();
      sharedIndexes.stop();
      store.close();
      sharedStores.close();
    },
  };
  return session;
}

export type VaultSession = Awaited<ReturnType<typeof openVaultSession>>;

/** An item of any vault, with the shared vault it is in (null: the personal vault). */
export type ItemEntry = Pick<IndexEntry, 'stamp' | 'type' | 'summary' | 'body'> & {
  vault: SharedIndex | null;
};

function describeFailure(error: unknown, pending: number): SyncStatus {
  const cut = cutOffMessage(error);
  if (cut) return { kind: 'error', reason: cut, pending };
  if (isUnreachable(error)) return { kind: 'offline', pending };
  const code = serverCode(error);
  const reason =
    serverReason(error) === 'second-factor-setup-required'
      ? msg(
          'This server requires two-step sign-in: set it up in Settings → Two-step sign-in to sync.',
        )
      : code === 'UNAUTHORIZED'
        ? msg('The server ended this session: sign in again.')
        : code === 'TOO_MANY_REQUESTS' || code === 'SERVICE_UNAVAILABLE'
          ? msg('The server is busy; retrying.')
          : error instanceof SyncError
            ? syncMessage(error)
            : code
              ? said('The server refused the sync ({code}).', { code })
              : msg('Sync failed; retrying.');
  return { kind: 'error', reason, pending, signInAgain: code === 'UNAUTHORIZED' };
}
