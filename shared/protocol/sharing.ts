// identity.*, vaults.*, invitations.* wire schemas (additions to protocol v1; README lists
// them) and the statements inside them. Signed statements travel as their exact bytes.
import { z } from 'zod';
import { base64url, emailSchema, uuidSchema } from './common.ts';

export const SHARING_LIMITS = {
  statementBytes: 2048,
  signatureBytes: 64,
  sealedKeyBytes: 256,
  sealedPrivateBytes: 1024,
  grantsPerCall: 1000,
} as const;

export const ROLES = ['owner', 'manager', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);
/** An invitation (or a role change) never makes a second owner. */
export const memberRoleSchema = z.enum(['manager', 'editor', 'viewer']);

export const signedSchema = z.strictObject({
  body: base64url({ minBytes: 2, maxBytes: SHARING_LIMITS.statementBytes }),
  sig: base64url({ exactBytes: 64, maxBytes: 64 }),
});

const sealedKey = base64url({ minBytes: 33, maxBytes: SHARING_LIMITS.sealedKeyBytes });
const wrapped = base64url({ minBytes: 32, maxBytes: SHARING_LIMITS.sealedKeyBytes });
const generation = z.number().int().min(1).max(2_147_483_647);

// ---- statements (inside `signed.body`) ----

export const grantStatementSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('grant'),
  vaultId: uuidSchema,
  member: uuidSchema,
  memberSignPub: base64url({ exactBytes: 32, maxBytes: 32 }),
  role: roleSchema,
  generation,
  /** SHA-256 (base64url) of the sealed vault key this grant comes with. */
  keyHash: base64url({ exactBytes: 32, maxBytes: 32 }),
  grantedBy: uuidSchema,
  at: z.string().max(40),
});
export type GrantStatement = z.infer<typeof grantStatementSchema>;

export const invitationStatementSchema = z.strictObject({
  v: z.literal(1),
  kind: z.literal('invitation'),
  id: uuidSchema,
  vaultId: uuidSchema,
  email: z.string().max(254),
  role: memberRoleSchema,
  by: uuidSchema,
  at: z.string().max(40),
});
export type InvitationStatement = z.infer<typeof invitationStatementSchema>;

// ---- identity.* ----

export const publishIdentityInput = z.strictObject({
  identity: signedSchema,
  sealedPrivate: base64url({ minBytes: 32, maxBytes: SHARING_LIMITS.sealedPrivateBytes }),
});
export const identityOfInput = z.strictObject({ userId: uuidSchema });
export const identityOutput = z.object({ identity: signedSchema });
export const ownIdentityOutput = z
  .object({ identity: signedSchema, sealedPrivate: z.string().max(2048) })
  .nullable();

// ---- vaults.* ----

export const grantInput = z.strictObject({
  grant: signedSchema,
  sealedKey,
});
export type GrantInput = z.infer<typeof grantInput>;

export const createVaultInput = z.strictObject({ vaultId: uuidSchema, owner: grantInput });
export const vaultIdInput = z.strictObject({ vaultId: uuidSchema });
export const memberInput = z.strictObject({ vaultId: uuidSchema, userId: uuidSchema });
export const rotateInput = z.strictObject({
  vaultId: uuidSchema,
  /** The new generation: the current one + 1. */
  generation,
  /** One grant per remaining member, at `generation`. */
  grants: z.array(grantInput).min(1).max(SHARING_LIMITS.grantsPerCall),
  /** The retired generation's key wrapped by the new one. */
  retiredKey: wrapped,
});

export const vaultSummarySchema = z.object({
  vaultId: uuidSchema,
  role: roleSchema,
  generation,
  seq: z.number().int().min(0),
  members: z.number().int().min(1),
});
export type VaultSummary = z.infer<typeof vaultSummarySchema>;

export const wireGrantSchema = z.object({
  grant: signedSchema,
  /** Only on the caller's own grants. */
  sealedKey: z.string().max(400).nullable(),
  /** The member was removed (or left) at this generation: no access, still a signer of the past. */
  removed: z.boolean(),
});
export type WireGrant = z.infer<typeof wireGrantSchema>;

export const vaultStateSchema = z.object({
  vaultId: uuidSchema,
  generation,
  /** Every generation's grants, oldest first: the chain back to the owner. */
  grants: z.array(wireGrantSchema).max(100_000),
  /** Each retired generation's key wrapped by its successor's. */
  retiredKeys: z.array(z.object({ generation, wrapped: z.string().max(400) })).max(10_000),
});
export type VaultState = z.infer<typeof vaultStateSchema>;

// ---- invitations.* ----

export const inviteInput = z.strictObject({
  vaultId: uuidSchema,
  email: emailSchema,
  role: memberRoleSchema,
  invitation: signedSchema,
});
export const respondInput = z.strictObject({ id: uuidSchema, accept: z.boolean() });
export const invitationIdInput = z.strictObject({ id: uuidSchema });

export const receivedInvitationSchema = z.object({
  id: uuidSchema,
  vaultId: uuidSchema,
  invitation: signedSchema,
  /** The inviter's identity statement, to check the invitation's signature and pin them. */
  inviter: signedSchema,
  status: z.enum(['pending', 'accepted', 'declined', 'confirmed']),
});
export type ReceivedInvitation = z.infer<typeof receivedInvitationSchema>;

export const sentInvitationSchema = z.object({
  id: uuidSchema,
  vaultId: uuidSchema,
  email: z.string(),
  role: memberRoleSchema,
  invitation: signedSchema,
  status: z.enum(['pending', 'accepted', 'declined', 'confirmed']),
  /** Set once accepted: whom to confirm. */
  acceptedBy: uuidSchema.nullable(),
  createdAt: z.string(),
});
export type SentInvitation = z.infer<typeof sentInvitationSchema>;
