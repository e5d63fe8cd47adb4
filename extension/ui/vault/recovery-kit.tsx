// Settings card for recovery kits: make a k-of-n kit (master password checked again), shown as
// a printable emergency sheet with one QR code per share; and the kits that exist. Revoking
// kits means rotating the account key (the card below), which deletes them all.
import QRCode from 'qrcode';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { AppState, Responses } from '../../messages.ts';
import { call } from '../api.ts';
import { useT } from '../i18n.ts';
import { useAction } from './use-action.tsx';

type Kit = Responses['createRecoveryKit'];

/** `state`: the app state; the list is read again whenever it changes (e.g. after a rotation). */
export function RecoveryKits({ state }: { state: AppState }) {
  const t = useT();
  const [threshold, setThreshold] = useState(2);
  const [shares, setShares] = useState(3);
  const [password, setPassword] = useState('');
  const [kit, setKit] = useState<Kit | null>(null);
  const [kits, setKits] = useState<Responses['listRecoveryKits'] | null>(null);
  const [run, view] = useAction();
  const load = useCallback(() => {
    call({ type: 'listRecoveryKits' }).then(setKits, () => setKits(null));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: state is the trigger, not an input.
  useEffect(load, [load, state]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setKit(await call({ type: 'createRecoveryKit', password, threshold, shares }));
      setPassword('');
      load();
    }, t(
      'Recovery kit made: print the sheet, cut it, and give each share to a different person or place.',
    ));
  };

  return (
    <form onSubmit={submit} className="card-form" aria-label={t('Recovery kit')}>
      <h3>{t('Recovery kit')}</h3>
      <p className="muted small">
        {t(
          'If you forget the master password, any {k} of the {n} shares of a kit rebuild your vault’s key on a new device, and you choose a new password. Fewer shares reveal nothing. Keep them apart: with a family member, a safe, a lawyer.',
          { k: threshold, n: shares },
        )}
      </p>
      <div className="row">
        <label>
          {t('Shares needed')}{' '}
          <select
            name="kit-threshold"
            value={threshold}
            onChange={(e) => {
              const k = Number(e.target.value);
              setThreshold(k);
              if (shares < k) setShares(k);
            }}
          >
            {[2, 3, 4, 5].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('of')}{' '}
          <select
            name="kit-shares"
            value={shares}
            onChange={(e) => setShares(Number(e.target.value))}
          >
            {[2, 3, 4, 5, 6, 7]
              .filter((n) => n >= threshold)
              .map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
          </select>
        </label>
      </div>
      <input
        type="password"
        name="kit-password"
        autoComplete="current-password"
        placeholder={t('Master password')}
        aria-label={t('Master password to make a recovery kit')}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" disabled={!password}>
        {t('Make a recovery kit')}
      </button>
      {view}
      {kits && kits.length > 0 && (
        <ul className="kit-list" aria-label={t('Recovery kits')}>
          {kits.map((k) => (
            <li key={k.id} data-testid="recovery-kit">
              {t('{k} of {n} shares, made {date}', {
                k: k.threshold,
                n: k.shares,
                date: t.date(k.createdAt),
              })}
              {k.lastUsedAt && ` · ${t('used {date}', { date: t.date(k.lastUsedAt) })}`}
            </li>
          ))}
        </ul>
      )}
      {kits && kits.length > 0 && (
        <p className="muted small">
          {t('To revoke kits, rotate the account key below: every existing kit stops working.')}
        </p>
      )}
      {kit && <KitSheet kit={kit} onClose={() => setKit(null)} />}
    </form>
  );
}

function KitSheet({ kit, onClose }: { kit: Kit; onClose: () => void }) {
  const t = useT();
  const [codes, setCodes] = useState<string[]>([]);
  useEffect(() => {
    void Promise.all(
      kit.shares.map((s) =>
        QRCode.toDataURL(s, { errorCorrectionLevel: 'M', margin: 1, width: 220 }),
      ),
    ).then(setCodes);
  }, [kit]);
  return (
    <section className="kit-sheet" aria-label={t('Emergency sheet')}>
      <div className="kit-actions no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('Print the sheet')}
        </button>
        <button type="button" onClick={onClose}>
          {t('Done')}
        </button>
      </div>
      {kit.shares.map((share, i) => (
        <article className="kit-share" key={share} data-testid="kit-share">
          <h4>{t('Cofre recovery share {i} of {n}', { i: i + 1, n: kit.shares.length })}</h4>
          <p>
            {t('Account')}: <strong>{kit.email}</strong> · {t('Server')}:{' '}
            <code>{kit.serverUrl}</code>
          </p>
          <p className="small">
            {t(
              'With {k} different shares of this kit, open Cofre on a new device, choose “Recover with a kit”, and type the shares (or scan the QR codes with a phone and paste the text). Made {date}.',
              { k: kit.threshold, date: t.dateTime(kit.createdAt) },
            )}
          </p>
          {codes[i] && (
            <img
              src={codes[i]}
              alt={t('QR code of share {i}', { i: i + 1 })}
              width={220}
              height={220}
            />
          )}
          <code className="share-text" data-testid="share-text">
            {share}
          </code>
        </article>
      ))}
    </section>
  );
}
