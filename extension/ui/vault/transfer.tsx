// Import & export. Import: pick a file (the format is recognised), see what it holds (counts by
// type, duplicates of items already here, what is left out and why), then import in chunks with
// a progress bar and a report. Export: password-protected Cofre JSON, or plain Bitwarden JSON /
// CSV after an explicit warning. The file never leaves the page except as the download.
import { type FormEvent, useState } from 'react';
import { sealCofreExport } from '../../../shared/transfer/cofre-export.ts';
import { toCxf } from '../../../shared/transfer/cxf.ts';
import { toBitwardenJson, toCsv } from '../../../shared/transfer/export-items.ts';
import type { ImportFormat, ImportResult } from '../../../shared/transfer/import-result.ts';
import { FORMAT_NAMES, parseImport } from '../../../shared/transfer/parse-import.ts';
import { call, messageOf } from '../api.ts';
import { msg, TYPE_NAME, useT } from '../i18n.ts';

const CHUNK = 500;

interface ImportReport {
  imported: number;
  duplicates: number;
  newFolders: number;
  /** Left out by the file's parser or by the vault's checks. */
  skipped: number;
}

interface Preview {
  result: ImportResult;
  duplicates: number;
  invalid: Array<{ where: string; reason: string }>;
}

export function Transfer({ onImported }: { onImported: () => void }) {
  const t = useT();
  return (
    <section className="panel transfer" aria-label={t('Import and export')}>
      <h2>{t('Import and export')}</h2>
      <ImportForm onImported={onImported} />
      <ExportForm />
    </section>
  );
}

function ImportForm({ onImported }: { onImported: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [skipDuplicates, setSkipDuplicates] = useState(true);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');
  /** An ambiguous file: what each possible format would import (or why it cannot). */
  const [choices, setChoices] = useState<Array<{ format: ImportFormat; what: string }> | null>(
    null,
  );
  const [chosen, setChosen] = useState<ImportFormat | null>(null);

  const read = async (e?: FormEvent, format = chosen) => {
    e?.preventDefault();
    if (!file) return;
    setError('');
    setPreview(null);
    setReport(null);
    try {
      const text = new Uint8Array(await file.arrayBuffer());
      const result = await parseImport(text, {
        ...(password ? { password } : {}),
        ...(format ? { format } : {}),
      });
      setChoices(null);
      setNeedsPassword(false);
      // Duplicates and the vault's own checks, without saving anything.
      let duplicates = 0;
      const invalid: Preview['invalid'] = [];
      for (let i = 0; i < result.items.length; i += CHUNK) {
        const chunk = result.items.slice(i, i + CHUNK);
        const answer = await call({
          type: 'importItems',
          items: chunk,
          skipDuplicates: true,
          dryRun: true,
        });
        duplicates += answer.duplicates.length;
        for (const bad of answer.invalid)
          invalid.push({ where: t('item {n}', { n: i + bad.index + 1 }), reason: bad.reason });
      }
      setPreview({ result, duplicates, invalid });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'PASSWORD_REQUIRED' || code === 'WRONG_PASSWORD') setNeedsPassword(true);
      if (code === 'AMBIGUOUS') {
        // Never guessed: each choice shows what it would import.
        const text = new Uint8Array(await file.arrayBuffer());
        const options = await Promise.all(
          ((err as { candidates?: ImportFormat[] }).candidates ?? []).map(async (format) => {
            try {
              const r = await parseImport(text, { format });
              return { format, what: describe(r, t) };
            } catch (e) {
              return { format, what: t(messageOf(e)) };
            }
          }),
        );
        setChoices(options);
        setChosen(options[0]?.format ?? null);
      }
      setError(t(messageOf(err)));
    }
  };

  const run = async () => {
    if (!preview) return;
    const items = preview.result.items;
    const total: ImportReport = {
      imported: 0,
      duplicates: 0,
      newFolders: 0,
      skipped: preview.result.skipped.length,
    };
    setProgress({ done: 0, total: items.length });
    try {
      for (let i = 0; i < items.length; i += CHUNK) {
        const answer = await call({
          type: 'importItems',
          items: items.slice(i, i + CHUNK),
          skipDuplicates,
        });
        total.imported += answer.imported;
        total.duplicates += answer.duplicates.length;
        total.newFolders += answer.newFolders;
        total.skipped += answer.invalid.length;
        setProgress({ done: Math.min(items.length, i + CHUNK), total: items.length });
      }
      setReport(total);
      setPreview(null);
      onImported();
    } catch (err) {
      setError(t(messageOf(err)));
    } finally {
      setProgress(null);
    }
  };

  const counts = preview
    ? preview.result.items.reduce<Record<string, number>>((acc, i) => {
        const type = String(i.body.type);
        acc[type] = (acc[type] ?? 0) + 1;
        return acc;
      }, {})
    : {};
  const skippedAll = preview ? [...preview.result.skipped, ...preview.invalid] : [];
  const partial = preview?.result.partial ?? [];

  return (
    <form className="card-form" aria-label={t('Import')} onSubmit={read}>
      <h3>{t('Import')}</h3>
      <p className="muted small">
        {t(
          'From Bitwarden (JSON, also password-protected, or CSV), 1Password (1PUX, or CSV of 1Password 7 or 8), LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePassXC, Apple Passwords or Safari, Chrome, Edge, Brave, Opera, Vivaldi (their exports are Chrome’s) or Firefox (CSV), KeePass 2 (XML), a Credential Exchange (CXF) file, or a Cofre export. The file is read here; only the items go into your vault.',
        )}
      </p>
      <input
        type="file"
        name="import-file"
        aria-label={t('File to import')}
        accept=".json,.csv,.xml,.1pux,.zip,application/json,text/csv,text/xml,application/zip"
        onChange={(e) => {
          setFile(e.target.files?.[0] ?? null);
          setChoices(null);
          setChosen(null);
          setPreview(null);
          setReport(null);
          setError('');
        }}
      />
      {needsPassword && (
        <input
          type="password"
          name="import-password"
          autoComplete="off"
          placeholder={t('Password of the export file')}
          aria-label={t('Password of the export file')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      )}
      <button type="submit" disabled={!file || progress !== null}>
        {t('Read file')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {choices && (
        <fieldset className="format-choice">
          <legend>{t('Which manager made this file?')}</legend>
          {choices.map((c) => (
            <label key={c.format} className="inline">
              <input
                type="radio"
                name="import-format"
                value={c.format}
                checked={chosen === c.format}
                onChange={() => setChosen(c.format)}
              />{' '}
              <strong>{FORMAT_NAMES[c.format]}</strong> — {c.what}
            </label>
          ))}
          <button type="button" disabled={!chosen} onClick={() => void read(undefined, chosen)}>
            {t('Read it as this one')}
          </button>
        </fieldset>
      )}
      {preview && (
        <section className="import-preview" aria-label={t('Import preview')}>
          <p>
            <strong>{FORMAT_NAMES[preview.result.format]}</strong>:{' '}
            {t('{n, plural, one {# item} other {# items}} to import', {
              n: preview.result.items.length,
            })}{' '}
            (
            {Object.entries(counts)
              .map(([type, n]) => countOf(t, type, n))
              .join(', ')}
            ).
          </p>
          {preview.duplicates > 0 && (
            <label className="inline">
              <input
                type="checkbox"
                name="skip-duplicates"
                checked={skipDuplicates}
                onChange={(e) => setSkipDuplicates(e.target.checked)}
              />{' '}
              {t('Skip {n, plural, one {# item} other {# items}} already in the vault', {
                n: preview.duplicates,
              })}
            </label>
          )}
          {skippedAll.length > 0 && <SkipList skipped={skippedAll} />}
          {partial.length > 0 && (
            <details className="skip-list" data-testid="import-partial">
              <summary>
                {t(
                  '{n, plural, one {# item} other {# items}} imported without a field, and which',
                  {
                    n: partial.length,
                  },
                )}
              </summary>
              <ul>
                {partial.map((s) => (
                  <li key={`${s.where}-${s.reason}`}>
                    {t(s.where)}: {reasons(t, s.reason)}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <button type="button" onClick={() => void run()} disabled={progress !== null}>
            {t('Import {n, plural, one {# item} other {# items}}', {
              n: preview.result.items.length - (skipDuplicates ? preview.duplicates : 0),
            })}
          </button>
        </section>
      )}
      {progress && (
        <div role="status" className="import-progress">
          <progress max={progress.total} value={progress.done} />{' '}
          {t('Importing: {done} of {total}', {
            done: progress.done,
            total: progress.total,
          })}
        </div>
      )}
      {report && (
        <p className="ok" role="status" data-testid="import-report">
          {t('Imported {n, plural, one {# item} other {# items}}', { n: report.imported })}
          {report.newFolders > 0 &&
            `, ${t('{n, plural, one {# new folder} other {# new folders}}', { n: report.newFolders })}`}
          {report.duplicates > 0 &&
            `, ${t('{n, plural, one {# duplicate} other {# duplicates}}', { n: report.duplicates })} ${skipDuplicates ? t('skipped') : t('imported anyway')}`}
          {report.skipped > 0 &&
            `, ${t('{n, plural, one {# left out} other {# left out}}', { n: report.skipped })}`}
          .
        </p>
      )}
    </form>
  );
}

/** "2 logins", "1 card": a count of items of one type, plural as the language makes it. */
const COUNTS: Record<string, string> = {
  login: msg('{n, plural, one {# login} other {# logins}}'),
  note: msg('{n, plural, one {# note} other {# notes}}'),
  card: msg('{n, plural, one {# card} other {# cards}}'),
  identity: msg('{n, plural, one {# identity} other {# identities}}'),
};
const countOf = (t: ReturnType<typeof useT>, type: string, n: number) =>
  COUNTS[type]
    ? t(COUNTS[type], { n })
    : `${new Intl.NumberFormat(t.lang).format(n)} ${t(TYPE_NAME[type] ?? type)}`;

/** What a parse would import, in a few words ("12 items: 10 login, 2 card"). */
function describe(r: ImportResult, t: ReturnType<typeof useT>): string {
  const counts = new Map<string, number>();
  for (const i of r.items)
    counts.set(String(i.body.type), (counts.get(String(i.body.type)) ?? 0) + 1);
  const parts = [...counts].map(([type, n]) => countOf(t, type, n));
  return `${t('{n, plural, one {# item} other {# items}} to import', { n: r.items.length })}${parts.length ? ` (${parts.join(', ')})` : ''}${r.skipped.length ? `, ${t('{n, plural, one {# left out} other {# left out}}', { n: r.skipped.length })}` : ''}`;
}

/** Reasons joined by "; " (several fields left out of one item), each in the UI's language. */
const reasons = (t: (s: string) => string, reason: string) =>
  reason
    .split('; ')
    .map((r) => t(r))
    .join('; ');

function SkipList({ skipped }: { skipped: Array<{ where: string; reason: string }> }) {
  const t = useT();
  return (
    <details className="skip-list">
      <summary>
        {t('{n, plural, one {# left out} other {# left out}}, and why', { n: skipped.length })}
      </summary>
      <ul>
        {skipped.map((s) => (
          <li key={`${s.where}-${s.reason}`}>
            {t(s.where)}: {reasons(t, s.reason)}
          </li>
        ))}
      </ul>
    </details>
  );
}

type ExportFormat = 'cofre' | 'bitwarden-json' | 'cxf' | 'csv';

function ExportForm() {
  const t = useT();
  const [format, setFormat] = useState<ExportFormat>('cofre');
  const [password, setPassword] = useState('');
  const [filePassword, setFilePassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const plain = format !== 'cofre';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      const { items } = await call({ type: 'exportItems', password });
      const stamp = new Date().toISOString().slice(0, 10);
      let text: string;
      let name: string;
      let note = '';
      if (format === 'cofre') {
        text = await sealCofreExport(items, filePassword);
        name = `cofre-export-${stamp}.json`;
      } else if (format === 'bitwarden-json') {
        text = toBitwardenJson(items);
        name = `cofre-bitwarden-${stamp}.json`;
      } else if (format === 'cxf') {
        const state = await call({ type: 'getState' });
        text = toCxf(items, { email: state.email ?? '' });
        name = `cofre-cxf-${stamp}.json`;
      } else {
        const out = toCsv(items);
        text = out.csv;
        name = `cofre-${stamp}.csv`;
        if (out.left > 0)
          note = ` ${t('{n, plural, one {# card or identity is} other {# cards and identities are}} not in a CSV.', { n: out.left })}`;
        if (out.passkeys > 0)
          note += ` ${t('{n, plural, one {# website passkey is} other {# website passkeys are}} not in a CSV: export to Cofre JSON, Bitwarden JSON or CXF to keep them.', { n: out.passkeys })}`;
      }
      const url = URL.createObjectURL(new Blob([text], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setPassword('');
      setFilePassword('');
      setMessage({
        ok: true,
        text: `${t('Exported {n, plural, one {# item} other {# items}} to {file}.', { n: items.length, file: name })}${note}`,
      });
    } catch (err) {
      setMessage({ ok: false, text: t(messageOf(err)) });
    }
  };

  return (
    <form className="card-form" aria-label={t('Export')} onSubmit={submit}>
      <h3>{t('Export')}</h3>
      <label>
        {t('Format')}{' '}
        <select
          name="export-format"
          value={format}
          onChange={(e) => {
            setFormat(e.target.value as ExportFormat);
            setUnderstood(false);
          }}
        >
          <option value="cofre">{t('Cofre JSON, protected by a password (recommended)')}</option>
          <option value="bitwarden-json">{t('Bitwarden JSON (not encrypted)')}</option>
          <option value="cxf">
            {t('Credential Exchange Format, CXF (not encrypted; 1Password, Bitwarden, Apple…)')}
          </option>
          <option value="csv">{t('CSV (not encrypted; logins and notes)')}</option>
        </select>
      </label>
      <input
        type="password"
        name="export-master-password"
        autoComplete="current-password"
        placeholder={t('Master password')}
        aria-label={t('Master password to export')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {format === 'cofre' && (
        <input
          type="password"
          name="export-file-password"
          autoComplete="new-password"
          placeholder={t('A password for the file (at least 10 characters)')}
          aria-label={t('Password for the export file')}
          value={filePassword}
          onChange={(e) => setFilePassword(e.target.value)}
        />
      )}
      {plain && (
        <div className="warning" role="note">
          <p>
            {t(
              'This file will hold every password in plain text. Anyone who gets it, or any app that can read your downloads, can read them all. Import it where you need it, then delete it.',
            )}
          </p>
          <label className="inline">
            <input
              type="checkbox"
              name="export-understood"
              checked={understood}
              onChange={(e) => setUnderstood(e.target.checked)}
            />{' '}
            {t('I understand: the file is not encrypted')}
          </label>
        </div>
      )}
      <button
        type="submit"
        disabled={!password || (plain ? !understood : filePassword.length < 10)}
      >
        {t('Export')}
      </button>
      {message && (
        <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
