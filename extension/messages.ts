// The typed message API between the extension's pages and its worker. Every request is checked
// with zod in the worker (pages are trusted only as far as their sender says: content scripts
// get no part of this API — theirs is extension/autofill/autofill-messages.ts — and the framed
// menu and prompt pages reach only what their token allows); every answer is `{ ok, data }` or
// `{ ok: false, error }`.
import { z } from 'zod';
import type { RecordBody } from '../shared/model/item.ts';
import type { TwoFactorStatus } from '../shared/protocol/two-factor.ts';
import type { FillResult, PasswordRules } from './autofill/autofill-messages.ts';
import type { LoginMatch } from './autofill/match-logins.ts';

const id = z.uuid();
/** An item of any vault: a record id, or `shared:<vaultId>:<recordId>` (vault/item-key.ts). */
const itemKey = z
  .string()
  .regex(
    /^(shared:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  );
const secret = z.string().min(1).max(1_024);
/** A code from an authenticator app (six digits) or a recovery code, as typed. */
const typedFactor = z.union([
  z
    .object({
      totp: z
        .string()
        .trim()
        .regex(/^\d{6}$/),
    })
    .strict(),
  z.object({ recoveryCode: z.string().trim().min(8).max(40) }).strict(),
]);
const b64 = z.string().max(4_096);
const url = z.url({ protocol: /^https?$/ }).max(2_048);
const token = z.string().regex(/^[0-9a-f]{32}$/);
const credential = z.string().regex(/^[A-Za-z0-9_-]{1,1366}$/);

export const settingsSchema = z.object({
  /** Minutes of inactivity before the vault locks; 0 = never. */
  lockMinutes: z.number().int().min(0).max(1_440).default(15),
  /** Seconds; only for a short lock a user sets explicitly (and for tests). */
  lockSeconds: z.number().int().min(5).max(86_400).nullable().default(null),
  lockOnIdle: z.boolean().default(true),
  lockOnRestart: z.boolean().default(true),
  language: z.enum(['en', 'es']).nullable().default(null),
  /** The user's own groups of registrable domains that share logins (autofill). */
  equivalentDomains: z
    .array(z.array(z.string().max(253)).min(2).max(50))
    .max(200)
    .default([]),
  /** Filling a card asks for the master password unless the vault was unlocked just now. */
  cardReask: z.boolean().default(true),
});
export type Settings = z.infer<typeof settingsSchema>;

export const filterSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('favorites') }),
  z.object({ kind: z.literal('trash') }),
  z.object({ kind: z.literal('conflicts') }),
  z.object({ kind: z.literal('type'), value: z.enum(['login', 'note', 'card', 'identity']) }),
  z.object({ kind: z.literal('folder'), value: id.nullable() }),
]);
export type Filter = z.infer<typeof filterSchema>;

export const requestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('getState') }),
  z.object({ type: z.literal('checkServer'), url }),
  z.object({ type: z.literal('signupPolicy'), serverUrl: url }),
  z.object({
    type: z.literal('register'),
    serverUrl: url,
    email: z.string().max(254),
    password: secret,
    invitation: z.string().trim().max(64).optional(),
  }),
  z.object({
    type: z.literal('login'),
    serverUrl: url,
    email: z.string().max(254),
    password: secret,
    /** A second factor typed with the password (how a locked account's owner gets in). */
    secondFactor: typedFactor.optional(),
  }),
  z.object({
    type: z.literal('completeSignIn'),
    factor: z.union([
      typedFactor,
      z.object({ webauthn: z.record(z.string(), z.unknown()) }).strict(),
    ]),
    /** Remember this browser for 30 days: no second step at its next sign-in. */
    remember: z.boolean(),
  }),
  z.object({ type: z.literal('secondFactorOptions') }),
  z.object({ type: z.literal('cancelSignIn') }),
  z.object({
    type: z.literal('passkeyLoginOptions'),
    serverUrl: url,
    email: z.string().max(254).nullable(),
  }),
  z.object({
    type: z.literal('passkeyLogin'),
    serverUrl: url,
    response: z.record(z.string(), z.unknown()),
    prfOutput: b64,
  }),
  z.object({ type: z.literal('unlockPassword'), password: secret }),
  z.object({
    type: z.literal('reauthenticate'),
    password: secret,
    secondFactor: typedFactor.optional(),
  }),
  z.object({ type: z.literal('unlockPin'), pin: z.string().min(4).max(64) }),
  z.object({ type: z.literal('unlockPasskey'), credentialId: b64, prfOutput: b64 }),
  z.object({ type: z.literal('lock') }),
  z.object({ type: z.literal('signOut') }),
  z.object({ type: z.literal('dismissRemoved') }),
  /** The name this device goes by (in the device list and on the side of a conflict it wrote). */
  z.object({ type: z.literal('renameDevice'), name: z.string().trim().min(1).max(100) }),
  z.object({
    type: z.literal('listItems'),
    query: z.string().max(500).default(''),
    filter: filterSchema.default({ kind: 'all' }),
    pageUrl: z.string().max(2_048).nullable().default(null),
    /** Or the tab whose page it is (its URL comes from the autofill content script). */
    tabId: z.number().int().min(0).nullable().default(null),
    limit: z.number().int().min(1).max(2_000).default(200),
    /** Where the page of results starts in the whole list (a list scrolled page by page). */
    offset: z.number().int().min(0).max(10_000_000).default(0),
    /** Only the personal vault, or one shared vault; absent: every vault. */
    vault: z
      .union([z.literal('personal'), id])
      .nullable()
      .default(null),
  }),
  z.object({ type: z.literal('getItem'), id: itemKey }),
  z.object({
    type: z.literal('saveItem'),
    id: itemKey.nullable(),
    body: z.record(z.string(), z.unknown()),
    /** A new item (id null) made in this shared vault; absent: the personal vault. */
    vaultId: id.nullable().default(null),
  }),
  z.object({ type: z.literal('trashItem'), id: itemKey, restore: z.boolean().default(false) }),
  z.object({ type: z.literal('deleteForever'), id: itemKey }),
  z.object({ type: z.literal('emptyTrash') }),
  /** A folder's new name ("Work/Clients" nests it): its subfolders follow. */
  z.object({ type: z.literal('renameFolder'), id, name: z.string().trim().min(1).max(200) }),
  /** Keeps a generated password in the generator history (newest 100, sealed and synced). */
  z.object({
    type: z.literal('rememberGenerated'),
    value: z.string().min(1).max(10_000),
    site: z.string().max(2048).nullable().default(null),
    itemName: z.string().max(500).nullable().default(null),
  }),
  z.object({ type: z.literal('generatorHistory') }),
  z.object({ type: z.literal('clearGeneratorHistory') }),
  /** Deletes a folder; its items stay, in no folder. */
  z.object({ type: z.literal('deleteFolder'), id }),
  z.object({
    type: z.literal('resolveConflict'),
    id: itemKey,
    index: z.number().int().min(0),
    action: z.enum(['use', 'dismiss', 'keepBoth']),
  }),
  z.object({ type: z.literal('totp'), id: itemKey }),
  z.object({ type: z.literal('syncNow') }),
  z.object({
    type: z.literal('clearClipboardLater'),
    ms: z.number().int().min(1_000).max(600_000),
  }),
  z.object({ type: z.literal('saveSettings'), settings: settingsSchema.partial() }),
  z.object({ type: z.literal('setPin'), pin: z.string().regex(/^\d{4,12}$/) }),
  z.object({ type: z.literal('removePin') }),
  z.object({ type: z.literal('passkeyRegistrationOptions') }),
  z.object({
    type: z.literal('registerPasskey'),
    name: z.string().min(1).max(100),
    response: z.record(z.string(), z.unknown()),
    prfOutput: b64,
    prfSalt: b64,
  }),
  z.object({ type: z.literal('listPasskeys') }),
  z.object({ type: z.literal('removePasskey'), id: b64 }),
  z.object({ type: z.literal('twoFactorStatus') }),
  z.object({ type: z.literal('totpBegin'), password: secret }),
  z.object({
    type: z.literal('totpConfirm'),
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/),
  }),
  z.object({ type: z.literal('totpRemove'), password: secret }),
  z.object({ type: z.literal('securityKeyOptions') }),
  z.object({
    type: z.literal('registerSecurityKey'),
    name: z.string().trim().min(1).max(100),
    response: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('removeSecurityKey'), id: z.string().max(1400), password: secret }),
  z.object({ type: z.literal('newRecoveryCodes'), password: secret }),
  z.object({ type: z.literal('forgetRemembered'), id: z.uuid() }),
  z.object({ type: z.literal('forgetAllRemembered') }),
  z.object({ type: z.literal('listSessions') }),
  z.object({ type: z.literal('revokeSession'), id: z.string().max(100) }),
  z.object({
    type: z.literal('changePassword'),
    current: secret,
    next: secret,
    /** Argon2id strength for the new password; omitted: keep the current (at least default). */
    strength: z.enum(['standard', 'strong', 'strongest']).optional(),
  }),
  z.object({ type: z.literal('rotateAccountKey'), password: secret }),
  z.object({
    type: z.literal('createRecoveryKit'),
    password: secret,
    threshold: z.number().int().min(2).max(10),
    shares: z.number().int().min(2).max(10),
  }),
  z.object({ type: z.literal('listRecoveryKits') }),
  z.object({
    type: z.literal('recoverAccount'),
    serverUrl: url,
    email: z.email().max(254),
    shares: z.array(z.string().max(1_000)).min(1).max(10),
    password: secret,
  }),
  z.object({
    type: z.literal('importItems'),
    items: z
      .array(
        z.object({
          body: z.record(z.string(), z.unknown()),
          folder: z.string().max(500).nullable(),
        }),
      )
      .max(1_000),
    skipDuplicates: z.boolean(),
    dryRun: z.boolean().default(false),
  }),
  z.object({ type: z.literal('exportItems'), password: secret }),
  z.object({ type: z.literal('passwordReport') }),
  // Autofill: the inline menu and save prompt (extension pages framed in a tab) and the popup.
  z.object({ type: z.literal('menuItems'), token }),
  z.object({
    type: z.literal('menuPick'),
    token,
    id: itemKey,
    confirmed: z.boolean().default(false),
  }),
  z.object({ type: z.literal('menuClose'), token }),
  /** The master password again, in the menu, before a card is filled (the card re-ask). */
  z.object({ type: z.literal('menuProve'), token, password: secret }),
  z.object({ type: z.literal('menuGenerate'), token, password: z.string().min(4).max(1_000) }),
  /** A passkey picked in the inline menu for the frame's pending conditional request. */
  z.object({
    type: z.literal('menuPasskey'),
    token,
    credentialId: credential,
    confirmed: z.boolean().default(false),
  }),
  // The passkey window (extension/entrypoints/passkey), by its request's token.
  z.object({ type: z.literal('passkeyInfo'), token }),
  z.object({
    type: z.literal('passkeyApprove'),
    token,
    /** For a sign-in: the passkey chosen. */
    credentialId: credential.optional(),
    /** For a new passkey: the login to keep it in; null makes a new login. */
    saveTo: itemKey.nullable().optional(),
  }),
  z.object({ type: z.literal('passkeyFallback'), token }),
  /** Deletes one website passkey from a login (the vault page). */
  z.object({ type: z.literal('deleteSitePasskey'), id: itemKey, credentialId: credential }),
  z.object({ type: z.literal('passkeyCancel'), token }),
  /** The person proves it is them again (a site asked for user verification). */
  z.object({
    type: z.literal('proveIdentity'),
    /** The passkey request the proof is for (its window's token). */
    token: token.optional(),
    proof: z.union([
      z.object({ password: secret }).strict(),
      z.object({ pin: z.string().min(4).max(64) }).strict(),
      z.object({ credentialId: b64, prfOutput: b64 }).strict(),
    ]),
  }),
  z.object({
    type: z.literal('fillTab'),
    tabId: z.number().int().min(0),
    id: itemKey,
    confirmed: z.boolean().default(false),
  }),
  z.object({ type: z.literal('promptInfo'), token }),
  z.object({
    type: z.literal('promptAnswer'),
    token,
    answer: z.enum(['save', 'never', 'dismiss']),
  }),
  // Sharing (SHARING.md; worker/sharing-handlers.ts).
  z.object({ type: z.literal('sharingState') }),
  z.object({ type: z.literal('createVault'), name: z.string().trim().min(1).max(200) }),
  z.object({
    type: z.literal('renameVault'),
    vaultId: id,
    name: z.string().trim().min(1).max(200),
  }),
  z.object({ type: z.literal('deleteVault'), vaultId: id }),
  z.object({ type: z.literal('leaveVault'), vaultId: id }),
  z.object({ type: z.literal('vaultMembers'), vaultId: id }),
  z.object({
    type: z.literal('inviteMember'),
    vaultId: id,
    email: z.string().trim().max(254),
    role: z.enum(['manager', 'editor', 'viewer']),
  }),
  z.object({ type: z.literal('cancelInvitation'), id }),
  z.object({ type: z.literal('respondInvitation'), id, accept: z.boolean() }),
  z.object({
    type: z.literal('confirmMember'),
    vaultId: id,
    invitationId: id,
    safetyNumber: z.string().regex(/^\d{5}( \d{5}){11}$/),
  }),
  /** newKey: the number of the key the server serves now, for a contact whose key changed. */
  z.object({ type: z.literal('safetyNumber'), userId: id, newKey: z.boolean().default(false) }),
  /** The shared vaults this device holds, from its own copy (no request): the side bar's list. */
  z.object({ type: z.literal('vaultList') }),
  z.object({
    type: z.literal('verifyContact'),
    userId: id,
    safetyNumber: z.string().regex(/^\d{5}( \d{5}){11}$/),
    /** The contact's key changed and the people compared the new number: pin the new key. */
    newKey: z.boolean().default(false),
  }),
  z.object({
    type: z.literal('changeRole'),
    vaultId: id,
    userId: id,
    role: z.enum(['manager', 'editor', 'viewer']),
  }),
  z.object({ type: z.literal('removeMember'), vaultId: id, userId: id }),
  z.object({ type: z.literal('rotateVaultKey'), vaultId: id }),
  z.object({
    type: z.literal('moveItems'),
    /** Item keys (a shared item's names its vault, which must be `from`). */
    ids: z.array(itemKey).min(1).max(500),
    from: id.nullable(),
    to: id.nullable(),
  }),
  z.object({ type: z.literal('listSharedItems'), vaultId: id }),
  z.object({
    type: z.literal('saveSharedItem'),
    vaultId: id,
    id: id.nullable(),
    body: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('deleteSharedItem'), vaultId: id, id }),
  z.object({ type: z.literal('dismissSharedNews') }),
  z.object({ type: z.literal('neverSaveSites') }),
  z.object({ type: z.literal('removeNeverSave'), domain: z.string().max(253) }),
]);
export type Request = z.input<typeof requestSchema>;
export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

export type SyncStatus =
  | { kind: 'synced'; at: string | null }
  | { kind: 'syncing'; pulled: number }
  | { kind: 'offline'; pending: number }
  | { kind: 'error'; reason: string; pending: number; signInAgain?: boolean };

/** What syncing found out about the server's honesty (shared/sync: quarantine, checkpoints). */
export interface TrustState {
  /** Server copies set aside because they failed their check; this device kept its own. */
  setAside: number;
  /** The last comparison with another device's sealed checkpoint of the vault. */
  integrity: 'unchecked' | 'ok' | 'mismatch';
  /** For a mismatch: when the other device sealed its checkpoint, its count and ours. */
  detail?: { at: string; theirs: number; ours: number };
  /** The server's keys were refused (a rotation that did not check out), in a sentence. */
  warning: string | null;
}

export interface AppState {
  phase: 'setup' | 'locked' | 'unlocked';
  serverUrl: string | null;
  email: string | null;
  hasPin: boolean;
  pinTriesLeft: number;
  /** Passkeys this device can unlock with (their PRF wrap is stored here). */
  unlockPasskeys: Array<{ credentialId: string; prfSalt: string; name: string }>;
  sync: SyncStatus;
  pending: number;
  settings: Settings;
  lockDeadline: number | null;
  itemCount: number;
  /** Set after another device removed this one and it erased itself: when, and by which. */
  removed: { at: string; by: string; email: string } | null;
  /** The name this device goes by, or null before setup. */
  deviceName: string | null;
  /** This device's id (labels what it wrote: "This device"), or null before setup. */
  deviceId: string | null;
  /** Re-encrypting the vault under a new account key: how far (records), or null. */
  rekey: { done: number; total: number } | null;
  /** Null while locked. */
  trust: TrustState | null;
  /** What sharing asks of the person (null while locked). */
  sharing: SharingAlerts | null;
  /** A sign-in whose password was right, waiting for its second step (two-step sign-in). */
  secondStep: {
    /** A new device ('sign-in') or this one after its session ended ('sign-in-again'). */
    purpose: 'sign-in' | 'sign-in-again';
    email: string;
    methods: Array<'totp' | 'webauthn' | 'recovery'>;
    expiresAt: string;
  } | null;
}

export interface SharingAlerts {
  /** Invitations to this account waiting for an answer. */
  invitations: number;
  /** People who accepted an invitation to a vault this account manages: to confirm. */
  toConfirm: number;
  /** Shared vaults whose check failed (a changed key, a forged grant): nothing of them is used. */
  refused: number;
  /** Edits a shared vault refused, kept in the personal vault, not yet shown. */
  rescued: number;
}

export interface ItemSummary {
  id: string;
  type: RecordBody['type'];
  name: string;
  subtitle: string;
  favorite: boolean;
  folderId: string | null;
  trashed: boolean;
  /** When it was moved to the trash (it goes for good 30 days later), or null. */
  trashedAt: string | null;
  conflicts: number;
  hasTotp: boolean;
  updatedAt: string;
  /** A login's first web address (http or https), for its site icon from the browser's cache. */
  site?: string;
  /** The shared vault the item is in (absent: the personal vault). */
  vault?: ItemVault;
}

export interface ItemVault {
  id: string;
  name: string | null;
  role: 'owner' | 'manager' | 'editor' | 'viewer';
  /** The role may not change items: the item is shown read-only (copy allowed). */
  readOnly: boolean;
}

export interface Responses extends SharingResponses {
  getState: AppState;
  /** Whether a Cofre server answers there, and if not, what answered (or nothing). */
  checkServer: { ok: boolean; reason?: 'unreachable' | 'not-cofre' | 'not-ready' };
  /** Who may sign up on that server (null: it did not say — an older server, or unreachable). */
  signupPolicy: { mode: 'open' | 'invite' | 'closed'; domains: string[] | null } | null;
  register: AppState;
  login: AppState;
  passkeyLoginOptions: Record<string, unknown>;
  passkeyLogin: AppState;
  unlockPassword: AppState;
  reauthenticate: AppState;
  completeSignIn: AppState;
  secondFactorOptions: Record<string, unknown>;
  cancelSignIn: AppState;
  unlockPin: AppState;
  unlockPasskey: AppState;
  lock: AppState;
  signOut: AppState;
  dismissRemoved: AppState;
  renameDevice: AppState;
  listItems: {
    items: ItemSummary[];
    total: number;
    siteMatches: ItemSummary[];
    folders: Array<{ id: string; name: string }>;
  };
  getItem: {
    id: string;
    body: RecordBody;
    /** The shared vault it is in, with how many of its members this account has not verified. */
    vault?: ItemVault & { unverified: number };
  };
  saveItem: { id: string };
  trashItem: Record<string, never>;
  deleteForever: Record<string, never>;
  emptyTrash: { deleted: number };
  renameFolder: { renamed: number };
  rememberGenerated: Record<string, never>;
  generatorHistory: Array<{
    id: string;
    value: string;
    site: string | null;
    itemName: string | null;
    createdAt: string;
  }>;
  clearGeneratorHistory: { deleted: number };
  deleteFolder: { moved: number };
  resolveConflict: { id: string };
  totp: { code: string; remaining: number };
  syncNow: AppState;
  clearClipboardLater: Record<string, never>;
  saveSettings: AppState;
  setPin: AppState;
  removePin: AppState;
  passkeyRegistrationOptions: { options: Record<string, unknown>; prfSalt: string };
  registerPasskey: AppState;
  listPasskeys: Array<{
    id: string;
    name: string;
    createdAt: string;
    hasPrf: boolean;
    here: boolean;
  }>;
  removePasskey: AppState;
  listSessions: Array<{
    id: string;
    deviceName: string;
    deviceId: string;
    createdAt: string;
    lastSeenAt: string;
    current: boolean;
  }>;
  revokeSession: Record<string, never>;
  twoFactorStatus: TwoFactorStatus;
  totpBegin: { secret: string; uri: string };
  /** The first second factor answers ten recovery codes, shown once. */
  totpConfirm: { recoveryCodes: string[] | null };
  totpRemove: Record<string, never>;
  securityKeyOptions: Record<string, unknown>;
  registerSecurityKey: { recoveryCodes: string[] | null };
  removeSecurityKey: Record<string, never>;
  newRecoveryCodes: { recoveryCodes: string[] | null };
  forgetRemembered: Record<string, never>;
  forgetAllRemembered: Record<string, never>;
  changePassword: AppState;
  rotateAccountKey: AppState;
  createRecoveryKit: {
    kitId: string;
    threshold: number;
    shares: string[];
    email: string;
    serverUrl: string;
    createdAt: string;
  };
  listRecoveryKits: Array<{
    id: string;
    threshold: number;
    shares: number;
    createdAt: string;
    lastUsedAt: string | null;
  }>;
  recoverAccount: AppState;
  importItems: {
    imported: number;
    /** Indexes (in this chunk) of items the vault already holds. */
    duplicates: number[];
    invalid: Array<{ index: number; reason: string }>;
    newFolders: number;
  };
  exportItems: { items: Array<{ body: Record<string, unknown>; folder: string | null }> };
  passwordReport: Array<{ id: string; name: string; username: string; password: string }>;
  menuItems: {
    locked: boolean;
    role: 'username' | 'password' | 'otp' | 'newPassword' | 'card' | 'identity';
    frameOrigin: string;
    topOrigin: string;
    items: MenuEntry[];
    /** Passkeys for the frame's pending conditional request (a site's "sign in with a passkey"). */
    passkeys: PasskeyChoice[];
    /** What the field asks of a new password (for the suggestion). */
    rules: PasswordRules | null;
    /** Matches beyond those listed. */
    more: number;
  };
  menuPick: FillResult | FillQuestion;
  menuClose: Record<string, never>;
  menuProve: Record<string, never>;
  menuGenerate: FillResult;
  menuPasskey: { signed: true } | FillQuestion;
  passkeyInfo: PasskeyInfo;
  passkeyApprove: Record<string, never>;
  passkeyFallback: Record<string, never>;
  passkeyCancel: Record<string, never>;
  deleteSitePasskey: Record<string, never>;
  proveIdentity: Record<string, never>;
  fillTab: FillResult | FillQuestion;
  promptInfo: { kind: 'save' | 'update'; site: string; username: string; itemName: string | null };
  promptAnswer: Record<string, never>;
  neverSaveSites: string[];
  removeNeverSave: string[];
}

/** A fill that needs the user's yes first: why, and the origins to name. */
/** A shared vault as the pages see it (roles and members verified from the grant chain). */
export interface SharedVaultInfo {
  vaultId: string;
  name: string | null;
  role: 'owner' | 'manager' | 'editor' | 'viewer';
  generation: number;
  owner: string;
  members: Array<{
    userId: string;
    email: string | null;
    role: 'owner' | 'manager' | 'editor' | 'viewer';
    /** The safety number was compared and marked verified on one of this account's devices. */
    verified: boolean;
  }>;
  pending: number;
}

export interface SharingResponses {
  vaultList: {
    vaults: Array<ItemVault & { unverified: number; members: number }>;
    /** Vaults that failed their check, with why (nothing of theirs is used). */
    refused: Record<string, { code: string; message: string }>;
  };
  sharingState: {
    /** False when the server did not answer: the vaults as last verified, no invitations. */
    online: boolean;
    identity: { userId: string; email: string } | null;
    vaults: SharedVaultInfo[];
    refused: Record<string, { code: string; message: string }>;
    invitations: Array<{
      id: string;
      vaultId: string;
      role: 'manager' | 'editor' | 'viewer';
      inviter: { userId: string; email: string };
      status: string;
    }>;
    /** Invitations shown by the server that failed their checks (never acceptable). */
    refusedInvitations: Array<{ id: string; code: string; message: string }>;
    /** Edits kept in the personal vault because a shared vault refused them; vaults lost. */
    rescued: Array<{ vaultId: string; from: string; to: string; name: string }>;
    lost: string[];
  };
  createVault: SharedVaultInfo;
  renameVault: Record<string, never>;
  deleteVault: Record<string, never>;
  leaveVault: { rescued: Array<{ vaultId: string; from: string; to: string; name: string }> };
  vaultMembers: {
    vault: SharedVaultInfo;
    invitations: Array<{
      id: string;
      email: string;
      role: 'manager' | 'editor' | 'viewer';
      status: string;
      acceptedBy: string | null;
      createdAt: string;
      safetyNumber: string | null;
      problem: { code: string; message: string } | null;
    }>;
  };
  inviteMember: {
    id: string;
    /** On a server that takes sign-ups by invitation: the code that lets the invitee sign up. */
    signupCode?: string;
    signupCodeExpiresAt?: string;
    /** The server mailed the invitation (and the code) to the invitee. */
    mailed?: boolean;
  };
  cancelInvitation: Record<string, never>;
  respondInvitation: Record<string, never>;
  confirmMember: Record<string, never>;
  safetyNumber: { userId: string; email: string; safetyNumber: string; verified: boolean };
  verifyContact: Record<string, never>;
  changeRole: Record<string, never>;
  removeMember: {
    couldSee: Array<{ id: string; name: string; type: string }>;
    generation: number;
    reencrypted: number;
  };
  rotateVaultKey: { generation: number; reencrypted: number };
  moveItems: { moved: Array<{ from: string; to: string }> };
  listSharedItems: { items: Array<{ id: string; body: RecordBody }> };
  saveSharedItem: { id: string };
  deleteSharedItem: Record<string, never>;
  dismissSharedNews: Record<string, never>;
}

/** A row of the inline menu: a login, or a card or identity (`sub` says which one it is). */
export type MenuEntry = LoginMatch & { sub?: string };

export interface FillQuestion {
  /** `insecure`: an http page; `crossOrigin`: a frame of another origin; `prove`: a card
   * needs the master password again (the vault was unlocked a while ago). */
  ask: Array<LoginMatch['ask'][number] | 'prove'>;
  frameOrigin: string;
  topOrigin: string;
}

/** A failure a user can read: `code` for the UI, `message` with no secret in it. */
export interface ErrorBody {
  code: string;
  message: string;
  /** The account a sharing error is about (a contact whose key changed). */
  about?: { userId: string; email: string };
}
export type Answer<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export { STATE_CHANGED } from './events.ts';

/** A passkey Cofre may sign with for a request (no key: the worker holds that). */
export interface PasskeyChoice {
  credentialId: string;
  itemId: string;
  itemName: string;
  userName: string;
  createdAt: string;
  vaultName?: string;
}

/** What the passkey window shows about the request it was opened for. */
export interface PasskeyInfo {
  kind: 'create' | 'get';
  origin: string;
  /** The page that frames the caller, when it is another origin (both are named to the person). */
  topOrigin: string | null;
  rpId: string;
  rpName: string;
  /** For a new passkey: the account the site names. */
  userName: string;
  userDisplayName: string;
  /** The site asked for user verification and the person has not proved it is them just now. */
  needsProof: boolean;
  locked: boolean;
  /** For a sign-in: the passkeys that fit. */
  choices: PasskeyChoice[];
  /** For a new passkey: the site's logins it could be kept in. */
  logins: Array<{ id: string; name: string; username: string; vaultName?: string }>;
  /** The login suggested to keep it in (the account's, or one with no username); null: new. */
  suggested: string | null;
  /** For a new passkey: Cofre already holds one the site listed as taken. */
  excluded: boolean;
}
