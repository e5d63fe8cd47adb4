// The Spanish catalog against the code: every message the UI can show (a literal in t() or
// msg() anywhere in the extension) has a translation, every translation is used, none is left
// in English, and every one is valid ICU MessageFormat with the same arguments as its English.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { es } from './i18n-es.ts';

const roots = ['..', '../../shared'].map((r) => fileURLToPath(new URL(r, import.meta.url)));
/** Words that are the same in both languages. */
const SAME = new Set([
  // Spanish spells these the same.
  'Personal',
  'Editor',
  'Cofre',
  'TOTP',
  'PIN',
  'Passkey',
  'English',
  'Español',
  'OK',
  'Total',
  'Regex',
  'No',
  '{file} — {where}',
]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return files(p);
    return /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !/^i18n-(es|catalog)/.test(f)
      ? [p]
      : [];
  });
}

const CALL = /\b(?:t|msg|said)\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1\s*[,)]/g;
const TEMPLATE = /\b(?:t|msg|said)\(\s*`/g;

function used(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of roots.flatMap(files)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      const s = m[2]!.replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n');
      out.set(s, file);
    }
    if (TEMPLATE.test(text)) out.set(`<template literal in ${file}>`, file);
  }
  return out;
}

function args(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const e of elements) {
    if (
      e.type === TYPE.argument ||
      e.type === TYPE.number ||
      e.type === TYPE.date ||
      e.type === TYPE.time
    )
      into.add(e.value);
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.add(e.value);
      for (const o of Object.values(e.options)) args(o.value, into);
    }
    if (e.type === TYPE.tag) args(e.children, into);
  }
  return into;
}

describe('the Spanish catalog', () => {
  const messages = used();

  it('should translate every message the extension shows', () => {
    const missing = [...messages].filter(([s]) => !(s in es)).map(([s, f]) => `${f}: ${s}`);
    expect(missing).toEqual([]);
  });

  it('should fill only simple arguments in said() (a UI reads them back; plurals it cannot)', () => {
    const SAID = /\bsaid\(\s*(['"])((?:\\.|(?!\1)[^\\])*)\1/g;
    const complex = roots
      .flatMap(files)
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(SAID)].map((m) => m[2]!))
      .filter((t) => /\{\w+\s*,/.test(t));
    expect(complex).toEqual([]);
  });

  it('should hold no translation that no code uses', () => {
    expect(Object.keys(es).filter((k) => !messages.has(k))).toEqual([]);
  });

  it('should leave nothing in English', () => {
    expect(
      Object.entries(es)
        .filter(([k, v]) => k === v && !SAME.has(k))
        .map(([k]) => k),
    ).toEqual([]);
  });

  it('should be valid ICU MessageFormat with the same arguments in both languages', () => {
    const bad: string[] = [];
    for (const [en, tr] of Object.entries(es)) {
      try {
        const a = [...args(parse(en, { ignoreTag: true }))].sort().join();
        const b = [...args(parse(tr, { ignoreTag: true }))].sort().join();
        if (a !== b) bad.push(`${en} → ${tr}: {${a}} vs {${b}}`);
      } catch (e) {
        bad.push(`${en}: ${(e as Error).message}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
