// Web pages for the autofill e2e: one HTTP server answers for every fixture host name (Chromium
// maps them to 127.0.0.1 with --host-resolver-rules). Each page is a form a real site uses —
// plain, React-controlled, two-step, shadow DOM, added later, form-less, framed, hostile.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { FORM_HOSTS, formPages } from './form-fixtures.ts';

export const FIXTURE_HOSTS = [
  'bank.test',
  'react.test',
  'steps.test',
  'shadow.test',
  'spa.test',
  'formless.test',
  'shop.test',
  'idp.test',
  'transparent.test',
  'fade.test',
  'cover.test',
  'bank.test.evil.test',
  'alice.github.io',
  'bob.github.io',
  'secure.test',
  'newsite.test',
  'nag.test',
  'join.test',
  'mybank.test',
  'big.test',
  'mover.test',
  ...FORM_HOSTS,
];

/** Chromium flag: every fixture host resolves to this machine. */
export const HOST_RULES = `--host-resolver-rules=${FIXTURE_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`;

const page = (title: string, body: string, script = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px system-ui;margin:40px} input{display:block;margin:6px 0 12px;padding:6px;width:260px}
form,.box{max-width:320px} .over{position:fixed;z-index:2147483647;background:#fff}</style>
</head><body><h1>${title}</h1>${body}<script>${script}</script></body></html>`;

const loginForm = (action = '/welcome', extra = '') => `
<form method="post" action="${action}" id="login">
  <label>Email <input name="email" type="email" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  ${extra}<button type="submit">Sign in</button>
</form>`;

const signupForm = `<form method="post" action="/welcome">
  <label>Email <input name="email" type="email" autocomplete="username"></label>
  <label>Password <input name="pw" type="password" autocomplete="new-password"></label>
  <label>Repeat <input name="pw2" type="password" autocomplete="new-password"></label>
  <button type="submit">Create account</button></form>`;

const welcome = page('Welcome', '<p id="done">You are signed in.</p>');

// Hostile pages: once the menu appears, make it transparent or cover it.
const watchForMenu = (attack: string) => `
new MutationObserver(() => {
  const host = document.querySelector('cofre-frame');
  if (host && !host.dataset.attacked) { host.dataset.attacked = '1'; window.menuSeen = true; ${attack} }
}).observe(document.documentElement, { childList: true });`;

const REACT_APP = `
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
function App() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState(null);
  if (sent) return <p id="done">React got {sent.email} and a password of {sent.password.length} characters.</p>;
  return (
    <form onSubmit={(e) => { e.preventDefault(); setSent({ email, password }); }}>
      <label>Email <input name="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
      <label>Password <input type="password" name="pw" value={password} onChange={(e) => setPassword(e.target.value)} /></label>
      <button type="submit">Sign in</button>
    </form>
  );
}
createRoot(document.getElementById('app')).render(<App />);`;

async function reactBundle(): Promise<string> {
  const out = await build({
    stdin: { contents: REACT_APP, loader: 'jsx', resolveDir: process.cwd() },
    bundle: true,
    write: false,
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

function pages(port: number, react: string): Record<string, string> {
  const idp = `http://idp.test:${port}`;
  return {
    'bank.test/login': page('Bank', loginForm()),
    'bank.test/login-fail': page('Bank', loginForm('/login-fail')),
    'bank.test/change': page(
      'Change password',
      `<form method="post" action="/changed">
        <label>Current <input name="cur" type="password" autocomplete="current-password"></label>
        <label>New <input name="new" type="password" autocomplete="new-password"></label>
        <label>Confirm <input name="again" type="password" autocomplete="new-password"></label>
        <button type="submit">Change</button></form>`,
    ),
    'bank.test/otp': page(
      'Two-factor',
      `<form method="post" action="/welcome"><label>Code
        <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></label>
        <button type="submit">Verify</button></form>`,
    ),
    'react.test/': page('React', '<div id="app"></div>', react),
    'steps.test/': page(
      'Two steps',
      `<div id="step"><form id="f1"><label>Email <input name="identifier" type="email"></label>
        <button type="submit">Next</button></form></div>`,
      `document.getElementById('f1').addEventListener('submit', (e) => {
        e.preventDefault();
        const who = e.target.identifier.value;
        document.getElementById('step').innerHTML = '<p id="who"></p><form id="f2" method="post" action="/welcome">' +
          '<label>Password <input name="password" type="password" autocomplete="current-password"></label>' +
          '<button type="submit">Sign in</button></form>';
        document.getElementById('who').textContent = who;
      });`,
    ),
    'shadow.test/': page(
      'Shadow DOM',
      '<login-box></login-box>',
      `customElements.define('login-box', class extends HTMLElement {
        constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML =
          '<form><label>User <input name="user" autocomplete="username"></label>' +
          '<label>Password <input name="pass" type="password"></label><button>Go</button></form>'; }
      });`,
    ),
    'spa.test/': page(
      'Single-page app',
      '<button id="show">Sign in</button><div id="mount"></div>',
      `document.getElementById('show').onclick = () => setTimeout(() => {
        document.getElementById('mount').innerHTML =
          '<div class="box"><label>Username <input id="u" name="username"></label>' +
          '<label>Password <input id="p" type="password"></label></div>';
      }, 300);`,
    ),
    'formless.test/': page(
      'No form',
      `<div class="box"><label>Login <input id="login" name="login"></label>
       <label>Password <input id="pw" type="password"></label>
       <button id="go" type="button">Continue</button></div><p id="out"></p>`,
      `document.getElementById('go').onclick = () => {
        document.querySelector('.box').remove(); document.getElementById('out').textContent = 'signed in';
      };`,
    ),
    'shop.test/': page(
      'Shop',
      `<p>Checkout: sign in with IdP</p><iframe id="idp" src="${idp}/frame-login" style="width:420px;height:320px;border:1px solid #ccc"></iframe>`,
    ),
    'idp.test/frame-login': page('IdP', loginForm()),
    'transparent.test/login': page(
      'Transparent',
      loginForm(),
      watchForMenu(`setTimeout(() => { const s = document.createElement('style');
        s.textContent = 'html { opacity: 0.02 !important }'; document.head.append(s); }, 300);`),
    ),
    'fade.test/login': page(
      'Fade',
      loginForm(),
      watchForMenu(`setTimeout(() => { document.body.style.opacity = '0.05'; }, 300);`),
    ),
    'cover.test/login': page(
      'Covered',
      loginForm(),
      watchForMenu(`const r = host.getBoundingClientRect(); const d = document.createElement('div');
        d.className = 'over'; d.id = 'cover'; d.textContent = 'Win a prize!';
        Object.assign(d.style, { left: r.left + 'px', top: r.top + 'px', width: r.width + 'px',
          height: r.height + 'px', pointerEvents: 'none', margin: '0', padding: '0', border: '0' });
        // The menu is in the top layer, over any z-index: the page's own popover, shown after
        // it, is the one thing that can cover it.
        d.popover = 'manual';
        document.documentElement.append(d);
        d.showPopover();`),
    ),
    'mover.test/login': page(
      'Mover',
      loginForm(),
      watchForMenu(`setTimeout(() => { const f = document.getElementById('login');
        f.style.marginTop = '120px'; dispatchEvent(new Event('scroll')); }, 200);`),
    ),
    'bank.test.evil.test/login': page('Bank (lookalike)', loginForm()),
    'alice.github.io/login': page('Alice', loginForm()),
    'bob.github.io/login': page('Bob', loginForm()),
    'secure.test/login': page('Secure (served over http)', loginForm()),
    'newsite.test/signup': page('Sign up', signupForm),
    'join.test/signup': page('Join', signupForm),
    'nag.test/login': page('Nag', loginForm()),
    'mybank.test/login': page('My Bank (same company)', loginForm()),
    'bank.test/synthetic': page(
      'Synthetic events',
      loginForm('/welcome'),
      `window.fakeFocus = () => { const u = document.querySelector('[name=email]');
         u.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true })); };
       window.fakeSubmit = () => { const f = document.getElementById('login');
         f.email.value = 'planted@evil.test'; f.password.value = 'planted'; f.requestSubmit(); };`,
    ),
    'big.test/': page(
      'Large page',
      '<div id="big"></div><div id="late"></div>',
      `const big = document.getElementById('big');
       for (let i = 0; i < 500; i++) { const row = document.createElement('div');
         row.innerHTML = '<span>a</span><span>b</span><a href="#">c</a><em>d</em><b>e</b><i>f</i><u>g</u><s>h</s><p>i</p>';
         big.append(row); }
       window.addLogin = () => { document.getElementById('late').innerHTML = ${JSON.stringify(loginForm())}; };`,
    ),
  };
}

export async function startFixtureSites(): Promise<{
  port: number;
  url: (host: string, path?: string) => string;
  close: () => Promise<void>;
}> {
  const react = await reactBundle();
  let table: Record<string, string> = {};
  const server: Server = createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = (req.url ?? '/').split('?')[0]!;
    const html =
      req.method === 'POST' && path === '/welcome'
        ? welcome
        : req.method === 'POST' && path === '/changed'
          ? page('Changed', '<p id="done">Password changed.</p>')
          : (table[`${host}${path}`] ?? (path === '/login' ? page(host, loginForm()) : undefined));
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  table = { ...pages(port, react), ...formPages(port) };
  return {
    port,
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
