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

export const envSchema = z.object({
  PORT: port.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EXTENSION_ORIGINS: originList.default([EXTENSION_ORIGIN]),
  SESSION_IDLE_SECONDS: seconds.default(30 * 24 * 3600),
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
    return parsed.data;
  }
  const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new EnvError(lines.join('\n'));
}
