// KeePass 2's XML export (KeePass → Export → KeePass XML (2.x)): groups become folders (the
// path below the root, "Work/Servers"), entries become logins; the recycle bin and each entry's
// history are left out. Other string fields become custom fields.

import { XMLParser } from 'fast-xml-parser';
import { msg } from '../i18n-msg.ts';
import type { CustomField } from '../model/item.ts';
import {
  collect,
  compact,
  ImportError,
  type ImportResult,
  loginBody,
  place,
  str,
  totpOf,
} from './import-result.ts';

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as Node[];
const text = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'object'
      ? String((v as Node)['#text'] ?? '')
      : String(v);

const STANDARD = new Set(['Title', 'UserName', 'Password', 'URL', 'Notes', 'otp']);

export const isKeepassXml = (t: string) => /<KeePassFile[\s>]/.test(t.slice(0, 2_000));

export function importKeepassXml(xml: string): ImportResult {
  // KeePass never writes a document type; one in an export can define entities that rewrite
  // values (a URL injected into every entry), so such a file is refused, not expanded.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new ImportError(
      'MALFORMED',
      msg(
        'This XML file declares a document type or entities, which KeePass never writes: Cofre does not read it.',
      ),
    );
  let doc: Node;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      trimValues: false,
      // Only XML's five predefined entities (&amp; &lt; …), never declared ones.
      processEntities: true,
      htmlEntities: false,
    }).parse(xml) as Node;
  } catch (cause) {
    throw new ImportError('MALFORMED', msg('The KeePass XML file is malformed.'), { cause });
  }
  const root = (doc.KeePassFile as Node | undefined)?.Root as Node | undefined;
  if (!root) throw new ImportError('MALFORMED', msg('This is not a KeePass 2 XML export.'));
  const meta = (doc.KeePassFile as Node).Meta as Node | undefined;
  const recycleBin = text(meta?.RecycleBinUUID);
  const candidates: Parameters<typeof collect>[1] = [];

  const walk = (group: Node, path: string[], top: boolean) => {
    if (recycleBin && text(group.UUID) === recycleBin) return;
    const name = text(group.Name);
    // The root group (the database's name) is not a folder of its own.
    const here = top ? path : [...path, name];
    for (const entry of list(group.Entry)) {
      const strings = new Map(list(entry.String).map((s) => [text(s.Key), text(s.Value)]));
      const title = str(strings.get('Title'));
      const extra: CustomField[] = [...strings]
        .filter(([k, v]) => !STANDARD.has(k) && v !== '')
        .map(([k, v]) => ({
          name: k,
          value: v,
          type: list(entry.String).some(
            (s) =>
              text(s.Key) === k && (s.Value as Node | undefined)?.['@ProtectInMemory'] === 'True',
          )
            ? ('hidden' as const)
            : ('text' as const),
        }));
      const { totp: otp, extra: badOtp } = totpOf(str(strings.get('otp')));
      if (badOtp) extra.push(badOtp.field);
      candidates.push({
        where: place('entry', candidates.length + 1, title),
        item: {
          folder: here.length ? here.join('/') : null,
          body: compact({
            ...loginBody({
              name: title,
              url: str(strings.get('URL')),
              username: str(strings.get('UserName')),
              password: strings.get('Password') || undefined,
              notes: strings.get('Notes') || undefined,
              totp: otp,
            }),
            fields: extra.length ? extra : undefined,
          }),
          ...(badOtp ? { leftOut: [badOtp.note] } : {}),
        },
      });
    }
    for (const child of list(group.Group)) walk(child, here, false);
  };
  for (const group of list(root.Group)) walk(group, [], true);
  return collect('keepass-xml', candidates);
}
