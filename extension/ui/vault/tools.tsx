// The generator (password and passphrase) and the weak / reused password report.
import { useEffect, useState } from 'react';
import type { Responses } from '../../messages.ts';
import { call } from '../api.ts';
import { copySecret } from '../components.tsx';
import { useConfirm } from '../dialogs.tsx';
import { generatePassphrase, generatePassword } from '../generator.ts';
import { msg, useT } from '../i18n.ts';
import { Icon } from '../icons.tsx';
import { passphraseWords, strengthOf } from '../strength.ts';

const SET_LABELS = [
  ['lower', msg('Lowercase (a–z)')],
  ['upper', msg('Uppercase (A–Z)')],
  ['digits', msg('Digits (0–9)')],
  ['symbols', msg('Symbols (!@#…)')],
  ['avoidAmbiguous', msg('Avoid look-alikes (l, 1, O, 0)')],
] as const;

export function Generator() {
  const t = useT();
  const [kind, setKind] = useState<'password' | 'passphrase'>('password');
  const [length, setLength] = useState(20);
  const [sets, setSets] = useState({
    lower: true,
    upper: true,
    digits: true,
    symbols: true,
    avoidAmbiguous: false,
  });
  const [words, setWords] = useState<string[] | null>(null);
  const [count, setCount] = useState(5);
  const [result, setResult] = useState<{ value: string; bits: number } | null>(null);
  const [copied, setCopied] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);

  useEffect(() => {
    if (kind === 'passphrase' && !words) void passphraseWords().then(setWords);
  }, [kind, words]);
  useEffect(() => {
    try {
      if (kind === 'password') setResult(generatePassword({ length, ...sets }));
      else if (words)
        setResult(
          generatePassphrase(words, {
            words: count,
            separator: '-',
            capitalize: true,
            number: true,
          }),
        );
    } catch {
      setResult(null);
    }
  }, [kind, length, sets, words, count]);
  const regenerate = () => setSets((s) => ({ ...s }));

  return (
    <section className="panel" aria-label={t('Generator')}>
      <h2>{t('Generator')}</h2>
      <div className="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={kind === 'password'}
          className={kind === 'password' ? 'active' : ''}
          onClick={() => setKind('password')}
        >
          {t('Password')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={kind === 'passphrase'}
          className={kind === 'passphrase' ? 'active' : ''}
          onClick={() => setKind('passphrase')}
        >
          {t('Passphrase')}
        </button>
      </div>
      <output className="generated" data-testid="generated">
        {result?.value ?? '…'}
      </output>
      <p className="muted small">{result ? t('{n} bits of entropy', { n: result.bits }) : ''}</p>
      {kind === 'password' ? (
        <>
          <label>
            {t('Length')}: {length}
            <input
              type="range"
              min={8}
              max={64}
              value={length}
              onChange={(e) => setLength(Number(e.target.value))}
            />
          </label>
          {SET_LABELS.map(([k, label]) => (
            <label className="inline" key={k}>
              <input
                type="checkbox"
                checked={sets[k]}
                onChange={(e) => setSets({ ...sets, [k]: e.target.checked })}
              />{' '}
              {t(label)}
            </label>
          ))}
        </>
      ) : (
        <label>
          {t('Words')}: {count}
          <input
            type="range"
            min={3}
            max={10}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </label>
      )}
      <div className="row">
        <button type="button" onClick={regenerate}>
          {t('Regenerate')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!result}
          onClick={() =>
            result &&
            void copySecret(result.value).then(async () => {
              setCopied(true);
              // A copied password may be set somewhere at once: it goes to the history.
              await call({
                type: 'rememberGenerated',
                value: result.value,
                site: null,
                itemName: null,
              }).catch(() => {});
              setHistoryKey((k) => k + 1);
            })
          }
        >
          {copied ? t('Copied — clears in 30 s') : t('Copy password')}
        </button>
      </div>
      <GeneratorHistory key={historyKey} />
    </section>
  );
}

/** The last 100 passwords the generator made (and were copied or used), newest first. */
function GeneratorHistory() {
  const t = useT();
  const [list, setList] = useState<Responses['generatorHistory'] | null>(null);
  const [dialog, ask] = useConfirm();
  const load = () => void call({ type: 'generatorHistory' }).then(setList, () => setList([]));
  useEffect(load, []);
  if (!list) return null;
  return (
    <section className="gen-history" aria-labelledby="gen-history-title">
      <h3 id="gen-history-title">{t('Generator history')}</h3>
      {dialog}
      {list.length === 0 ? (
        <p className="muted small">
          {t(
            'Passwords you generate and copy or fill are kept here, so one set on a site is never lost.',
          )}
        </p>
      ) : (
        <>
          <ul className="history-list">
            {list.map((h) => (
              <li key={h.id} data-testid="generated-entry">
                <HistoryValue value={h.value} />
                <span className="muted small">
                  {t.dateTime(h.createdAt)}
                  {h.site ? ` · ${h.site}` : ''}
                  {h.itemName ? ` · ${h.itemName}` : ''}
                </span>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="link danger"
            onClick={async () => {
              const yes = await ask({
                title: t('Clear the generator history?'),
                body: t(
                  'The {n, plural, one {# password} other {# passwords}} in it are deleted on every device. Passwords saved in items are kept.',
                  { n: list.length },
                ),
                confirm: t('Clear history'),
                danger: true,
              });
              if (yes) await call({ type: 'clearGeneratorHistory' }).then(load);
            }}
          >
            {t('Clear history')}
          </button>
        </>
      )}
    </section>
  );
}

function HistoryValue({ value }: { value: string }) {
  const t = useT();
  const [shown, setShown] = useState(false);
  return (
    <span className="history-value">
      <code>{shown ? value : '••••••••••'}</code>
      <button
        type="button"
        className="icon-button"
        aria-pressed={shown}
        aria-label={shown ? t('Hide password') : t('Show password')}
        onClick={() => setShown(!shown)}
      >
        <Icon name={shown ? 'eyeOff' : 'eye'} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={t('Copy password')}
        onClick={() => void copySecret(value)}
      >
        <Icon name="copy" />
      </button>
    </span>
  );
}

interface Finding {
  id: string;
  name: string;
  username: string;
  score: number;
  reusedWith: number;
}

export function Report({ onOpen }: { onOpen: (id: string) => void }) {
  const t = useT();
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [progress, setProgress] = useState(0);
  useEffect(() => {
    let live = true;
    void (async () => {
      const logins = await call({ type: 'passwordReport' });
      const uses = new Map<string, number>();
      for (const l of logins) uses.set(l.password, (uses.get(l.password) ?? 0) + 1);
      const out: Finding[] = [];
      for (const [i, l] of logins.entries()) {
        const { score } = await strengthOf(l.password, [l.username, l.name]);
        const reusedWith = (uses.get(l.password) ?? 1) - 1;
        if (score < 3 || reusedWith > 0)
          out.push({ id: l.id, name: l.name, username: l.username, score, reusedWith });
        if (i % 50 === 0 && live) setProgress(Math.round((i / logins.length) * 100));
      }
      if (live) setFindings(out);
    })();
    return () => {
      live = false;
    };
  }, []);
  if (!findings) return <p className="muted">{t('Checking passwords… {n}%', { n: progress })}</p>;
  return (
    <section className="panel" aria-label={t('Password report')}>
      <h2>{t('Password report')}</h2>
      {findings.length === 0 ? (
        <p>{t('No weak or reused passwords. Well done.')}</p>
      ) : (
        <table className="report">
          <thead>
            <tr>
              <th>{t('Item')}</th>
              <th>{t('Problem')}</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr key={f.id} data-testid="finding">
                <td>
                  <button type="button" className="link" onClick={() => onOpen(f.id)}>
                    {f.name}
                  </button>{' '}
                  <span className="muted">{f.username}</span>
                </td>
                <td>
                  {f.score < 3 && <span className="tag bad">{t('Weak')}</span>}{' '}
                  {f.reusedWith > 0 && (
                    <span className="tag warn">
                      {t('Reused in {n, plural, one {# other item} other {# other items}}', {
                        n: f.reusedWith,
                      })}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
