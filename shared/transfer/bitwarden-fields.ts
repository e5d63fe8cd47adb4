// Bitwarden's custom fields: type 0 text, 1 hidden, 2 boolean, 3 linked (with a `linkedId`
// naming a built-in field of the item: Bitwarden's LinkedIdType enum — bitwarden/clients
// libs/common/src/vault/enums/linked-id-type.enum.ts).
import { said } from '../i18n-msg.ts';
import type { CustomField } from '../model/item.ts';

const LINKED: Record<number, string> = {
  100: 'username',
  101: 'password',
  300: 'cardholderName',
  301: 'expMonth',
  302: 'expYear',
  303: 'code',
  304: 'brand',
  305: 'number',
  400: 'title',
  401: 'middleName',
  402: 'address1',
  403: 'address2',
  404: 'address3',
  405: 'city',
  406: 'state',
  407: 'postalCode',
  408: 'country',
  409: 'company',
  410: 'email',
  411: 'phone',
  412: 'ssn',
  413: 'username',
  414: 'passportNumber',
  415: 'licenseNumber',
  416: 'firstName',
  417: 'lastName',
};
const KINDS = ['text', 'hidden', 'boolean', 'linked'] as const;

/** One Bitwarden field as Cofre's, or the reason it cannot be kept. */
export function fromBitwardenField(f: Record<string, unknown>): CustomField | { leftOut: string } {
  const name = String(f.name ?? '');
  const kind = KINDS[typeof f.type === 'number' ? f.type : 0] ?? 'text';
  if (kind === 'linked') {
    const target = LINKED[Number(f.linkedId)];
    // 418 (an identity's full name) has no single field to stand for.
    if (!target)
      return {
        leftOut: said('the linked field "{field}" (Bitwarden link {link})', {
          field: name,
          link: String(f.linkedId),
        }),
      };
    return { name, value: target, type: 'linked' };
  }
  const value = f.value === null || f.value === undefined ? '' : String(f.value);
  if (kind === 'boolean')
    return { name, value: value.toLowerCase() === 'true' ? 'true' : 'false', type: 'boolean' };
  return { name, value, type: kind };
}

/** Cofre's field in Bitwarden's shape (linked fields by Bitwarden's id for that item type). */
export function toBitwardenField(f: CustomField, itemType: string) {
  if (f.type === 'linked') {
    const base = itemType === 'identity' ? 400 : itemType === 'card' ? 300 : 100;
    const id = Object.entries(LINKED).find(
      ([k, v]) => v === f.value && Number(k) >= base && Number(k) < base + 100,
    )?.[0];
    return { name: f.name, value: null, type: 3, linkedId: id ? Number(id) : null };
  }
  return { name: f.name, value: f.value, type: KINDS.indexOf(f.type), linkedId: null };
}
