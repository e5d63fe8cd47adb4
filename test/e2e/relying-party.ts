// A real relying party for the passkey e2e (issue 20): an HTTPS site under test host names
// (Chromium maps them here with --host-resolver-rules and takes the self-signed certificate
// with --ignore-certificate-errors) that registers and signs people in with passkeys through
// @simplewebauthn/server, verifying every response itself, and whose page calls WebAuthn through
// @simplewebauthn/browser as real sites do. It keeps its accounts in memory.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { build } from 'esbuild';

export const RP_HOSTS = ['rp.test', 'login.rp.test', 'other.test', 'embed.test'];
export const RP_HOST_RULES = RP_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ');

export interface Verified {
  /** What the RP's own verification said, per ceremony, newest last. */
  kind: 'registration' | 'authentication';
  verified: boolean;
  username: string;
  aaguid?: string;
  backedUp?: boolean;
  deviceType?: string;
  userVerified?: boolean;
  error?: string;
}

/** A self-signed certificate for the RP's host names (made once per run with openssl). */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'cofre-rp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=rp.test',
        '-addext',
        `subjectAltName=${RP_HOSTS.map((h) => `DNS:${h}`).join(',')}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function browserBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: `export { startRegistration, startAuthentication, browserSupportsWebAuthnAutofill } from '@simplewebauthn/browser';`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'SimpleWebAuthnBrowser',
    write: false,
  });
  return out.outputFiles[0]!.text;
}

const page = (script: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Passkey site</title>
<style>body{font:15px system-ui;margin:40px} input{display:block;margin:6px 0 12px;padding:6px;width:260px}</style>
<script src="/swa.js"></script></head><body>${body}
<p id="status" role="status"></p>
<script>
const $ = (s) => document.querySelector(s);
const say = (t) => { $('#status').textContent = t; };
const params = new URLSearchParams(location.search);
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}
${script}
</script></body></html>`;

const sitePage = page(
  `
window.doRegister = async () => {
  try {
    const optionsJSON = await post('/register/options', { username: $('#username').value, rpId: params.get('rpId'), uv: params.get('uv'), algs: params.get('algs') });
    const response = await SimpleWebAuthnBrowser.startRegistration({ optionsJSON });
    const result = await post('/register/verify', response);
    say(result.verified ? 'registered ' + result.username : 'refused: ' + result.error);
  } catch (e) { say('error ' + e.name + ': ' + e.message); }
};
window.doSignIn = async () => {
  try {
    const optionsJSON = await post('/login/options', { rpId: params.get('rpId'), uv: params.get('uv'), username: params.get('allow') });
    const t0 = performance.now();
    const response = await SimpleWebAuthnBrowser.startAuthentication({ optionsJSON });
    window.signedIn = performance.now() - t0;
    const result = await post('/login/verify', response);
    say(result.verified ? 'signed in as ' + result.username : 'refused: ' + result.error);
  } catch (e) { say('error ' + e.name + ': ' + e.message); }
};
if (params.get('conditional')) {
  (async () => {
    try {
      const optionsJSON = await post('/login/options', {});
      const response = await SimpleWebAuthnBrowser.startAuthentication({ optionsJSON, useBrowserAutofill: true });
      const result = await post('/login/verify', response);
      say(result.verified ? 'signed in as ' + result.username : 'refused: ' + result.error);
    } catch (e) { say('error ' + e.name + ': ' + e.message); }
  })();
}`,
  `<h1>Passkey site</h1>
<form onsubmit="event.preventDefault()">
<label>Username <input id="username" name="username" autocomplete="username webauthn"></label>
<button type="button" id="register" onclick="doRegister()">Create a passkey</button>
<button type="button" id="sign-in" onclick="doSignIn()">Sign in with a passkey</button>
</form>`,
);

/** A page of embed.test that frames the site, with or without the permissions policy. */
const framePage = (src: string, allow: boolean, sandbox: boolean) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embedder</title></head><body>
<h1>Embedder</h1>
<iframe id="rp" src="${src}" width="600" height="400" ${allow ? 'allow="publickey-credentials-get *; publickey-credentials-create *"' : ''} ${sandbox ? 'sandbox="allow-scripts"' : ''}></iframe>
</body></html>`;

export interface RelyingParty {
  port: number;
  /** https://host:port/path */
  url: (host?: string, path?: string) => string;
  /** The same site over plain http (for the "https only" rule). */
  httpUrl: (host?: string, path?: string) => string;
  /** Every ceremony the RP verified (or refused), oldest first. */
  log: Verified[];
  close: () => Promise<void>;
}

export async function startRelyingParty(): Promise<RelyingParty> {
  const swa = await browserBundle();
  const users = new Map<string, { id: string; credentials: WebAuthnCredential[] }>();
  const byCredential = new Map<string, { username: string; credential: WebAuthnCredential }>();
  const challenges = new Map<string, { username?: string; rpId: string; uv: boolean }>();
  const log: Verified[] = [];
  let port = 0;

  async function api(
    req: IncomingMessage,
    path: string,
    origin: string,
    body: Record<string, unknown>,
  ) {
    const rpID = typeof body.rpId === 'string' && body.rpId ? body.rpId : 'rp.test';
    const uv = body.uv === 'required';
    if (path === '/register/options') {
      const username = String(body.username || 'ana@rp.test');
      const user = users.get(username) ?? { id: '', credentials: [] };
      const options = await generateRegistrationOptions({
        rpName: 'Passkey Site',
        rpID,
        userName: username,
        userDisplayName: username.split('@')[0],
        attestationType: 'none',
        ...(user.id ? { userID: Buffer.from(user.id, 'base64url') } : {}),
        excludeCredentials: user.credentials.map((c) => ({ id: c.id })),
        authenticatorSelection: {
          residentKey: 'required',
          userVerification: uv ? 'required' : 'preferred',
        },
        ...(typeof body.algs === 'string' && body.algs
          ? { supportedAlgorithmIDs: body.algs.split(',').map(Number) }
          : {}),
      });
      if (!user.id) users.set(username, { id: options.user.id, credentials: [] });
      challenges.set(options.challenge, { username, rpId: rpID, uv });
      return options;
    }
    if (path === '/register/verify') {
      const challenge = JSON.parse(
        Buffer.from(
          (body.response as { clientDataJSON: string }).clientDataJSON,
          'base64url',
        ).toString(),
      ).challenge as string;
      const pending = challenges.get(challenge);
      challenges.delete(challenge);
      try {
        if (!pending?.username) throw new Error('unknown challenge');
        const result = await verifyRegistrationResponse({
          response: body as never,
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: pending.rpId,
          requireUserVerification: pending.uv,
        });
        const info = result.registrationInfo!;
        const user = users.get(pending.username)!;
        user.credentials.push(info.credential);
        byCredential.set(info.credential.id, {
          username: pending.username,
          credential: info.credential,
        });
        const entry: Verified = {
          kind: 'registration',
          verified: result.verified,
          username: pending.username,
          aaguid: info.aaguid,
          backedUp: info.credentialBackedUp,
          deviceType: info.credentialDeviceType,
          userVerified: info.userVerified,
        };
        log.push(entry);
        return entry;
      } catch (e) {
        const entry: Verified = {
          kind: 'registration',
          verified: false,
          username: '',
          error: (e as Error).message,
        };
        log.push(entry);
        return entry;
      }
    }
    if (path === '/login/options') {
      const username = typeof body.username === 'string' ? body.username : '';
      const options = await generateAuthenticationOptions({
        rpID,
        userVerification: uv ? 'required' : 'preferred',
        allowCredentials: username
          ? (users.get(username)?.credentials ?? []).map((c) => ({ id: c.id }))
          : [],
      });
      challenges.set(options.challenge, { rpId: rpID, uv });
      return options;
    }
    if (path === '/login/verify') {
      const response = body as {
        id: string;
        response: { clientDataJSON: string; userHandle?: string };
      };
      const challenge = JSON.parse(
        Buffer.from(response.response.clientDataJSON, 'base64url').toString(),
      ).challenge as string;
      const pending = challenges.get(challenge);
      challenges.delete(challenge);
      const known = byCredential.get(response.id);
      try {
        if (!pending) throw new Error('unknown challenge');
        if (!known) throw new Error('unknown credential');
        const user = users.get(known.username)!;
        if (response.response.userHandle !== undefined && response.response.userHandle !== user.id)
          throw new Error('user handle does not match');
        const clientData = JSON.parse(
          Buffer.from(response.response.clientDataJSON, 'base64url').toString(),
        );
        const result = await verifyAuthenticationResponse({
          response: body as never,
          // The site lets its embedder frame its sign-in (it sets the permissions policy there).
          ...(clientData.topOrigin ? { expectedTopOrigin: `https://embed.test:${port}` } : {}),
          expectedChallenge: challenge,
          expectedOrigin: origin,
          expectedRPID: pending.rpId,
          credential: known.credential,
          requireUserVerification: pending.uv,
        });
        known.credential.counter = result.authenticationInfo.newCounter;
        const entry: Verified = {
          kind: 'authentication',
          verified: result.verified,
          username: known.username,
          backedUp: result.authenticationInfo.credentialBackedUp,
          deviceType: result.authenticationInfo.credentialDeviceType,
          userVerified: result.authenticationInfo.userVerified,
        };
        log.push(entry);
        return entry;
      } catch (e) {
        const entry: Verified = {
          kind: 'authentication',
          verified: false,
          username: '',
          error: (e as Error).message,
        };
        log.push(entry);
        return entry;
      }
    }
    void req;
    return null;
  }

  const handler = (scheme: 'https' | 'http') => (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host ?? '';
    const origin = `${scheme}://${host}`;
    const url = new URL(req.url ?? '/', origin);
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(text);
    };
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void api(
          req,
          url.pathname,
          origin,
          JSON.parse(Buffer.concat(chunks).toString() || '{}'),
        ).then(
          (out) => send(out ? 200 : 404, 'application/json', JSON.stringify(out)),
          (e: Error) => send(500, 'application/json', JSON.stringify({ error: e.message })),
        );
      });
      return;
    }
    if (url.pathname === '/swa.js') return send(200, 'text/javascript', swa);
    if (url.pathname === '/frame')
      return send(
        200,
        'text/html; charset=utf-8',
        framePage(
          url.searchParams.get('src') ?? '',
          url.searchParams.has('allow'),
          url.searchParams.has('sandbox'),
        ),
      );
    if (url.pathname === '/') return send(200, 'text/html; charset=utf-8', sitePage);
    send(404, 'text/plain', 'not found');
  };

  const server = createServer(certificate(), handler('https'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  const plain = createHttpServer(handler('http'));
  plain.listen(0, '127.0.0.1');
  await once(plain, 'listening');
  const plainPort = (plain.address() as AddressInfo).port;
  return {
    port,
    url: (host = 'rp.test', path = '/') => `https://${host}:${port}${path}`,
    httpUrl: (host = 'rp.test', path = '/') => `http://${host}:${plainPort}${path}`,
    log,
    close: async () => {
      server.closeAllConnections();
      plain.closeAllConnections();
      await Promise.all([
        new Promise<void>((r) => server.close(() => r())),
        new Promise<void>((r) => plain.close(() => r())),
      ]);
    },
  };
}
