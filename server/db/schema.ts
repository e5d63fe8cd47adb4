// The whole server schema: accounts, sessions, passkeys, records, security bookkeeping.
// Every query path has an index declared beside its table.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both drivers (pg returns Buffer, a Uint8Array subclass). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => value,
  fromDriver: (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  kdfM: integer('kdf_m').notNull(),
  kdfT: integer('kdf_t').notNull(),
  kdfP: integer('kdf_p').notNull(),
  salt: bytea('salt').notNull(),
  /** PHC string of Argon2id(authKey) with the server's own salt. */
  authHash: text('auth_hash').notNull(),
  wrappedAccountKey: bytea('wrapped_account_key').notNull(),
  /** Which account key `wrappedAccountKey` holds: 1 at sign-up, +1 at each rotation. */
  keyGeneration: integer('key_generation').notNull().default(1),
  /** Per-user sequence counter: the last seq handed out. Locked by every push. */
  seq: bigint('seq', { mode: 'number' }).notNull().default(0),
  /** Tombstones with seq <= horizon may have been compacted away. */
  tombstoneHorizon: bigint('tombstone_horizon', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  /** Set by the administrator (`users disable`): no sign-in, every session ended. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
});

/**
 * Invitations to create an account, for servers that do not take sign-ups from anyone: made by
 * the administrator (`users invite`) or by a shared-vault invitation. Only the SHA-256 of the
 * code is kept; a code opens one sign-up, for its email, before it expires.
 */
export const signupInvitations = pgTable(
  'signup_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    codeHash: bytea('code_hash').notNull(),
    /** Normalised (trimmed, lower case). */
    email: text('email').notNull(),
    kind: text('kind', { enum: ['admin', 'vault'] }).notNull(),
    /** The member whose vault invitation made it (null: the administrator). */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedBy: uuid('used_by'),
  },
  (t) => [
    uniqueIndex('signup_invitations_code_idx').on(t.codeHash),
    index('signup_invitations_email_idx').on(t.email),
  ],
);

/**
 * The account keys a rotation retired: generation g's key wrapped by generation g+1's, so a
 * device holding the current key can still open records written before the rotation.
 */
export const retiredAccountKeys = pgTable(
  'retired_account_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    wrapped: bytea('wrapped').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.generation] })],
);

/**
 * Recovery kits: the account key split into shares the user keeps. The server holds only an
 * Argon2id hash of the key a recovery proves itself with (derived from the account key).
 */
export const recoveryKits = pgTable(
  'recovery_kits',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    authHash: text('auth_hash').notNull(),
    threshold: integer('threshold').notNull(),
    shares: integer('shares').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('recovery_kits_user_idx').on(t.userId)],
);

export const devices = pgTable(
  'devices',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Set when another of the user's devices removed this one: the removing device's seal of
     * the order, under the account key (the server cannot forge it, so it cannot make a device
     * erase itself). Read back by the removed device after its session is refused.
     */
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removalProof: bytea('removal_proof'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] })],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id').notNull(),
    /** SHA-256 of the bearer token; the token itself is never stored. */
    tokenHash: bytea('token_hash').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Absolute expiry; idle expiry is lastSeenAt + the configured idle lifetime. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /**
     * Opened by a sign-up on a server that requires two-step sign-in: good only for setting a
     * second factor up, until one is.
     */
    restricted: boolean('restricted').notNull().default(false),
  },
  (t) => [
    uniqueIndex('sessions_token_hash_idx').on(t.tokenHash),
    index('sessions_user_idx').on(t.userId),
    index('sessions_expires_idx').on(t.expiresAt),
    index('sessions_last_seen_idx').on(t.lastSeenAt),
  ],
);

export const records = pgTable(
  'records',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    version: integer('version').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
    ct: bytea('ct'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deviceId: uuid('device_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.id] }),
    uniqueIndex('records_user_seq_idx').on(t.userId, t.seq),
    index('records_tombstones_idx').on(t.updatedAt).where(sql`${t.deleted}`),
  ],
);

export const passkeys = pgTable(
  'passkeys',
  {
    /** WebAuthn credential id, base64url. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    publicKey: bytea('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports').array().notNull().default(sql`'{}'::text[]`),
    backedUp: boolean('backed_up').notNull(),
    prfSalt: bytea('prf_salt'),
    prfWrappedAccountKey: bytea('prf_wrapped_account_key'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** Added as a second factor for signing in (a security key): it turns two-step sign-in on. */
    secondFactor: boolean('second_factor').notNull().default(false),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

// ---- Two-step sign-in: a second factor gates a new device's session, never the vault key. ----

/**
 * An account's authenticator app (RFC 6238 TOTP, SHA-1, 6 digits, 30 s). The server must hold
 * the secret to check codes. `pendingSecret` is one being enrolled until a code confirms it;
 * `lastStep` is the newest time step a code was accepted for (no code works twice).
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secret: bytea('secret'),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  pendingSecret: bytea('pending_secret'),
  pendingAt: timestamp('pending_at', { withTimezone: true }),
  lastStep: bigint('last_step', { mode: 'number' }).notNull().default(0),
});

/** One-time recovery codes for the second step (only their SHA-256 is kept). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: bytea('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * Browsers remembered after a sign-in (30 days): their token skips the second step (when it was
 * earned with one) and lets the right master password through an account lockout. A token that
 * comes with wrong passwords five times is forgotten.
 */
export const rememberedDevices = pgTable(
  'remembered_devices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceId: uuid('device_id').notNull(),
    deviceName: text('device_name').notNull(),
    tokenHash: bytea('token_hash').notNull(),
    secondFactor: boolean('second_factor').notNull(),
    failures: integer('failures').notNull().default(0),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('remembered_devices_token_idx').on(t.tokenHash),
    index('remembered_devices_user_idx').on(t.userId),
  ],
);

/** A sign-in that passed the password and waits for its second step (5 minutes, 5 tries). */
export const loginTickets = pgTable(
  'login_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: bytea('token_hash').notNull(),
    deviceId: uuid('device_id').notNull(),
    deviceName: text('device_name').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('login_tickets_token_idx').on(t.tokenHash),
    index('login_tickets_expires_idx').on(t.expiresAt),
  ],
);

/** One-use WebAuthn challenges, kept in the database so any instance can finish a ceremony. */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    challenge: text('challenge').primaryKey(),
    userId: uuid('user_id'),
    purpose: text('purpose', { enum: ['register', 'login', 'second-factor'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('webauthn_challenges_expires_idx').on(t.expiresAt)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id'),
    kind: text('kind').notNull(),
    ip: text('ip'),
    deviceId: uuid('device_id'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_user_idx').on(t.userId, t.createdAt)],
);

/** Failed logins, per account (SHA-256 of the email) and per client IP, for throttling. */
export const authAttempts = pgTable(
  'auth_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    emailHash: text('email_hash'),
    ip: text('ip').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('auth_attempts_email_idx').on(t.emailHash, t.createdAt),
    index('auth_attempts_ip_idx').on(t.ip, t.createdAt),
    index('auth_attempts_created_idx').on(t.createdAt),
  ],
);

/** Server-wide secrets made once (e.g. the key that derives stable fake prelogin salts). */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
});

// ---- Sharing (SHARING.md): identities, shared vaults, grants, invitations, vault records. ----
// Every vault table leads with vault_id, the distribution column when one Postgres is not
// enough (Citus): every query on them names one vault.

/**
 * A user's public identity: the self-signed statement (the server cannot forge one: it has no
 * signing key) and the private halves sealed by the account key, for the user's other devices.
 */
export const identities = pgTable('identities', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The statement's exact signed bytes (UTF-8 JSON) and its Ed25519 signature. */
  statement: bytea('statement').notNull(),
  signature: bytea('signature').notNull(),
  sealedPrivate: bytea('sealed_private').notNull(),
  createdAt: createdAt(),
});

/** A shared vault: its own sequence counter (the scope's pull cursor) and key generation. */
export const vaults = pgTable(
  'vaults',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull().default(1),
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    tombstoneHorizon: bigint('tombstone_horizon', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('vaults_owner_idx').on(t.ownerId)],
);

/**
 * Grants, every generation kept: the members of a vault are its grants at the vault's current
 * generation. Each is signed by the granting member and comes with the vault key of its
 * generation sealed (HPKE) to the member. Older generations stay so a client can follow the
 * chain of signatures back to the owner's first, self-signed grant. `role` is the server's copy
 * for enforcing writes; the signed grant is what clients believe.
 */
export const vaultGrants = pgTable(
  'vault_grants',
  {
    vaultId: uuid('vault_id')
      .notNull()
      .references(() => vaults.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'manager', 'editor', 'viewer'] }).notNull(),
    grant: bytea('grant').notNull(),
    signature: bytea('signature').notNull(),
    sealedKey: bytea('sealed_key').notNull(),
    createdAt: createdAt(),
    /**
     * Set when the member was removed (or left): access ends at once. The row stays, so grants
     * this member signed while a member still chain back to the owner.
     */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.vaultId, t.generation, t.userId] }),
    index('vault_grants_user_idx').on(t.userId, t.vaultId),
  ],
);

/** Vault key generation g wrapped by generation g+1's key, for records not re-encrypted yet. */
export const vaultRetiredKeys = pgTable(
  'vault_retired_keys',
  {
    vaultId: uuid('vault_id')
      .notNull()
      .references(() => vaults.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    wrapped: bytea('wrapped').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.vaultId, t.generation] })],
);

/**
 * An invitation by email, signed by the inviting member. It is stored whether or not an account
 * has that email, so the answer tells no one who has an account.
 */
export const vaultInvitations = pgTable(
  'vault_invitations',
  {
    id: uuid('id').primaryKey(),
    vaultId: uuid('vault_id')
      .notNull()
      .references(() => vaults.id, { onDelete: 'cascade' }),
    /** Normalised (trimmed, lower case). */
    email: text('email').notNull(),
    role: text('role', { enum: ['manager', 'editor', 'viewer'] }).notNull(),
    invitedBy: uuid('invited_by')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    invitation: bytea('invitation').notNull(),
    signature: bytea('signature').notNull(),
    status: text('status', { enum: ['pending', 'accepted', 'declined', 'confirmed'] })
      .notNull()
      .default('pending'),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    index('vault_invitations_vault_idx').on(t.vaultId, t.status),
    index('vault_invitations_email_idx').on(t.email, t.status),
    // identity.of: "did this user accept an invitation I can confirm, or invite me?"
    index('vault_invitations_accepted_by_idx').on(t.acceptedBy),
    index('vault_invitations_invited_by_idx').on(t.invitedBy),
  ],
);

/** The records of shared vaults: as `records`, per vault, with the writer kept for the audit. */
export const vaultRecords = pgTable(
  'vault_records',
  {
    vaultId: uuid('vault_id')
      .notNull()
      .references(() => vaults.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    version: integer('version').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    deleted: boolean('deleted').notNull().default(false),
    ct: bytea('ct'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    userId: uuid('user_id').notNull(),
    deviceId: uuid('device_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.vaultId, t.id] }),
    uniqueIndex('vault_records_vault_seq_idx').on(t.vaultId, t.seq),
    index('vault_records_tombstones_idx').on(t.updatedAt).where(sql`${t.deleted}`),
  ],
);
