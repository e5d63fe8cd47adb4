// The generator (password and passphrase) and the weak / reused password report.
import { useEffect, useState } from 'react';
import { call } from '../api.ts';
import { copySecret } from '../components.tsx';
import { generatePassphrase, generatePassword } from '../generator.ts';
import { useT } from '../i18n.ts';
import { passphraseWords, strengthOf } from '../strength.ts';

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
          {(['lower', 'upper', 'digits', 'symbols', 'avoidAmbiguous'] as const).map((k) => (
            <label className="inline" key={k}>
              <input
                type="checkbox"
                checked={sets[k]}
                onChange={(e) => setSets({ ...sets, [k]: e.target.checked })}
              />{' '}
              {t(k)}
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
          onClick={() => result && void copySecret(result.value).then(() => setCopied(true))}
        >
          {copied ? t('Copied — clears in 30 s') : t('Copy')}
        </button>
      </div>
    </section>
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
                      {t('Reused in {n} other items', { n: f.reusedWith })}
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
