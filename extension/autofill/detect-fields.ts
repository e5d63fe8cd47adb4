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

//   card fields (cc-number, or two card fields) | card       | the card's number, name, expiry, code
//   3+ address fields (or 2 named by autocomplete) | address | the identity's name, address, contact
//
// Fields are grouped by their <form> — found across shadow boundaries, so a design system's
// fields inside a form are in it — and form-less fields by their document; a group's fields are
// in the order a person meets them (flat-tree order), whatever shadow roots they live in.

import {
  type AddressToken,
  type AutofillToken,
  addressTokenOf,
  type CardToken,
  cardTokenOf,
  sectionOf,
} from './detect-payment.ts';
import {
  attrHints,
  autocompleteTokens,
  type Fieldish,
  fieldWords,
  labelText,
} from './field-text.ts';
import { flatClosest, flatParent, isUsable, shadowRootOf } from './field-visibility.ts';

export { isUsable } from './field-visibility.ts';

export type GroupKind =
  | 'login'
  | 'username-only'
  | 'otp'
  | 'signup'
  | 'change-password'
  | 'card'
  | 'address';

export interface FieldGroup {
  kind: GroupKind;
  /** The element the fields share: a <form>, or the document for form-less fields. */
  container: Element | Document;
  username: HTMLInputElement | null;
  password: HTMLInputElement | null;
  newPassword: HTMLInputElement | null;
  /** The field repeating the new password, if the form has one. */
  confirm: HTMLInputElement | null;
  otp: HTMLInputElement | null;
  /** A code split over one-character inputs, in order (one digit each). */
  otpDigits: HTMLInputElement[];
  /** Card and address groups: each field with the token it stands for. */
  fields: Array<{ el: Fieldish; token: AutofillToken }>;
}

export type FieldRole = 'username' | 'password' | 'newPassword' | 'otp' | 'card' | 'identity';

const TEXTLIKE = new Set(['text', 'email', 'tel', 'number', '']);
const USERNAME_HINT =
  /user|e-?mail|login|account|ident|member|customer|nick|handle|usuario|correo/i;
const OTP_HINT =
  /one[-_ ]?time|otp|totp|2fa|mfa|two[-_ ]?factor|verif\w*[-_ ]?code|auth\w*[-_ ]?code|security[-_ ]?code|^code$|token/i;
/** One-time-code words in the label a person reads (every language Cofre ships: en, es). */
const OTP_LABEL =
  /verification code|one[- ]time (pass)?code|authenticat\w* code|security code|login code|sign[- ]in code|2fa|two[- ]factor|two[- ]step|6[- ]digit code|security key|authenticator|c[oó]digo (de )?(verificaci[oó]n|seguridad|acceso|un solo uso|autenticaci[oó]n|de 6 d[ií]gitos)|verificaci[oó]n en dos pasos|doble factor|llave de seguridad/i;
const SEARCH_HINT = /search|query|coupon|promo|captcha|newsletter|subscribe|buscar|b[uú]squeda/i;
/** A username-like field that is not the current username: a new or repeated address. */
const NEW_HINT =
  /\bnew|new[-_]?(e-?mail|user)|confirm|repeat|again|verify[-_ ]?e-?mail|nuev[oa]|confirma|repite|repetir/i;
/** Forms that take an email to send news, not to sign in. */
const NEWSLETTER =
  /newsletter|subscribe|subscription|mailing[- ]list|sign up for (our )?(news|updates|emails)|get (our )?(news|updates|deals)|suscr[ií]b|bolet[ií]n|novedades|ofertas/i;

const hints = attrHints;
const autocomplete = (el: HTMLInputElement) =>
  (el.getAttribute('autocomplete') ?? '').toLowerCase();

export function isPasswordField(el: HTMLInputElement): boolean {
  const ac = autocomplete(el);
  return el.type === 'password' || ac.includes('current-password') || ac.includes('new-password');
}

/** A one-time-code field: by autocomplete, by its attributes, or by the label a person reads. */
export function isOtpField(el: HTMLInputElement): boolean {
  const ac = autocomplete(el);
  if (ac.includes('one-time-code')) return true;
  if (ac.includes('current-password') || ac.includes('new-password')) return false;
  if (!TEXTLIKE.has(el.type) && el.type !== 'password') return false;
  if (USERNAME_HINT.test(el.name || el.id)) return false;
  const own = hints(el);
  // A password-type field is a code only when its own attributes or label say so clearly
  // (a hardware-key code); "password" in them means it is the account password.
  if (el.type === 'password' && /pass(word)?|contrase/i.test(`${el.name} ${el.id}`)) return false;
  return OTP_HINT.test(own) || OTP_LABEL.test(labelText(el));
}

function isUsernameField(el: HTMLInputElement): boolean {
  if (!TEXTLIKE.has(el.type)) return false;
  const ac = autocomplete(el);
  const words = fieldWords(el);
  if (NEW_HINT.test(words) && !ac.includes('username')) return false;
  if (ac.includes('username') || ac.includes('email')) return true;
  if (ac === 'off' && !USERNAME_HINT.test(words)) return false;
  if (SEARCH_HINT.test(hints(el)) || el.type === 'number') return false;
  return el.type === 'email' || USERNAME_HINT.test(words);
}

/** One character a box: the inputs of a code split into digits. */
const isDigitBox = (el: HTMLInputElement) =>
  (TEXTLIKE.has(el.type) || el.type === 'password') && el.maxLength === 1;

/** Elements under `root` that carry a shadow root we can reach (one walk over the subtree). */
export function shadowHosts(root: ParentNode): Element[] {
  const hosts: Element[] = [];
  const start = root as Node;
  const doc = start.ownerDocument ?? (start as Document);
  const walker = doc.createTreeWalker(start, NodeFilter.SHOW_ELEMENT);
  if (start instanceof Element && shadowRootOf(start)) hosts.push(start);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (shadowRootOf(n as Element)) hosts.push(n as Element);
  }
  return hosts;
}

/** The form an input belongs to (across shadow boundaries), or else its document. */
export const containerOf = (el: Element): Element | Document =>
  (el as HTMLInputElement).form ?? flatClosest(el, 'form') ?? el.ownerDocument;

/** The chain of a node and the shadow hosts above it, outermost first. */
function hostChain(el: Element): Element[] {
  const chain = [el];
  for (let root = el.getRootNode(); root instanceof ShadowRoot; root = root.host.getRootNode())
    chain.unshift(root.host);
  return chain;
}

/** Orders fields as a person meets them: document order in the flat tree. */
export function flatOrder(a: Element, b: Element): number {
  if (a === b) return 0;
  const ca = hostChain(a);
  const cb = hostChain(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const pos = x.compareDocumentPosition(y);
    return pos & Node.DOCUMENT_POSITION_FOLLOWING
      ? -1
      : pos & Node.DOCUMENT_POSITION_PRECEDING
        ? 1
        : 0;
  }
  return ca.length - cb.length;
}

/** Groups the usable fields by container and classifies each group. */
export function detectGroups(inputs: Iterable<Fieldish>): FieldGroup[] {
  const byContainer = new Map<Element | Document, Fieldish[]>();
  for (const el of inputs) {
    if (!isUsable(el)) continue;
    const c = containerOf(el);
    const list = byContainer.get(c);
    if (list) list.push(el);
    else byContainer.set(c, [el]);
  }
  const groups: FieldGroup[] = [];
  for (const [container, els] of byContainer) {
    els.sort(flatOrder);
    groups.push(...classify(container, els));
  }
  return groups;
}

const emptyGroup = (kind: GroupKind, container: FieldGroup['container']): FieldGroup => ({
  kind,
  container,
  username: null,
  password: null,
  newPassword: null,
  confirm: null,
  otp: null,
  otpDigits: [],
  fields: [],
});

/** The card groups and address groups (one per autocomplete section) among `els`. */
function paymentGroups(container: FieldGroup['container'], els: Fieldish[], hasPassword: boolean) {
  const cards: Array<{ el: Fieldish; token: CardToken }> = [];
  const addresses = new Map<string, Array<{ el: Fieldish; token: AddressToken }>>();
  for (const el of els) {
    const card = cardTokenOf(el);
    if (card) {
      cards.push({ el, token: card });
      continue;
    }
    const address = addressTokenOf(el);
    if (!address) continue;
    const section = sectionOf(el);
    const list = addresses.get(section) ?? [];
    list.push({ el, token: address });
    addresses.set(section, list);
  }
  const out: FieldGroup[] = [];
  const explicitCard = (el: Fieldish) => autocompleteTokens(el).some((t) => t.startsWith('cc-'));
  if (
    cards.some((c) => c.token === 'cc-number') ||
    cards.length >= 2 ||
    cards.some((c) => explicitCard(c.el))
  )
    out.push({ ...emptyGroup('card', container), fields: cards });
  // Fields with no section (an email after a "shipping" block) join the one section there is.
  const loose = addresses.get('');
  const sections = [...addresses.keys()].filter((k) => k !== '');
  if (loose && sections.length === 1) {
    const into = addresses.get(sections[0]!)!;
    into.push(...loose);
    into.sort((a, b) => flatOrder(a.el, b.el));
    addresses.delete('');
  }
  for (const list of addresses.values()) {
    // A lone email or name is a login's or a newsletter's; an address has a few fields. In a
    // form with a password, email stays the login's username.
    const fields = hasPassword ? list.filter((f) => f.token !== 'email') : list;
    const explicit = fields.filter((f) => autocompleteTokens(f.el).length > 0).length;
    if (fields.length >= 3 || explicit >= 2)
      out.push({ ...emptyGroup('address', container), fields });
  }
  return out;
}

function classify(container: FieldGroup['container'], all: Fieldish[]): FieldGroup[] {
  const inputs = all.filter((e): e is HTMLInputElement => e instanceof HTMLInputElement);
  const hasPassword = inputs.some((e) => isPasswordField(e) && !isOtpField(e));
  const payment = paymentGroups(container, all, hasPassword);
  const taken = new Set(payment.flatMap((g) => g.fields.map((f) => f.el)));
  const els = inputs.filter((e) => !taken.has(e));
  const login = classifyLogin(container, els, payment.length > 0);
  return login ? [login, ...payment] : payment;
}

function classifyLogin(
  container: FieldGroup['container'],
  els: HTMLInputElement[],
  hasPayment: boolean,
): FieldGroup | null {
  const group = (kind: GroupKind, fields: Partial<FieldGroup>): FieldGroup => ({
    ...emptyGroup(kind, container),
    ...fields,
  });
  const digits = splitCode(els);
  if (digits.length) {
    const rest = els.filter((e) => !digits.includes(e));
    if (!rest.some(isPasswordField)) return group('otp', { otp: digits[0]!, otpDigits: digits });
  }
  const otp = els.find(isOtpField) ?? null;
  const passwords = els.filter((e) => isPasswordField(e) && e !== otp);
  if (passwords.length === 0) {
    if (otp) return group('otp', { otp });
    const username = els.find(isUsernameField) ?? null;
    if (!username || hasPayment || isNewsletter(container, username)) return null;
    return group('username-only', { username });
  }
  const first = passwords[0]!;
  const before = els.slice(0, els.indexOf(first)).filter((e) => e !== otp);
  const fallback = before.filter(
    (e) => TEXTLIKE.has(e.type) && !SEARCH_HINT.test(hints(e)) && !NEW_HINT.test(fieldWords(e)),
  );
  const username = before.filter(isUsernameField).at(-1) ?? fallback.at(-1) ?? null;
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

/** Four to ten consecutive one-character boxes: a code typed one digit per box. */
function splitCode(els: HTMLInputElement[]): HTMLInputElement[] {
  let run: HTMLInputElement[] = [];
  for (const el of els) {
    if (isDigitBox(el)) run.push(el);
    else if (run.length >= 4) break;
    else run = [];
  }
  return run.length >= 4 && run.length <= 10 ? run : [];
}

/** A lone email field in a form that says it sends news, not a sign-in. */
function isNewsletter(container: FieldGroup['container'], field: HTMLInputElement): boolean {
  if (autocomplete(field).includes('username')) return false;
  const form = container instanceof Element ? container : null;
  const words = [
    hints(field),
    labelText(field),
    form ? `${form.id} ${form.className} ${form.getAttribute('action') ?? ''}` : '',
  ];
  const scope = form ?? flatParent(field)?.parentElement ?? null;
  if (scope) {
    for (const b of scope.querySelectorAll('button, input[type=submit], [role=button]'))
      words.push(b.textContent ?? '', (b as HTMLInputElement).value ?? '');
    const text = scope.textContent ?? '';
    if (text.length < 600) words.push(text);
  }
  return NEWSLETTER.test(words.join(' '));
}

/** The role an input plays in its group, if any. */
export function roleIn(group: FieldGroup, el: Fieldish): FieldRole | null {
  if (group.kind === 'card' || group.kind === 'address')
    return group.fields.some((f) => f.el === el)
      ? group.kind === 'card'
        ? 'card'
        : 'identity'
      : null;
  if (group.username === el) return 'username';
  if (group.password === el) return 'password';
  if (group.otp === el || group.otpDigits.includes(el as HTMLInputElement)) return 'otp';
  if (group.newPassword === el || group.confirm === el) return 'newPassword';
  return null;
}
