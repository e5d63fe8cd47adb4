// Fans out "user X's head moved" within this process. Postgres LISTEN/NOTIFY carries the signal
// between instances: every push NOTIFYs in its transaction, every instance LISTENs once.
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { SessionCache } from './sessions.ts';
import { CHANGES_CHANNEL } from './sync.ts';

/** What a subscriber hears: a new head, or "re-check" (a gap in delivery, a revoked session). */
export type ChangeSignal =
  | { kind: 'head'; seq: number }
  | { kind: 'recheck' }
  /** The user's shared vaults changed: joined, left, removed, a new generation, an answer. */
  | { kind: 'vaults' };

export const REVOKE_CHANNEL_SUFFIX = 'recheck';
export const VAULTS_CHANNEL_SUFFIX = 'vaults';

export class ChangeHub {
  readonly #emitter = new EventEmitter();
  /** Sessions recently read; emptied for a user when any instance revokes one of theirs. */
  readonly sessions = new SessionCache();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  async start(database: Database): Promise<void> {
    await database.listen(
      CHANGES_CHANNEL,
      (payload) => this.#onPayload(payload),
      () => {
        // Revocations may have been missed while the connection was down.
        this.sessions.clear();
        for (const userId of this.#emitter.eventNames()) {
          this.#emitter.emit(userId, { kind: 'recheck' } satisfies ChangeSignal);
        }
      },
    );
  }

  #onPayload(payload: string) {
    const [userId, what] = payload.split(':');
    if (!userId || !what) return;
    const signal: ChangeSignal =
      what === REVOKE_CHANNEL_SUFFIX
        ? { kind: 'recheck' }
        : what === VAULTS_CHANNEL_SUFFIX
          ? { kind: 'vaults' }
          : { kind: 'head', seq: Number(what) };
    if (signal.kind === 'head' && !Number.isSafeInteger(signal.seq)) return;
    if (signal.kind === 'recheck') this.sessions.forgetUser(userId);
    this.#emitter.emit(userId, signal);
  }

  /**
   * After one of `userId`'s sessions was revoked (or all but one): forgets their cached sessions
   * here at once, and tells every instance (this one included) to re-check.
   */
  async revoked(db: Database['db'], userId: string): Promise<void> {
    this.sessions.forgetUser(userId);
    await notifyRecheck(db, userId);
  }

  /** Calls `listener` for each signal about `userId` (or a vault id) until the returned function is called. */
  subscribe(userId: string, listener: (signal: ChangeSignal) => void): () => void {
    this.#emitter.on(userId, listener);
    return () => this.#emitter.off(userId, listener);
  }

  get subscriberCount(): number {
    return this.#emitter.eventNames().reduce((n, name) => n + this.#emitter.listenerCount(name), 0);
  }
}

/** Tells every instance's streams of `userId` to re-check their session (after a revocation). */
export async function notifyRecheck(db: Database['db'], userId: string): Promise<void> {
  await db.execute(
    sql`select pg_notify(${CHANGES_CHANNEL}, ${`${userId}:${REVOKE_CHANNEL_SUFFIX}`})`,
  );
}
