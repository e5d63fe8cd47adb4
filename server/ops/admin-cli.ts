// `users …` and `status` on the command line. On Postgres the CLI opens the database itself; on
// PGlite it does when no server runs, and otherwise asks the running server over its admin
// socket (PGlite allows one process per data directory).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import { openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { createMailer } from '../services/mailer.ts';
import { type AdminAnswer, type AdminCommand, runAdmin } from './admin.ts';
import { askAdminSocket } from './admin-socket.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { OpsError } from './tables.ts';

export const ADMIN_COMMANDS = ['users', 'status'] as const;
export type AdminCliCommand = (typeof ADMIN_COMMANDS)[number];

const USAGE = `usage:
  users list [--json]
  users show EMAIL [--json]
  users invite EMAIL [--days N] [--json]
  users disable EMAIL | users enable EMAIL
  users revoke-sessions EMAIL
  users delete EMAIL [--confirm EMAIL] [--including-shared]
  status [--json]`;

type Run = (command: AdminCommand) => Promise<AdminAnswer>;

/** Runs `fn` with a way to send commands: the database itself, or the running server. */
async function withAdmin<T>(env: Env, logger: Logger, fn: (run: Run) => Promise<T>): Promise<T> {
  const mailer = env.SMTP_URL
    ? createMailer({ url: env.SMTP_URL, from: env.SMTP_FROM, publicUrl: env.PUBLIC_URL, logger })
    : null;
  try {
    const open = async (databaseUrl: string | undefined) => {
      const database = await openDatabase({
        databaseUrl,
        dataDir: env.DATA_DIR,
        poolMax: 2,
        statementTimeoutMs: 0,
        logger,
      });
      try {
        await database.migrate();
        return await fn((command) => runAdmin(command, { database, mailer, via: 'cli' }));
      } finally {
        await database.close();
      }
    };
    // As the owner of the tables: the administrator sees every account.
    if (env.DATABASE_URL) return await open(env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL);
    if (!existsSync(join(env.DATA_DIR, 'PG_VERSION')))
      throw new OpsError('BAD_ARGS', `there is no Cofre database in ${resolve(env.DATA_DIR)}.`);
    let unlock: (() => Promise<void>) | null = null;
    try {
      unlock = await lockDataDir(env.DATA_DIR, 'users');
    } catch (err) {
      if (!(err instanceof OpsError && err.code === 'DATA_DIR_IN_USE')) throw err;
    }
    if (!unlock) return await fn((command) => askAdminSocket(env.DATA_DIR, command));
    try {
      return await open(undefined);
    } finally {
      await unlock();
    }
  } finally {
    mailer?.close();
  }
}

async function typedConfirmation(email: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new OpsError(
      'BAD_ARGS',
      `nothing was deleted: type the email to confirm, or pass --confirm ${email}.`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(`Type ${email} to delete this account for good: `);
  } finally {
    rl.close();
  }
}

export async function runAdminCli(
  command: AdminCliCommand,
  args: string[],
  env: Env,
  logger: Logger,
): Promise<void> {
  let positionals: string[];
  let values: { json?: boolean; days?: string; confirm?: string; 'including-shared'?: boolean };
  try {
    ({ positionals, values } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        days: { type: 'string' },
        confirm: { type: 'string' },
        'including-shared': { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new OpsError('BAD_ARGS', `${(err as Error).message}\n${USAGE}`);
  }
  const usage = () => new OpsError('BAD_ARGS', USAGE);
  const print = (answer: AdminAnswer) => {
    process.stdout.write(
      values.json ? `${JSON.stringify(answer.data, null, 2)}\n` : `${answer.lines.join('\n')}\n`,
    );
  };

  if (command === 'status') {
    if (positionals.length > 0) throw usage();
    return withAdmin(env, logger, async (run) => print(await run({ command: 'status' })));
  }
  const [sub, email, ...rest] = positionals;
  if (rest.length > 0 || !sub) throw usage();
  if (sub === 'list') {
    if (email) throw usage();
    return withAdmin(env, logger, async (run) => print(await run({ command: 'list' })));
  }
  if (!email) throw usage();
  switch (sub) {
    case 'show':
    case 'disable':
    case 'enable':
    case 'revoke-sessions':
      return withAdmin(env, logger, async (run) => print(await run({ command: sub, email })));
    case 'invite': {
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365))
        throw new OpsError('BAD_ARGS', '--days must be a whole number from 1 to 365.');
      return withAdmin(env, logger, async (run) =>
        print(await run({ command: 'invite', email, ...(days ? { days } : {}) })),
      );
    }
    case 'delete':
      return withAdmin(env, logger, async (run) => {
        const plan = await run({ command: 'delete-plan', email });
        process.stdout.write(`${plan.lines.join('\n')}\n`);
        const confirm = values.confirm ?? (await typedConfirmation(email));
        print(
          await run({
            command: 'delete',
            email,
            confirm,
            includingShared: !!values['including-shared'],
          }),
        );
      });
    default:
      throw usage();
  }
}
