// A sign-in waiting for its second step, kept in session storage (memory only, never on disk)
// until it expires (five minutes), so the worker may stop while its person reads a code off
// their phone. It holds the password's wrap key (to open the account key the completion
// brings), never the password.
import { z } from 'zod';
import type { PendingSecondStep } from '../../shared/account/password-login.ts';
import { toBase64url } from '../../shared/crypto/bytes.ts';
import { kdfSchema } from '../../shared/protocol/common.ts';
import type { AppState } from '../messages.ts';
import { readKey, removeKeys, writeKey } from './storage.ts';

const PENDING = 'pendingSignIn';

const pendingSchema = z.object({
  purpose: z.enum(['sign-in', 'sign-in-again']),
  serverUrl: z.string(),
  deviceId: z.uuid(),
  ticket: z.string(),
  expiresAt: z.string(),
  methods: z.array(z.enum(['totp', 'webauthn', 'recovery'])),
  email: z.string(),
  kdf: kdfSchema,
  salt: z.string(),
  wrapRaw: z.string(),
  pins: z
    .object({ userId: z.uuid(), kdf: kdfSchema.nullable(), generation: z.number().int() })
    .nullable(),
});
type Pending = z.infer<typeof pendingSchema>;

export async function savePending(
  purpose: Pending['purpose'],
  serverUrl: string,
  deviceId: string,
  step: PendingSecondStep,
) {
  const pending: Pending = {
    purpose,
    serverUrl,
    deviceId,
    ...step,
    wrapRaw: toBase64url(step.wrapRaw),
  };
  await writeKey('session', PENDING, pending);
}

export async function loadPending(): Promise<Pending | null> {
  const parsed = pendingSchema.safeParse(await readKey('session', PENDING));
  if (!parsed.success) return null;
  if (Date.parse(parsed.data.expiresAt) <= Date.now()) {
    await clearPending();
    return null;
  }
  return parsed.data;
}

export const clearPending = () => removeKeys('session', [PENDING]);

/** What the pages show of a sign-in waiting for its second step (for AppState). */
export async function secondStepState(): Promise<AppState['secondStep']> {
  const p = await loadPending();
  return p && { purpose: p.purpose, email: p.email, methods: p.methods, expiresAt: p.expiresAt };
}
