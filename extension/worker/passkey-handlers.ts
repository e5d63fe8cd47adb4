// Cofre as the passkey provider for websites (issue 20). A page's navigator.credentials call
// arrives from the relay content script; the worker alone decides: the origin and the frame are
// Chrome's (`sender`), the RP id must belong to that origin (shared/webauthn/rp-rules.ts), a
// cross-origin frame needs its permissions policy and the person's yes naming both origins, and
// nothing is signed or made without a person's click in Cofre's own window (or in the inline menu
// for a conditional request). The private keys stay in the vault and in this worker.
import { browser } from 'wxt/browser';
import { fromBase64url, toBase64url } from '../../shared/crypto/bytes.ts';
import { msg } from '../../shared/i18n-msg.ts';
import type { Passkey } from '../../shared/model/item.ts';
import {
  chooseAlgorithm,
  clientData,
  makePasskey,
  type PasskeyAlgorithm,
  signAssertion,
} from '../../shared/webauthn/authenticator.ts';
import { effectiveRpId, WebAuthnRefusal } from '../../shared/webauthn/rp-rules.ts';
import type { PasskeyChoice, PasskeyInfo, Responses } from '../messages.ts';
import {
  type CreationOptions,
  type PasskeyAnswer,
  passkeyRequestSchema,
  type RequestOptions,
} from '../passkeys/passkey-messages.ts';
import {
  autofillError,
  type Handler,
  matchesFor,
  originOf,
  randomToken,
} from './autofill-shared.ts';
import { itemHandlers, updatePasskeys } from './item-handlers.ts';
import { loadAccount } from './storage.ts';
import { type Frame, remember, type Sender, topUrlOf } from './tab-frames.ts';
import type { VaultSession } from './vault-session.ts';
import { currentVault, proveItIsYou, requireVault } from './worker-state.ts';

/** A request waits at most this long for the person (the site's timeout, if shorter). */
const MAX_WAIT_MS = 10 * 60_000;

interface Pending {
  token: string;
  /** The page's own id for the call, to cancel it by. */
  request: string;
  frame: Frame;
  origin: string;
  topOrigin: string | null;
  rpId: string;
  conditional: boolean;
  create?: CreationOptions & { algorithm: PasskeyAlgorithm };
  get?: RequestOptions;
  windowId?: number;
  /** The person proved it is them for this request (a site that requires user verification). */
  proved?: boolean;
  timer: ReturnType<typeof setTimeout>;
  answer: (a: PasskeyAnswer) => void;
}

const pendings = new Map<string, Pending>();

const refusal = (name: string, message: string): PasskeyAnswer => ({ error: { name, message } });
const notAllowed = () =>
  refusal('NotAllowedError', 'The operation either timed out or was not allowed.');

function finish(p: Pending, answer: PasskeyAnswer) {
  if (pendings.get(p.token) !== p) return;
  pendings.delete(p.token);
  clearTimeout(p.timer);
  p.answer(answer);
  if (p.windowId !== undefined) void browser.windows.remove(p.windowId).catch(() => {});
}

/** A window closed by the person answers its request as refused. */
export function forgetPasskeyWindow(windowId: number) {
  for (const p of pendings.values()) if (p.windowId === windowId) finish(p, notAllowed());
}

/** A tab that closed or navigated ends its requests. */
export function forgetPasskeyTab(tabId: number) {
  for (const p of pendings.values()) if (p.frame.tabId === tabId) finish(p, notAllowed());
}

const sameDocument = (a: Frame, b: { tabId: number; frameId: number; documentId?: string }) =>
  a.tabId === b.tabId && a.frameId === b.frameId && a.documentId === b.documentId;

/** The frame's pending conditional request (a username field's passkey suggestions). */
export function conditionalFor(frame: {
  tabId: number;
  frameId: number;
  documentId?: string;
}): Pending | null {
  for (const p of pendings.values()) if (p.conditional && sameDocument(p.frame, frame)) return p;
  return null;
}

// ---- the passkeys a request may use ----------------------------------------------------

interface Found {
  itemId: string;
  itemName: string;
  passkey: Passkey;
  vaultName?: string;
}

/** Cofre's passkeys for the RP id: those `allow` names, or every discoverable one. */
function passkeysFor(v: VaultSession, rpId: string, allow: Array<{ id: string }>): Found[] {
  const allowed = new Set(allow.map((c) => c.id));
  const out: Found[] = [];
  for (const [itemId, e, shared] of v.allEntries()) {
    // Only logins whose summary names this RP id are read.
    if (e.type !== 'login' || e.summary?.trashed || !e.summary?.passkeyRps?.includes(rpId))
      continue;
    const body = e.body;
    if (body.type !== 'login') continue;
    for (const passkey of body.passkeys) {
      if (passkey.rpId !== rpId) continue;
      if (allowed.size ? !allowed.has(passkey.credentialId) : !passkey.discoverable) continue;
      out.push({
        itemId,
        itemName: body.name,
        passkey,
        ...(shared ? { vaultName: v.sharedIndexes.nameOf(shared.vaultId) ?? '' } : {}),
      });
    }
  }
  return out.sort((a, b) => (a.passkey.createdAt < b.passkey.createdAt ? 1 : -1));
}

const choiceOf = (f: Found): PasskeyChoice => ({
  credentialId: f.passkey.credentialId,
  itemId: f.itemId,
  itemName: f.itemName,
  userName: f.passkey.userName || f.passkey.userDisplayName,
  createdAt: f.passkey.createdAt,
  ...(f.vaultName !== undefined ? { vaultName: f.vaultName } : {}),
});

export function conditionalChoices(v: VaultSession, p: Pending): PasskeyChoice[] {
  return p.get ? passkeysFor(v, p.rpId, p.get.allowCredentials).map(choiceOf) : [];
}

// ---- requests from the relay content script ---------------------------------------------

export async function handlePasskeyRequest(
  raw: unknown,
  sender: Sender,
): Promise<PasskeyAnswer | null> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId === undefined || !sender.url) return null;
  const parsed = passkeyRequestSchema.safeParse(raw);
  if (!parsed.success)
    return refusal('TypeError', 'Cofre could not read this request for a passkey.');
  const req = parsed.data;
  if (req.type === 'passkey:cancel') {
    for (const p of pendings.values())
      if (
        p.request === req.request &&
        p.frame.tabId === tabId &&
        p.frame.frameId === sender.frameId
      )
        finish(p, refusal('AbortError', 'The operation was aborted.'));
    return null;
  }
  // Chrome's word for the frame's origin; an opaque one (a sandboxed frame) is no site's.
  const told = (sender as { origin?: string }).origin;
  if (told === 'null') return refusal('SecurityError', 'A sandboxed frame cannot use passkeys.');
  const origin = told ?? originOf(sender.url);
  let rpId: string;
  try {
    rpId = effectiveRpId(
      origin,
      req.type === 'passkey:create' ? req.options.rp.id : req.options.rpId,
    );
  } catch (e) {
    if (e instanceof WebAuthnRefusal) return refusal(e.domName, e.message);
    throw e;
  }
  // Before anyone set Cofre up, the browser's own authenticator answers.
  if (!(await loadAccount())) return { fallback: true };
  const frame = remember({ ...sender, frameId: sender.frameId, url: sender.url }, tabId, {});
  const top = originOf(await topUrlOf(frame));
  const topOrigin = top && top !== origin ? top : null;
  if (frame.frameId !== 0 && !top)
    return refusal('NotAllowedError', 'Cofre could not tell which page frames this one.');
  if (topOrigin && !req.policy)
    return refusal(
      'NotAllowedError',
      `This frame (${origin}) may not use passkeys: ${topOrigin} did not allow it (publickey-credentials permissions policy).`,
    );

  if (req.type === 'passkey:create') {
    const algorithm = chooseAlgorithm(req.options.pubKeyCredParams);
    if (algorithm === null)
      return refusal(
        'NotSupportedError',
        'Cofre makes ES256 and Ed25519 passkeys; this site accepts neither.',
      );
    // The site asked for a security key: the browser's own dialog handles that.
    if (req.options.authenticatorSelection.authenticatorAttachment === 'cross-platform')
      return { fallback: true };
    return wait(
      { request: req.request, frame, origin, topOrigin, rpId, conditional: false },
      { create: { ...req.options, algorithm } },
      req.options.timeout,
    );
  }

  if (req.conditional) {
    // One conditional request per document: a newer one replaces the older.
    const old = conditionalFor(frame);
    if (old) finish(old, refusal('AbortError', 'A newer request replaced this one.'));
    return wait(
      { request: req.request, frame, origin, topOrigin, rpId, conditional: true },
      { get: req.options },
      // A conditional request waits for the person as long as the page stays.
      MAX_WAIT_MS,
    );
  }
  const v = await currentVault();
  // Passkeys are read from item bodies: those of a vault just unlocked come a moment later.
  await v?.current();
  if (v && !topOrigin && passkeysFor(v, rpId, req.options.allowCredentials).length === 0)
    // Nothing here for this site: its security key or the browser's own passkey may be.
    return { fallback: true };
  return wait(
    { request: req.request, frame, origin, topOrigin, rpId, conditional: false },
    { get: req.options },
    req.options.timeout,
  );
}

function wait(
  base: Omit<Pending, 'token' | 'timer' | 'answer'>,
  options: Pick<Pending, 'create' | 'get'>,
  timeout: number | undefined,
): Promise<PasskeyAnswer> {
  // One window per tab: a page that asks again (or over and over) ends its older request.
  if (!base.conditional)
    for (const old of pendings.values())
      if (!old.conditional && old.frame.tabId === base.frame.tabId)
        finish(old, refusal('AbortError', 'A newer request replaced this one.'));
  return new Promise<PasskeyAnswer>((answer) => {
    const token = randomToken();
    const ms = Math.min(Math.max(timeout ?? MAX_WAIT_MS, 30_000), MAX_WAIT_MS);
    const p: Pending = {
      ...base,
      ...options,
      token,
      answer,
      timer: setTimeout(() => finish(p, notAllowed()), ms),
    };
    pendings.set(token, p);
    if (base.conditional) return;
    void browser.windows
      .create({
        // Typed by `wxt prepare`, which the type check does not run: as in ui/site-icon.ts.
        url: `${(browser.runtime as unknown as { getURL(p: string): string }).getURL('/passkey.html')}#${token}`,
        type: 'popup',
        width: 440,
        height: 600,
        focused: true,
      })
      .then(
        (w) => {
          p.windowId = w?.id;
          if (!pendings.has(token) && w?.id !== undefined) void browser.windows.remove(w.id);
        },
        () => finish(p, notAllowed()),
      );
  });
}

// ---- making and signing -----------------------------------------------------------------

/** Signs the request's challenge with the chosen passkey, if it is one the request may use. */
async function assertWith(p: Pending, credentialId: string): Promise<PasskeyAnswer> {
  const v = await requireVault();
  await v.current();
  const found = passkeysFor(v, p.rpId, p.get!.allowCredentials).find(
    (f) => f.passkey.credentialId === credentialId,
  );
  if (!found) throw autofillError('NOT_FOUND', msg('That passkey is not one this site can use.'));
  const data = clientData({
    type: 'webauthn.get',
    challenge: p.get!.challenge,
    origin: p.origin,
    topOrigin: p.topOrigin,
  });
  const signed = await signAssertion(found.passkey, data, true);
  return {
    asserted: {
      id: found.passkey.credentialId,
      clientDataJSON: toBase64url(data),
      authenticatorData: toBase64url(signed.authenticatorData),
      signature: toBase64url(signed.signature),
      userHandle: found.passkey.userHandle,
    },
  };
}

/** Makes the passkey, keeps it in the chosen login (or a new one), then answers the site. */
async function createInto(p: Pending, saveTo: string | null): Promise<PasskeyAnswer> {
  const v = await requireVault();
  await v.current();
  const o = p.create!;
  const made = await makePasskey({
    rpId: p.rpId,
    rpName: o.rp.name,
    userHandle: fromBase64url(o.user.id),
    userName: o.user.name,
    userDisplayName: o.user.displayName,
    algorithm: o.algorithm,
    userVerified: true,
    now: new Date().toISOString(),
  });
  // One passkey per account of a site in a login: a new one for the same user replaces it.
  const replaces = (k: Passkey) => k.rpId === p.rpId && k.userHandle === made.passkey.userHandle;
  if (saveTo) {
    await updatePasskeys(v, saveTo, (login) => ({
      passkeys: [...login.passkeys.filter((k) => !replaces(k)), made.passkey],
      username: login.username || o.user.name,
    }));
  } else {
    await itemHandlers.saveItem!({
      type: 'saveItem',
      id: null,
      body: {
        type: 'login',
        name: o.rp.name || p.rpId,
        username: o.user.name,
        uris: [{ uri: p.origin, match: 'domain' }],
        passkeys: [made.passkey],
      },
      vaultId: null,
    });
  }
  const data = clientData({
    type: 'webauthn.create',
    challenge: o.challenge,
    origin: p.origin,
    topOrigin: p.topOrigin,
  });
  return {
    created: {
      id: made.passkey.credentialId,
      clientDataJSON: toBase64url(data),
      attestationObject: toBase64url(made.attestationObject),
      authenticatorData: toBase64url(made.authenticatorData),
      publicKey: toBase64url(made.publicKeySpki),
      publicKeyAlgorithm: o.algorithm,
      transports: ['hybrid', 'internal'],
      credProps: o.extensions.includes('credProps'),
    },
  };
}

const needsVerification = (p: Pending) =>
  (p.create ? p.create.authenticatorSelection.userVerification : p.get?.userVerification) ===
  'required';

/** A site that requires user verification gets the person's proof for each request. */
const needsProof = (p: Pending) => needsVerification(p) && !p.proved;

function requireProof(p: Pending) {
  if (needsProof(p))
    throw autofillError(
      'PROOF_NEEDED',
      msg('This site asks you to confirm it is you: enter your master password or PIN.'),
    );
}

function pendingOf(token: string): Pending {
  const p = pendings.get(token);
  if (!p || p.conditional)
    throw autofillError('EXPIRED', msg('This passkey request has ended. Try again on the site.'));
  return p;
}

/** Cofre's passkeys the site listed as taken (excludeCredentials). */
function excludedHere(v: VaultSession, p: Pending): boolean {
  const taken = p.create?.excludeCredentials ?? [];
  return taken.length > 0 && passkeysFor(v, p.rpId, taken).length > 0;
}

export const passkeyHandlers: { [K in keyof Responses]?: Handler<K> } = {
  async passkeyInfo({ token }) {
    const p = pendingOf(token);
    const v = await currentVault();
    const info: PasskeyInfo = {
      kind: p.create ? 'create' : 'get',
      origin: p.origin,
      topOrigin: p.topOrigin,
      rpId: p.rpId,
      rpName: p.create?.rp.name ?? '',
      userName: p.create?.user.name ?? '',
      userDisplayName: p.create?.user.displayName ?? '',
      needsProof: needsProof(p),
      locked: !v,
      choices: [],
      logins: [],
      suggested: null,
      excluded: false,
    };
    if (!v) return info;
    await v.current();
    if (p.get) info.choices = conditionalChoices(v, p);
    if (p.create) {
      info.excluded = excludedHere(v, p);
      const matches = await matchesFor(v, p.frame);
      // The login whose username is the site's account name first, and suggested (or else one
      // with no username yet); none of them: a new login.
      const name = p.create.user.name.toLowerCase();
      const mine = (m: { username: string }) => m.username.toLowerCase() === name;
      info.logins = matches
        .filter((m) => m.ask.length === 0)
        .sort((a, b) => Number(mine(b)) - Number(mine(a)))
        .map((m) => ({
          id: m.id,
          name: m.name,
          username: m.username,
          ...(m.vaultName !== undefined ? { vaultName: m.vaultName } : {}),
        }));
      info.suggested = info.logins.find((l) => mine(l) || !l.username)?.id ?? null;
    }
    return info;
  },

  async passkeyApprove({ token, credentialId, saveTo = null }) {
    const p = pendingOf(token);
    const v = await requireVault();
    requireProof(p);
    await v.current();
    if (p.create) {
      if (excludedHere(v, p)) {
        finish(
          p,
          refusal('InvalidStateError', 'A passkey for this account is already saved in Cofre.'),
        );
        return {};
      }
      finish(p, await createInto(p, saveTo));
      return {};
    }
    if (!credentialId) throw autofillError('BAD_REQUEST', msg('Choose a passkey.'));
    finish(p, await assertWith(p, credentialId));
    return {};
  },

  async passkeyFallback({ token }) {
    finish(pendingOf(token), { fallback: true });
    return {};
  },

  async passkeyCancel({ token }) {
    finish(pendingOf(token), notAllowed());
    return {};
  },

  async proveIdentity({ proof, token }) {
    await proveItIsYou(proof);
    const p = token ? pendings.get(token) : undefined;
    if (p) p.proved = true;
    return {};
  },
};

/** The master password was asked again in the inline menu: it counts for the frame's request. */
export function provedInMenu(frame: Frame) {
  const p = conditionalFor(frame);
  if (p) p.proved = true;
}

/** A passkey picked in the inline menu answers the frame's conditional request. */
export async function signFromMenu(
  frame: Frame,
  credentialId: string,
  confirmed: boolean,
): Promise<Responses['menuPasskey']> {
  const p = conditionalFor(frame);
  if (!p) throw autofillError('EXPIRED', msg('This site no longer asks for a passkey.'));
  const ask: Array<'crossOrigin' | 'prove'> = [];
  // A frame of another origin: the person says yes to both origins, named, first.
  if (p.topOrigin && !confirmed) ask.push('crossOrigin');
  if (needsProof(p)) ask.push('prove');
  if (ask.length) return { ask, frameOrigin: p.origin, topOrigin: p.topOrigin ?? p.origin };
  finish(p, await assertWith(p, credentialId));
  return { signed: true };
}
