// The administrator's commands on accounts (`users …`) and the server (`status`), run on an open
// database: by the CLI itself, or inside the running server for a PGlite data directory (which
// one process holds; see admin-socket.ts). Each answers lines for a person and data for --json,
// and each is written to the audit log.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { emailSchema } from '../../shared/protocol/common.ts';
import type { Database, Db, Tx } from '../db/client.ts';
import { type AuditKind, recordAudit } from '../services/audit.ts';
import { notifyRecheck, VAULTS_CHANNEL_SUFFIX } from '../services/change-hub.ts';
import type { Mailer } from '../services/mailer.ts';
import { oneLine } from '../services/plain-text.ts';
import { createSignupInvitation, INVITATION_DAYS } from '../services/signups.ts';
import { CHANGES_CHANNEL } from '../services/sync.ts';
import { OpsError } from './tables.ts';

export const adminCommandSchema = z.discriminatedUnion('command', [
  z.strictObject({ command: z.literal('list') }),
  z.strictObject({ command: z.literal('show'), email: emailSchema }),
  z.strictObject({ command: z.literal('disable'), email: emailSchema }),
  z.strictObject({ command: z.literal('enable'), email: emailSchema }),
  z.strictObject({ command: z.literal('revoke-sessions'), email: emailSchema }),
  z.strictObject({ command: z.literal('delete-plan'), email: emailSchema }),
  z.strictObject({
    command: z.literal('delete'),
    email: emailSchema,
    /** The email typed again by the administrator. */
    confirm: z.string().max(254),
    includingShared: z.boolean(),
  }),
  z.strictObject({
    command: z.literal('invite'),
    email: emailSchema,
    days: z.number().int().min(1).max(365).default(INVITATION_DAYS),
  }),
  z.strictObject({ command: z.literal('status') }),
]);
export type AdminCommand = z.input<typeof adminCommandSchema>;

export interface AdminAnswer {
  lines: string[];
  data: unknown;
}

export interface AdminContext {
  database: Database;
  /** In the running server: forget cached sessions of a user at once (NOTIFY does it elsewhere). */
  onRevoked?: (userId: string) => void;
  mailer?: Mailer | null;
  /** Where the command came from, for the audit log. */
  via: 'cli' | 'server';
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const day = (d: Date | string | null) =>
  d ? new Date(d).toISOString().slice(0, 16).replace('T', ' ') : '—';

async function rows<T>(db: Db | Tx, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

interface UserRow {
  id: string;
  email: string;
  created_at: string;
  disabled_at: string | null;
  last_seen: string | null;
  devices: string | number;
  sessions: string | number;
  items: string | number;
  bytes: string | number;
  passkeys: string | number;
}

const userRows = (db: Db, where: ReturnType<typeof sql>) =>
  rows<UserRow>(
    db,
    sql`select u.id, u.email, u.created_at, u.disabled_at,
      (select max(d.last_seen_at) from devices d where d.user_id = u.id) last_seen,
      (select count(*) from devices d where d.user_id = u.id and d.removed_at is null) devices,
      (select count(*) from sessions s where s.user_id = u.id and s.expires_at > now()) sessions,
      (select count(*) from records r where r.user_id = u.id and not r.deleted) items,
      (select coalesce(sum(octet_length(r.ct)), 0) from records r where r.user_id = u.id) bytes,
      (select count(*) from passkeys p where p.user_id = u.id) passkeys
    from users u where ${where} order by u.created_at`,
  );

const userJson = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  createdAt: new Date(u.created_at).toISOString(),
  lastSeenAt: u.last_seen ? new Date(u.last_seen).toISOString() : null,
  disabled: !!u.disabled_at,
  devices: Number(u.devices),
  sessions: Number(u.sessions),
  items: Number(u.items),
  storageBytes: Number(u.bytes),
  passkeys: Number(u.passkeys),
});

/** Columns padded to their widest cell. */
function table(head: string[], body: Array<Array<string | number>>): string[] {
  const cellsOf = (r: Array<string | number>) => r.map(String);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map((r) => line(cellsOf(r)))];
}

async function findUser(db: Db, email: string): Promise<UserRow> {
  const [user] = await userRows(db, sql`u.email = ${email}`);
  if (!user) throw new OpsError('BAD_ARGS', `no account has the email ${email}.`);
  return user;
}

/** Shared vaults the user owns (with their other members) or belongs to. */
async function sharedInvolvement(db: Db, userId: string) {
  return rows<{ vault_id: string; role: string; others: string }>(
    db,
    sql`select g.vault_id, g.role,
        (select count(*) from vault_grants o join vaults v2 on v2.id = o.vault_id
          where o.vault_id = g.vault_id and o.generation = v2.generation
            and o.removed_at is null and o.user_id <> ${userId}) others
      from vault_grants g join vaults v on v.id = g.vault_id
      where g.user_id = ${userId} and g.generation = v.generation and g.removed_at is null
      order by g.vault_id`,
  );
}

export async function runAdmin(raw: AdminCommand, ctx: AdminContext): Promise<AdminAnswer> {
  const parsed = adminCommandSchema.safeParse(raw);
  if (!parsed.success)
    throw new OpsError(
      'BAD_ARGS',
      parsed.error.issues.map((i) => `${i.path.join('.') || 'command'}: ${i.message}`).join('; '),
    );
  const cmd = parsed.data;
  const db = ctx.database.db;
  const audit = (
    kind: AuditKind,
    userId: string | null,
    detail: Record<string, string | number> = {},
  ) => recordAudit(db, { kind, userId, detail: { by: 'administrator', via: ctx.via, ...detail } });
  const ended = async (userId: string) => {
    await notifyRecheck(db, userId);
    ctx.onRevoked?.(userId);
  };

  switch (cmd.command) {
    case 'list': {
      const users = await userRows(db, sql`true`);
      await audit('admin.users.listed', null, { accounts: users.length });
      return {
        data: users.map(userJson),
        lines:
          users.length === 0
            ? ['no accounts yet']
            : table(
                ['EMAIL', 'CREATED', 'LAST SEEN', 'DEVICES', 'ITEMS', 'STORAGE', 'STATE'],
                users.map((u) => [
                  u.email,
                  day(u.created_at),
                  day(u.last_seen),
                  u.devices,
                  u.items,
                  mib(Number(u.bytes)),
                  u.disabled_at ? 'disabled' : 'active',
                ]),
              ),
      };
    }

    case 'show': {
      const u = await findUser(db, cmd.email);
      const devices = await rows<{ name: string; last_seen_at: string; removed_at: string | null }>(
        db,
        sql`select name, last_seen_at, removed_at from devices where user_id = ${u.id} order by last_seen_at desc`,
      );
      const shared = await sharedInvolvement(db, u.id);
      const events = await rows<{ kind: string; ip: string | null; created_at: string }>(
        db,
        sql`select kind, ip, created_at from audit_events where user_id = ${u.id} order by id desc limit 10`,
      );
      await audit('admin.user.shown', u.id);
      return {
        data: {
          ...userJson(u),
          deviceList: devices.map((d) => ({
            name: oneLine(d.name),
            lastSeenAt: new Date(d.last_seen_at).toISOString(),
            removed: !!d.removed_at,
          })),
          sharedVaults: shared.map((s) => ({
            vaultId: s.vault_id,
            role: s.role,
            otherMembers: Number(s.others),
          })),
          recentEvents: events.map((e) => ({
            kind: e.kind,
            ip: e.ip,
            at: new Date(e.created_at).toISOString(),
          })),
        },
        lines: [
          `${u.email}  (${u.disabled_at ? `disabled since ${day(u.disabled_at)}` : 'active'})`,
          `  id            ${u.id}`,
          `  created       ${day(u.created_at)}`,
          `  last seen     ${day(u.last_seen)}`,
          `  items         ${u.items} (${mib(Number(u.bytes))})`,
          `  sessions      ${u.sessions}`,
          `  passkeys      ${u.passkeys}`,
          `  devices       ${devices.length === 0 ? 'none' : ''}`,
          ...devices.map(
            (d) =>
              `    ${oneLine(d.name)} — last seen ${day(d.last_seen_at)}${d.removed_at ? ' (removed)' : ''}`,
          ),
          `  shared vaults ${shared.length === 0 ? 'none' : ''}`,
          ...shared.map((s) => `    ${s.vault_id} — ${s.role}, ${s.others} other member(s)`),
          '  recent events',
          ...events.map((e) => `    ${day(e.created_at)}  ${e.kind}${e.ip ? ` from ${e.ip}` : ''}`),
        ],
      };
    }

    case 'disable':
    case 'enable': {
      const u = await findUser(db, cmd.email);
      const disable = cmd.command === 'disable';
      const ended_ = await db.transaction(async (tx) => {
        await tx.execute(
          disable
            ? sql`update users set disabled_at = coalesce(disabled_at, now()) where id = ${u.id}`
            : sql`update users set disabled_at = null where id = ${u.id}`,
        );
        if (!disable) return 0;
        return (await rows(tx, sql`delete from sessions where user_id = ${u.id} returning id`))
          .length;
      });
      if (disable) await ended(u.id);
      await audit(
        disable ? 'admin.user.disabled' : 'admin.user.enabled',
        u.id,
        disable ? { sessions: ended_ } : {},
      );
      return {
        data: { email: u.email, disabled: disable, sessionsEnded: ended_ },
        lines: [
          disable
            ? `${u.email} is disabled: ${ended_} session(s) ended, and it cannot sign in until enabled again.`
            : `${u.email} is enabled: it can sign in again.`,
        ],
      };
    }

    case 'revoke-sessions': {
      const u = await findUser(db, cmd.email);
      const gone = (await rows(db, sql`delete from sessions where user_id = ${u.id} returning id`))
        .length;
      await ended(u.id);
      await audit('admin.user.sessions.revoked', u.id, { sessions: gone });
      return {
        data: { email: u.email, sessionsEnded: gone },
        lines: [
          `${gone} session(s) of ${u.email} ended. Each device must sign in again; what it holds offline stays on it.`,
        ],
      };
    }

    case 'delete-plan':
    case 'delete': {
      const u = await findUser(db, cmd.email);
      const shared = await sharedInvolvement(db, u.id);
      const withOthers = shared.filter((s) => Number(s.others) > 0);
      const owned = shared.filter((s) => s.role === 'owner');
      const plan = [
        `Deleting ${u.email} removes from the server: ${u.items} item record(s) (${mib(Number(u.bytes))}), ${u.devices} device(s), ${u.sessions} session(s), ${u.passkeys} passkey(s), and its recovery kits, identity and invitations. The audit log keeps the event.`,
        ...(owned.length
          ? [
              `It owns ${owned.length} shared vault(s), deleted with every item in them: ${owned.map((s) => `${s.vault_id} (${s.others} other member(s))`).join(', ')}.`,
            ]
          : []),
        ...(shared.length - owned.length
          ? [
              `It is a member of ${shared.length - owned.length} other shared vault(s); its membership goes.`,
            ]
          : []),
        'Devices signed in to it keep their offline copy until they next reach the server.',
      ];
      if (cmd.command === 'delete-plan') return { data: { email: u.email, plan }, lines: plan };
      if (cmd.confirm.trim().toLowerCase() !== u.email)
        throw new OpsError(
          'BAD_ARGS',
          `the confirmation does not match ${u.email}: nothing was deleted.`,
        );
      if (withOthers.length > 0 && !cmd.includingShared)
        throw new OpsError(
          'BAD_ARGS',
          `${u.email} shares ${withOthers.length} vault(s) with other people: deleting it would delete the vaults it owns for everyone, and members it added may lose access. Ask it to leave or hand them over first, or pass --including-shared to delete anyway. Nothing was deleted.`,
        );
      const others = await rows<{ user_id: string }>(
        db,
        sql`select distinct g.user_id from vault_grants g
          where g.vault_id in (select vault_id from vault_grants where user_id = ${u.id}) and g.user_id <> ${u.id}`,
      );
      await db.transaction(async (tx) => {
        await tx.execute(sql`delete from users where id = ${u.id}`);
        // Members of its vaults re-read their vaults (one gone, or one member fewer).
        for (const o of others)
          await tx.execute(
            sql`select pg_notify(${CHANGES_CHANNEL}, ${`${o.user_id}:${VAULTS_CHANNEL_SUFFIX}`})`,
          );
      });
      await ended(u.id);
      await audit('admin.user.deleted', u.id, {
        items: Number(u.items),
        ownedVaults: owned.length,
      });
      return {
        data: { email: u.email, deleted: true, ownedVaultsDeleted: owned.length },
        lines: [`${u.email} was deleted.`],
      };
    }

    case 'invite': {
      const [exists] = await rows(db, sql`select 1 from users where email = ${cmd.email}`);
      if (exists) throw new OpsError('BAD_ARGS', `${cmd.email} already has an account.`);
      const inv = await createSignupInvitation(db, {
        email: cmd.email,
        kind: 'admin',
        createdBy: null,
        days: cmd.days,
      });
      const mailed = ctx.mailer
        ? await ctx.mailer.invitation({
            to: cmd.email,
            code: inv.code,
            expiresAt: inv.expiresAt,
            from: null,
          })
        : false;
      await audit('admin.user.invited', null, {
        invitation: inv.id,
        days: cmd.days,
        mailed: mailed ? 1 : 0,
      });
      return {
        data: { email: cmd.email, code: inv.code, expiresAt: inv.expiresAt, mailed },
        lines: [
          `invitation for ${cmd.email}: ${inv.code}`,
          `It works once, for that address, until ${day(inv.expiresAt)} UTC: they enter it when they create their account.`,
          mailed
            ? `It was also mailed to ${cmd.email}.`
            : 'No mail was sent (SMTP_URL is not set): hand the code over yourself.',
        ],
      };
    }

    case 'status': {
      const [c] = await rows<Record<string, string>>(
        db,
        sql`select
          (select count(*) from users) users,
          (select count(*) from users where disabled_at is not null) disabled,
          (select count(*) from sessions where expires_at > now()) sessions,
          (select count(*) from devices where removed_at is null) devices,
          (select count(*) from records where not deleted) records,
          (select count(*) from vaults) vaults,
          (select count(*) from vault_records where not deleted) vault_records,
          (select count(*) from signup_invitations where used_at is null and expires_at > now()) invitations,
          pg_database_size(current_database()) bytes`,
      );
      const [backup] = await rows<{
        created_at: string;
        detail: { file?: string; bytes?: number };
      }>(
        db,
        sql`select created_at, detail from audit_events where kind = 'backup.created' order by id desc limit 1`,
      );
      await audit('admin.status', null);
      const n = (k: string) => Number(c![k]);
      return {
        data: {
          database: ctx.database.kind,
          users: n('users'),
          disabled: n('disabled'),
          sessions: n('sessions'),
          devices: n('devices'),
          records: n('records'),
          sharedVaults: n('vaults'),
          sharedRecords: n('vault_records'),
          openInvitations: n('invitations'),
          databaseBytes: n('bytes'),
          lastBackup: backup
            ? { at: new Date(backup.created_at).toISOString(), ...backup.detail }
            : null,
        },
        lines: [
          `database        ${ctx.database.kind === 'pglite' ? 'PGlite (embedded)' : 'Postgres'}, ${mib(n('bytes'))}`,
          `accounts        ${n('users')} (${n('disabled')} disabled)`,
          `sessions        ${n('sessions')} live on ${n('devices')} device(s)`,
          `records         ${n('records')} personal, ${n('vault_records')} in ${n('vaults')} shared vault(s)`,
          `invitations     ${n('invitations')} open`,
          `last backup     ${backup ? `${day(backup.created_at)} UTC, ${backup.detail.file ?? ''} (${mib(backup.detail.bytes ?? 0)})` : 'none recorded — see BACKUP_INTERVAL in the README'}`,
        ],
      };
    }
  }
}
