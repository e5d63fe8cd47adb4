// Payment-card and address fields: which autofill token each field stands for. The page's own
// `autocomplete` tokens (HTML's autofill field names) win; otherwise the field's attributes and
// label text are matched against words in English and Spanish. Pure DOM reading.
//
//   card      cc-name cc-given-name cc-family-name cc-number cc-exp cc-exp-month cc-exp-year
//             cc-csc cc-type
//   address   name given-name additional-name family-name honorific-prefix organization email
//             tel street-address address-line1 address-line2 address-line3 address-level2 (city)
//             address-level1 (region) postal-code country country-name

import { attrHints, autocompleteTokens, type Fieldish, fieldWords } from './field-text.ts';

export const CARD_TOKENS = [
  'cc-name',
  'cc-given-name',
  'cc-family-name',
  'cc-number',
  'cc-exp',
  'cc-exp-month',
  'cc-exp-year',
  'cc-csc',
  'cc-type',
] as const;
export type CardToken = (typeof CARD_TOKENS)[number];

export const ADDRESS_TOKENS = [
  'name',
  'given-name',
  'additional-name',
  'family-name',
  'honorific-prefix',
  'organization',
  'email',
  'tel',
  'tel-national',
  'street-address',
  'address-line1',
  'address-line2',
  'address-line3',
  'address-level2',
  'address-level1',
  'postal-code',
  'country',
  'country-name',
] as const;
export type AddressToken = (typeof ADDRESS_TOKENS)[number];
export type AutofillToken = CardToken | AddressToken;

const CARD_SET = new Set<string>(CARD_TOKENS);
const ADDRESS_SET = new Set<string>(ADDRESS_TOKENS);

// Word patterns, tested in this order (the first that matches names the field). Written for
// the words sites use in English and Spanish, in attributes (cc_number, cardNumber) and labels.
const CARD_WORDS: Array<[CardToken, RegExp]> = [
  [
    'cc-csc',
    /\b(cvc|cvv2?|csc|cvn)\b|cvc|cvv|security.?code|card.?code|c[oó]digo.?de.?seguridad|card.?verification/i,
  ],
  [
    'cc-exp-month',
    /exp\w*.?(month|mm)\b|cc.?exp.?month|card.?month|mes.?de.?(caducidad|vencimiento)|\bexp.?mm\b/i,
  ],
  [
    'cc-exp-year',
    /exp\w*.?(year|yy)|cc.?exp.?year|card.?year|a[nñ]o.?de.?(caducidad|vencimiento)|\bexp.?yy/i,
  ],
  [
    'cc-exp',
    /expir|exp.?date|\bexp\b|cc.?exp|mm.?\/.?yy|valid.?(thru|through|until)|caducidad|vencimiento|v[aá]lida.?hasta/i,
  ],
  [
    'cc-name',
    /name.?on.?card|card.?holder|cardholder|holder.?name|cc.?name|card.?name|nombre.?(en.?la.?tarjeta|del.?titular|que.?aparece)|titular/i,
  ],
  [
    'cc-number',
    /card.?(number|no\b|num)|cc.?(number|num|no\b)|credit.?card|debit.?card|cardnumber|n[uú]mero.?de.?(la.?)?tarjeta|\btarjeta\b|pan\b/i,
  ],
];

const ADDRESS_WORDS: Array<[AddressToken, RegExp]> = [
  ['email', /e-?mail|correo/i],
  ['tel', /phone|\btel\b|tel[eé]fono|mobile|m[oó]vil|celular/i],
  ['organization', /company|organi[sz]ation|empresa|compa[nñ][ií]a|business.?name/i],
  [
    'address-line2',
    /address.?(line)?.?2|addr.?2|apartment|\bapt\b|suite|\bunit\b|piso|puerta|departamento|line.?2/i,
  ],
  ['address-line3', /address.?(line)?.?3|addr.?3|line.?3/i],
  ['postal-code', /zip|postal|post.?code|postcode|c[oó]digo.?postal|\bc\.?p\.?\b/i],
  ['address-level2', /city|town|suburb|ciudad|localidad|municipio|poblaci[oó]n/i],
  ['address-level1', /state|province|region|county|provincia|estado|regi[oó]n|comunidad/i],
  ['country', /country|pa[ií]s/i],
  ['address-line1', /address|street|addr.?1|direcci[oó]n|calle|domicilio|line.?1/i],
  ['family-name', /last.?name|surname|family.?name|\blname\b|apellido/i],
  ['additional-name', /middle.?name|segundo.?nombre/i],
  [
    'given-name',
    /first.?name|given.?name|forename|\bfname\b|^\s*nombre\b(?!.*(usuario|completo))/i,
  ],
  ['honorific-prefix', /\btitle\b|salutation|honorific|tratamiento/i],
  ['name', /full.?name|your.?name|\bname\b|nombre.?completo|nombre/i],
];

/** Words that say a field is not about the person or card at all. */
const NOT_ADDRESS = /search|query|coupon|promo|captcha|user.?name|login|password|contrase/i;

/** The card token a field stands for, or null. */
export function cardTokenOf(el: Fieldish): CardToken | null {
  const ac = autocompleteTokens(el);
  const named = ac.find((t) => CARD_SET.has(t));
  if (named) return named as CardToken;
  if (ac.some((t) => ADDRESS_SET.has(t) || t === 'username' || t.endsWith('password'))) return null;
  if (
    el instanceof HTMLInputElement &&
    !['text', 'tel', 'number', '', 'password'].includes(el.type)
  )
    return null;
  const words = fieldWords(el);
  for (const [token, re] of CARD_WORDS) if (re.test(words)) return token;
  return null;
}

/** The address token a field stands for, or null. */
export function addressTokenOf(el: Fieldish): AddressToken | null {
  const ac = autocompleteTokens(el);
  const named = ac.find((t) => ADDRESS_SET.has(t));
  if (named)
    return named === 'street-address' && el.localName === 'input'
      ? 'address-line1'
      : (named as AddressToken);
  if (ac.some((t) => CARD_SET.has(t) || t === 'username' || t.endsWith('password'))) return null;
  if (el instanceof HTMLInputElement) {
    if (el.type === 'email') return 'email';
    if (el.type === 'tel') return 'tel';
    if (!['text', 'number', ''].includes(el.type)) return null;
  }
  const attrs = attrHints(el);
  if (NOT_ADDRESS.test(attrs)) return null;
  const words = fieldWords(el);
  if (NOT_ADDRESS.test(words)) return null;
  for (const [token, re] of ADDRESS_WORDS) if (re.test(words)) return token;
  return null;
}

/** The autocomplete section a field is in (`section-*` plus shipping/billing), or ''. */
export function sectionOf(el: Fieldish): string {
  return autocompleteTokens(el)
    .filter((t) => t.startsWith('section-') || t === 'shipping' || t === 'billing')
    .join(' ');
}
