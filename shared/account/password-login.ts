// Register and sign in with the master password. The KDF parameters the server hands back are
// checked against the floor, the ceiling and this device's pin BEFORE anything derived from the
// password is sent; the account key is opened with associated data naming the account, the
// email typed, the key's generation and those parameters, so everything the session returns
// has been verified by opening it.
import { z } from 'zod';
import {
  newAccountKey,
  unwrapAccountKeyWithPassword,
  wrapAccountKeyWithPassword,
} from '../crypto/account-key.ts';
import { normaliseEmail } from '../crypto/associated-data.ts';
import { fromBase64url, randomBytes, toBase64url } from '../crypto/bytes.ts';
import {
  deriveMasterKey,
  derivePasswordKeyBytes,
  derivePasswordKeys,
} from '../crypto/derive-keys.ts';
import { importAesKey } from '../crypto/envelope.ts';
import { CryptoError } from '../crypto/errors.ts';
import { DEFAULT_KDF } from '../crypto/kdf-policy.ts';
import { msg } from '../i18n-msg.ts';
import type { CompleteLoginInput, LoginInput, RegisterInput } from '../protocol/account.ts';
import { type Device, type Kdf, saltSchema } from '../protocol/common.ts';
import { AccountError, serverKeyMismatch } from './account-error.ts';

export interface AccountApi {
  prelogin(input: { email: string }): Promise<unknown>;
  register(input: RegisterInput): Promise<{ userId: string; token: string; expiresAt: string }>;
  login(input: LoginInput): Promise<unknown>;
  /** The second step of two-step sign-in (needed only for accounts that have it on). */
  completeLogin?(input: CompleteLoginInput): Promise<unknown>;
}

/** KDF parameters as a server states them: checked by assertKdfAllowed, not by the schema. */
export const statedKdfSchema = z.strictObject({
  alg: z.literal('argon2id'),
  m: z.number().int(),
  t: z.number().int(),
  p: z.number().int(),
});
const preloginAnswer = z.object({ kdf: statedKdfSchema, salt: saltSchema });
const loginAnswer = z.object({
  userId: z.uuid(),
  token: z.string().min(1).max(512),
  expiresAt: z.string(),
  kdf: statedKdfSchema,
  salt: saltSchema,
  wrappedAccountKey: z.string().max(1400),
  /** The account key's generation (an addition to protocol v1; absent from older servers). */
  generation: z.number().int().min(1).max(1_000_000).default(1),
  /** This browser is remembered (two-step sign-in): its token for the next sign-in. */
  rememberToken: z
    .string()
    .regex(/^[\w-]{43}$/)
    .optional(),
});
const secondStepAnswer = z.object({
  secondFactor: z.object({
    ticket: z.string().regex(/^[\w-]{43}$/),
    expiresAt: z.string().max(40),
    methods: z.array(z.enum(['totp', 'webauthn', 'recovery'])).max(3),
  }),
});

export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery';

/**
 * A sign-in whose password was right, waiting for its second step: what the completion needs to
 * check the answer and open the account key (the wrap key stays on this device).
 */
export interface PendingSecondStep {
  ticket: string;
  expiresAt: string;
  methods: SecondFactorMethod[];
  email: string;
  kdf: Kdf;
  salt: string;
  /** HKDF(masterKey, cofre/v1/wrap): never sent anywhere. */
  wrapRaw: Uint8Array;
  pins: AccountPins | null;
}

/** Thrown by loginWithPassword when the account asks for the second step. */
export class SecondStepNeeded extends AccountError {
  constructor(readonly step: PendingSecondStep) {
    super('SECOND_STEP', msg('Enter the second step of your sign-in.'));
  }
}

/** A signed-in account, every part of it verified by opening the account key. */
export interface Session {
  userId: string;
  email: string;
  token: string;
  /** Raw account key: import it, keep it in session storage only. */
  accountKey: Uint8Array;
  kdf: Kdf;
  salt: string;
  wrappedAccountKey: string;
  generation: number;
  /** This browser is now remembered for two-step sign-in (keep it for the next sign-in). */
  rememberToken?: string;
}

/** What this device pinned at its last verified unlock. */
export interface AccountPins {
  userId: string;
  kdf: Kdf | null;
  generation: number;
}

export async function registerWithPassword(
  api: AccountApi,
  input: { email: string; password: string; device: Device; kdf?: Kdf; invitation?: string },
): Promise<Session> {
  const kdf = input.kdf ?? DEFAULT_KDF;
  const email = normaliseEmail(input.email);
  const userId = crypto.randomUUID();
  const salt = randomBytes(16);
  const { authKey, wrapKey } = await derivePasswordKeys(
    await deriveMasterKey(input.password, salt, kdf),
  );
  const accountKey = newAccountKey();
  const wrapped = toBase64url(
    await wrapAccountKeyWithPassword(accountKey, wrapKey, { userId, email, generation: 1, kdf }),
  );
  const out = await api.register({
    userId,
    email,
    kdf,
    salt: toBase64url(salt),
    authKey: toBase64url(authKey),
    wrappedAccountKey: wrapped,
    device: input.device,
    ...(input.invitation ? { invitation: input.invitation } : {}),
  });
  return {
    userId,
    email,
    token: out.token,
    accountKey,
    kdf,
    salt: toBase64url(salt),
    wrappedAccountKey: wrapped,
    generation: 1,
  };
}

export async function loginWithPassword(
  api: AccountApi,
  input: {
    email: string;
    password: string;
    device: Device;
    pins?: AccountPins | null;
    /** Two-step sign-in: ask to be remembered, the token a remembered browser holds, a code. */
    remember?: boolean;
    rememberToken?: string | null;
    secondFactor?: { totp: string } | { recoveryCode: string };
  },
): Promise<Session> {
  const email = normaliseEmail(input.email);
  const pre = preloginAnswer.safeParse(await api.prelogin({ email }));
  if (!pre.success)
    throw new AccountError('MALFORMED_ANSWER', msg('The server sent an unusable sign-in answer.'));
  const { kdf, salt } = pre.data;
  // Throws KDF_TOO_WEAK / KDF_TOO_COSTLY / KDF_DOWNGRADE before any key exists: nothing is sent.
  const master = await deriveMasterKey(input.password, fromBase64url(salt), kdf, input.pins?.kdf);
  const { authKey, wrapRaw } = await derivePasswordKeyBytes(master);
  const answer = await api.login({
    email,
    authKey: toBase64url(authKey),
    device: input.device,
    ...(input.remember ? { remember: true } : {}),
    ...(input.rememberToken ? { rememberToken: input.rememberToken } : {}),
    ...(input.secondFactor ? { secondFactor: input.secondFactor } : {}),
  });
  const step = secondStepAnswer.safeParse(answer);
  if (step.success)
    throw new SecondStepNeeded({
      ...step.data.secondFactor,
      email,
      kdf,
      salt,
      wrapRaw,
      pins: input.pins ?? null,
    });
  return openLoginAnswer(answer, { email, kdf, salt, wrapRaw, pins: input.pins ?? null });
}

/** The second step of a sign-in (a code, a security key's answer, a recovery code). */
export async function completeSecondStep(
  api: AccountApi,
  step: PendingSecondStep,
  factor: CompleteLoginInput['factor'],
  remember: boolean,
): Promise<Session> {
  if (!api.completeLogin) throw new TypeError('this server API has no second step');
  const answer = await api.completeLogin({ ticket: step.ticket, factor, remember });
  return openLoginAnswer(answer, step);
}

/**
 * A session answer, verified: the account this device belongs to, the KDF and salt the password
 * was derived with, and an account key that opens with the password's wrap key.
 */
async function openLoginAnswer(
  answer: unknown,
  ctx: { email: string; kdf: Kdf; salt: string; wrapRaw: Uint8Array; pins: AccountPins | null },
): Promise<Session> {
  const parsed = loginAnswer.safeParse(answer);
  if (!parsed.success)
    throw new AccountError('MALFORMED_ANSWER', msg('The server sent an unusable sign-in answer.'));
  const res = parsed.data;
  if (ctx.pins && res.userId !== ctx.pins.userId)
    throw new AccountError(
      'OTHER_ACCOUNT',
      msg(
        'The server signed this device in to another account: refused. Sign out first to switch.',
      ),
    );
  // The answer's kdf and salt must be the ones the password was derived with.
  if (res.salt !== ctx.salt || JSON.stringify(res.kdf) !== JSON.stringify(ctx.kdf))
    throw serverKeyMismatch();
  let accountKey: Uint8Array;
  try {
    accountKey = await unwrapAccountKeyWithPassword(
      fromBase64url(res.wrappedAccountKey),
      await importAesKey(ctx.wrapRaw),
      { userId: res.userId, email: ctx.email, generation: res.generation, kdf: ctx.kdf },
    );
  } catch (cause) {
    if (cause instanceof CryptoError || cause instanceof TypeError) throw serverKeyMismatch(cause);
    throw cause;
  }
  return {
    userId: res.userId,
    email: ctx.email,
    token: res.token,
    accountKey,
    kdf: ctx.kdf,
    salt: ctx.salt,
    wrappedAccountKey: res.wrappedAccountKey,
    generation: res.generation,
    ...(res.rememberToken ? { rememberToken: res.rememberToken } : {}),
  };
}
