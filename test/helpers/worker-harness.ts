// The extension's background worker run in Node: its real modules and message dispatcher
// (extension/worker/dispatch.ts, what every page calls), over WXT's fake extension APIs (the
// `wxt/browser` alias in vitest.config.ts) and fake-indexeddb for its Dexie vault. Only the
// browser is fake; the worker talks to a real server over HTTP and WebSocket.
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { vi } from 'vitest';
import { WebSocket } from 'ws';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { AppState } from '../../extension/messages.ts';

const g = globalThis as Record<string, unknown>;
g.WebSocket ??= WebSocket;
g.navigator ??= { userAgent: 'node' };
// The worker opens IndexedDB by its globals (its vault through Dexie, the resume key directly);
// Dexie may have been loaded before this file, so it is told too.
g.indexedDB ??= new IDBFactory();
g.IDBKeyRange ??= IDBKeyRange;
Dexie.dependencies.indexedDB = g.indexedDB as IDBFactory;
Dexie.dependencies.IDBKeyRange = IDBKeyRange;

export interface WorkerError extends Error {
  code: string;
}

/** What tests shorten: each request's deadline, how often a checkpoint may be sealed. */
export interface WorkerLimits {
  requestTimeoutMs?: number;
  checkpointIntervalMs?: number;
}

/** Loads the worker's modules afresh (a new module graph: a restarted worker). */
export async function loadWorker(limits: WorkerLimits = { checkpointIntervalMs: 0 }) {
  vi.resetModules();
  const { handle } = await import('../../extension/worker/dispatch.ts');
  const state = await import('../../extension/worker/worker-state.ts');
  const session = await import('../../extension/worker/vault-session.ts');
  Object.assign(session.syncLimits, limits);
  /** The answer a page gets, as `{ ok, data }` or `{ ok: false, error }`. */
  const answer = (req: Record<string, unknown>) => handle(req, {});
  /** The data of an answer, or its error (code and sentence) thrown. */
  async function call<T = AppState>(req: Record<string, unknown>): Promise<T> {
    const a = await answer(req);
    if (!a.ok) throw Object.assign(new Error(a.error.message), { code: a.error.code });
    return a.data as T;
  }
  /** The error a request is answered with (fails if it succeeds). */
  async function refusal(req: Record<string, unknown>): Promise<{ code: string; message: string }> {
    const a = await answer(req);
    if (a.ok) throw new Error(`${String(req.type)} succeeded; a refusal was expected`);
    return a.error;
  }
  return {
    answer,
    call,
    refusal,
    vault: () => state.currentVault(),
    /** Stops this worker as Chrome does (nothing is locked; session storage stays). */
    async stop() {
      await (await state.currentVault())?.close();
    },
  };
}
export type Worker = Awaited<ReturnType<typeof loadWorker>>;

/** Chrome stopping the worker and starting it again: same storage, new module state. */
export async function restartWorker(w: Worker, limits?: WorkerLimits): Promise<Worker> {
  await w.stop();
  return loadWorker(limits);
}

/** A browser profile from scratch: empty extension storage (IndexedDB vaults are per account). */
export function freshProfile() {
  fakeBrowser.reset();
}

/** What the worker keeps in chrome.storage.local / .session (for assertions, never for driving). */
export async function stored(key: string, area: 'local' | 'session' = 'local') {
  return (await fakeBrowser.storage[area].get(key))[key];
}
