// Server configuration from the environment, validated with zod at start. Each bad value is
// reported on one line that names the variable; nothing secret is echoed back.
import { z } from 'zod';
import { EXTENSION_ORIGIN } from '../shared/extension-id.ts';

const port = z.coerce.number().int().min(0).max(65535);
const seconds = z.coerce.number().int().positive();
const originList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z
          .string()
          .regex(
            /^chrome-extension:\/\/[a-p]{32}$/,
            'expected chrome-extension://<32 letters a-p>',
          ),
      )
      .min(1, 'name at least one origin'),
  );

/** `90`, `90s`, `30m`, `6h`, `1d` → seconds. */
const duration = z
  .string()
  .regex(/^\d+[smhd]?$/, 'expected a duration such as 3600, 30m, 6h or 1d')
  .transform((v) => {
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[v.at(-1)!] ?? 1;
    return Number.parseInt(v, 10) * unit;
  })
  .pipe(z.number().int().positive('must be more than zero'));

export const envSchema = z.object({
  PORT: port.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * The owner of the tables, for migrations, maintenance and backups (unset: DATABASE_URL's
   * user). With it set, DATABASE_URL can be a login that may only act as cofre_app.
   */
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * A streaming replica of DATABASE_URL: pulls go there once it has caught up with the
   * account's head on the primary (a pull after a push always sees the push).
   */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EXTENSION_ORIGINS: originList.default([EXTENSION_ORIGIN]),
  SESSION_IDLE_SECONDS: seconds.default(30 * 24 * 3600),
  /** Sign-ups (each an Argon2id run) and passkey sign-in challenges one client IP may ask for
   * in 15 minutes. */
  SIGNUPS_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(100),
  PASSKEY_CHALLENGES_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(300),
  /**
   * Who may create an account: anyone (`open`), holders of an invitation code (`invite`), or
   * only those the administrator invited (`closed`). Unset: open until the first account exists
   * (the owner claims a fresh install), invite after.
   */
  SIGNUPS: z.enum(['open', 'invite', 'closed']).optional(),
  /** Sign-ups only for email addresses at these domains (comma-separated); the administrator's
   * own invitations are not held to it. */
  SIGNUP_DOMAINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .regex(
              /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
              'expected domain names such as example.com, separated by commas',
            ),
        )
        .min(1, 'name at least one domain'),
    )
    .optional(),
  /** Every account must have a second factor to sign a new device in (two-step sign-in). */
  REQUIRE_2FA: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .default(false),
  /** Optional e-mail: `smtp://user:pass@host:587` or `smtps://…:465`. Unset: no mail is sent
   * and invitation codes are shown in the app only. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://[user:pass@]host[:port] or smtps://…')
    .optional(),
  SMTP_FROM: z.string().min(3).max(200).default('Cofre <cofre@localhost>'),
  /** The address people give their extension, named in mails. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL' }).optional(),
  SESSION_ABSOLUTE_SECONDS: seconds.default(180 * 24 * 3600),
  TOMBSTONE_RETENTION_SECONDS: seconds.default(90 * 24 * 3600),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/, ]+)$/,
      'expected false, true, a hop count or a list of proxy addresses',
    )
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    )
    .default(false),
  /** Scheduled backups inside the running server, every this long (unset: none). */
  BACKUP_INTERVAL: duration.optional(),
  BACKUP_DIR: z.string().min(1).default('./backups'),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(14),
  /** Sharing limits: members (and pending invitations) per vault, vaults an account may own. */
  MAX_VAULT_MEMBERS: z.coerce.number().int().min(2).max(10_000).default(100),
  MAX_VAULTS_PER_USER: z.coerce.number().int().min(0).max(10_000).default(50),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  readonly code = 'BAD_ENV';
}

/** Parses `source` (process.env by default); throws an EnvError listing one line per bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most shells' habits.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(present);
  if (parsed.success) {
    if (parsed.data.SESSION_IDLE_SECONDS > parsed.data.SESSION_ABSOLUTE_SECONDS) {
      throw new EnvError('SESSION_IDLE_SECONDS: must not exceed SESSION_ABSOLUTE_SECONDS');
    }
    for (const name of ['DATABASE_READ_URL', 'DATABASE_MIGRATION_URL'] as const)
      if (parsed.data[name] && !parsed.data.DATABASE_URL)
        throw new EnvError(`${name}: needs DATABASE_URL (the embedded PGlite has neither)`);
    return parsed.data;
  }
  const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new EnvError(lines.join('\n'));
}
