// Whom a request acts for, before it is signed in: the account an email, a passkey or a sign-in
// ticket names, looked up through the SECURITY DEFINER functions of migration 0009 (the request
// role sees no account's rows until it acts for one). Each answers an id or null, nothing else.
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.ts';

async function one(db: Db | Tx, query: SQL): Promise<string | null> {
  const { rows } = (await db.execute(query)) as unknown as { rows: Array<{ id: string | null }> };
  return rows[0]?.id ?? null;
}

export const userByEmail = (db: Db | Tx, email: string) =>
  one(db, sql`select cofre_user_by_email(${email}) as id`);

export const userByCredential = (db: Db | Tx, credentialId: string) =>
  one(db, sql`select cofre_user_by_credential(${credentialId}) as id`);

/** The account of a live sign-in ticket (`hash`: as login_tickets stores it). */
export const userByTicket = (db: Db | Tx, hash: Uint8Array) =>
  one(db, sql`select cofre_user_by_ticket(${hash}) as id`);

export async function accountCount(db: Db | Tx): Promise<number> {
  const { rows } = (await db.execute(sql`select cofre_account_count() as n`)) as unknown as {
    rows: Array<{ n: string | number }>;
  };
  return Number(rows[0]?.n ?? 0);
}

/** No account: row-level security shows a request acting for it nothing. */
export const NOBODY = '';
