// Finds the login, signup, change-password, username-only, password-only and one-time-code
// forms in a document or an open shadow root, with or without a <form>. Pure DOM reading: it
// never changes the page.
//
//   passwords in a group                  | group kind       | fillable fields
//   0, a username-like field              | username-only    | username
//   0, a one-time-code field              | otp              | otp
//   1 (current)                           | login            | username?, password
//   1 autocomplete=new-password           | signup           | newPassword (a generated one)
//   2 with current + new, or 3+           | change-password  | password (current), newPassword + confirm
//   2 otherwise                           | signup           | newPassword + confirm (generated)

export type GroupKind = 'login' | 'username-only' | 'otp' | 'signup' | 'change-password';

export interface FieldGroup {
  kind: GroupKind;
  /** The element the fields share: a <form>, or the root for form-less fields. */
  container: Element | Document | ShadowRoot;
  username: HTMLInputElement | null;
  password: HTMLInputElement | null;
  newPassword: HTMLInputElement | null;
  /** The field repeating the new password, if the form has one. */
  confirm: HTMLInputElement | null;
  otp: HTMLInputElement | null;
}

export type FieldRole = 'username' | 'password' | 'newPassword' | 'otp';

const TEXTLIKE = new Set(['text', 'email', 'tel', 'number', '']);
const USERNAME_HINT =
  /user|e-?mail|login|account|ident|member|customer|nick|handle|usuario|correo/i;
const OTP_HINT =
  /one[-_ ]?time|otp|totp|2fa|mfa|two[-_ ]?factor|verif\w*[-_ ]?code|auth\w*[-_ ]?code|security[-_ ]?code|^code$|token/i;
const SEARCH_HINT = /search|query|coupon|promo|captcha|newsletter|subscribe/i;

const hints = (el: HTMLInputElement) =>
  [el.name, el.id, el.getAttribute('placeholder'), el.getAttribute('aria-label'), el.className]
    .filter(Boolean)
    .join(' ');

const autocomplete = (el: HTMLInputElement) =>
  (el.getAttribute('autocomplete') ?? '').toLowerCase();

/** Can a person see and type into it? (Hidden honeypots and off-screen fields do not count.) */
export function isUsable(el: HTMLInputElement): boolean {
  if (el.disabled || el.readOnly || el.type === 'hidden') return false;
  if (!el.isConnected) return false;
  if (
    typeof el.checkVisibility === 'function' &&
    !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
  )
    return false;
  const r = el.getBoundingClientRect();
  return r.width >= 2 && r.height >= 2;
}

export function isPasswordField(el: HTMLInputElement): boolean {
  const ac = autocomplete(el);
  return el.type === 'password' || ac.includes('current-password') || ac.includes('new-password');
}

export function isOtpField(el: HTMLInputElement): boolean {
  if (el.type === 'password' && !autocomplete(el).includes('one-time-code')) return false;
  if (autocomplete(el).includes('one-time-code')) return true;
  if (!TEXTLIKE.has(el.type) && el.type !== 'password') return false;
  return OTP_HINT.test(hints(el)) && !USERNAME_HINT.test(el.name || el.id);
}

function isUsernameField(el: HTMLInputElement): boolean {
  if (!TEXTLIKE.has(el.type)) return false;
  const ac = autocomplete(el);
  if (ac.includes('username') || ac.includes('email')) return true;
  if (ac === 'off' && !USERNAME_HINT.test(hints(el))) return false;
  if (SEARCH_HINT.test(hints(el)) || el.type === 'number') return false;
  return el.type === 'email' || USERNAME_HINT.test(hints(el));
}

/** Elements under `root` that carry an open shadow root (one walk over the subtree). */
export function shadowHosts(root: ParentNode): Element[] {
  const hosts: Element[] = [];
  const start = root as Node;
  const doc = start.ownerDocument ?? (start as Document);
  const walker = doc.createTreeWalker(start, NodeFilter.SHOW_ELEMENT);
  if (start instanceof Element && start.shadowRoot) hosts.push(start);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if ((n as Element).shadowRoot) hosts.push(n as Element);
  }
  return hosts;
}

/** The form an input belongs to, or else its root (document or shadow root). */
const containerOf = (el: HTMLInputElement): Element | Document | ShadowRoot =>
  el.form ?? (el.getRootNode() as Document | ShadowRoot);

/** Groups the usable inputs by container and classifies each group. */
export function detectGroups(inputs: Iterable<HTMLInputElement>): FieldGroup[] {
  const byContainer = new Map<Element | Document | ShadowRoot, HTMLInputElement[]>();
  for (const el of inputs) {
    if (!isUsable(el)) continue;
    const c = containerOf(el);
    const list = byContainer.get(c);
    if (list) list.push(el);
    else byContainer.set(c, [el]);
  }
  const groups: FieldGroup[] = [];
  for (const [container, els] of byContainer) {
    const g = classify(container, els);
    if (g) groups.push(g);
  }
  return groups;
}

function classify(container: FieldGroup['container'], els: HTMLInputElement[]): FieldGroup | null {
  const otp = els.find(isOtpField) ?? null;
  const passwords = els.filter((e) => isPasswordField(e) && e !== otp);
  const group = (kind: GroupKind, fields: Partial<FieldGroup>): FieldGroup => ({
    kind,
    container,
    username: null,
    password: null,
    newPassword: null,
    confirm: null,
    otp: null,
    ...fields,
  });
  if (passwords.length === 0) {
    if (otp) return group('otp', { otp });
    const username = els.find(isUsernameField) ?? null;
    return username ? group('username-only', { username }) : null;
  }
  const first = passwords[0]!;
  const before = els.slice(0, els.indexOf(first)).filter((e) => e !== otp);
  const username =
    before.filter(isUsernameField).at(-1) ??
    before.filter((e) => TEXTLIKE.has(e.type) && !SEARCH_HINT.test(hints(e))).at(-1) ??
    null;
  const isNew = (e: HTMLInputElement) => autocomplete(e).includes('new-password');
  if (passwords.length === 1)
    return isNew(first)
      ? group('signup', { username, newPassword: first })
      : group('login', { username, password: first, otp });
  const current = passwords.find((e) => autocomplete(e).includes('current-password'));
  if (passwords.length >= 3 || (current && passwords.some(isNew))) {
    const cur = current ?? first;
    const [next, again] = passwords.filter((e) => e !== cur);
    return group('change-password', {
      username,
      password: cur,
      newPassword: next ?? null,
      confirm: again ?? null,
    });
  }
  return group('signup', { username, newPassword: first, confirm: passwords[1] ?? null });
}

/** The role an input plays in its group, if any. */
export function roleIn(group: FieldGroup, el: HTMLInputElement): FieldRole | null {
  if (group.username === el) return 'username';
  if (group.password === el) return 'password';
  if (group.otp === el) return 'otp';
  if (group.newPassword === el || group.confirm === el) return 'newPassword';
  return null;
}
