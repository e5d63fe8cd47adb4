// The vault page: onboarding on first run, unlock, then list + detail for every item type with
// folders, favourites, search and filters, trash, the generator, the password report, conflicts
// to review, and settings.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RecordBody } from '../../../shared/model/item.ts';
import type { AppState, Filter, ItemSummary, Responses } from '../../messages.ts';
import { call, messageOf, useWorkerEvents } from '../../ui/api.ts';
import { ItemRow, SignInAgain, SyncBadge, TrustNotice, UnlockPanel } from '../../ui/components.tsx';
import { useT } from '../../ui/i18n.ts';
import { Icon } from '../../ui/icons.tsx';
import { mount } from '../../ui/page-shell.tsx';
import { ItemDetail } from '../../ui/vault/item-detail.tsx';
import { ItemEditor } from '../../ui/vault/item-editor.tsx';
import { Onboarding } from '../../ui/vault/onboarding.tsx';
import { Settings } from '../../ui/vault/settings.tsx';
import { Generator, Report } from '../../ui/vault/tools.tsx';
import { Transfer } from '../../ui/vault/transfer.tsx';

type View =
  | { kind: 'items' }
  | { kind: 'item'; id: string }
  | { kind: 'edit'; id: string | null; type: 'login' | 'note' | 'card' | 'identity' }
  | { kind: 'generator' }
  | { kind: 'report' }
  | { kind: 'transfer' }
  | { kind: 'settings' };

function fromHash(): View {
  const h = location.hash.slice(1);
  if (h === 'new') return { kind: 'edit', id: null, type: 'login' };
  if (h.startsWith('item=')) return { kind: 'item', id: h.slice(5) };
  return { kind: 'items' };
}

function Vault({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  if (state.phase === 'setup') return <Onboarding onDone={setState} />;
  if (state.phase === 'locked')
    return (
      <main className="center">
        <UnlockPanel state={state} onDone={setState} />
      </main>
    );
  return <Unlocked state={state} setState={setState} />;
}

const FILTERS: Array<{ f: Filter; label: string }> = [
  { f: { kind: 'all' }, label: 'All items' },
  { f: { kind: 'favorites' }, label: 'Favourites' },
  { f: { kind: 'type', value: 'login' }, label: 'Logins' },
  { f: { kind: 'type', value: 'note' }, label: 'Secure notes' },
  { f: { kind: 'type', value: 'card' }, label: 'Cards' },
  { f: { kind: 'type', value: 'identity' }, label: 'Identities' },
  { f: { kind: 'conflicts' }, label: 'Conflicts' },
  { f: { kind: 'trash' }, label: 'Trash' },
];

function Unlocked({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  const [view, setView] = useState<View>(fromHash);
  const [filter, setFilter] = useState<Filter>({ kind: 'all' });
  const [query, setQuery] = useState('');
  const [list, setList] = useState<Responses['listItems'] | null>(null);
  const [item, setItem] = useState<{ id: string; body: RecordBody } | null>(null);
  const [error, setError] = useState('');
  const search = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    call({ type: 'listItems', query, filter, limit: 300 }).then(setList, (e) =>
      setError(messageOf(e)),
    );
  }, [query, filter]);
  useEffect(load, [load]);

  const selectedId =
    view.kind === 'item' || (view.kind === 'edit' && view.id) ? (view as { id: string }).id : null;
  const loadItem = useCallback(() => {
    if (!selectedId) return setItem(null);
    call({ type: 'getItem', id: selectedId }).then(setItem, () => setItem(null));
  }, [selectedId]);
  useEffect(loadItem, [loadItem]);
  useWorkerEvents(
    useCallback(() => {
      load();
      if (view.kind === 'item') loadItem();
    }, [load, loadItem, view.kind]),
  );

  async function newFolder() {
    const name = prompt(t('Folder name'));
    if (!name) return;
    const now = new Date().toISOString();
    await call({
      type: 'saveItem',
      id: null,
      body: { type: 'folder', name, createdAt: now, updatedAt: now },
    });
    load();
  }

  useEffect(() => {
    const listener = (e: globalThis.KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  });

  function onKey(e: globalThis.KeyboardEvent) {
    const target = e.target as HTMLElement;
    const typing =
      target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
    if (e.key === '/' && !typing) {
      e.preventDefault();
      search.current?.focus();
    } else if (e.altKey && e.key.toLowerCase() === 'n') {
      e.preventDefault();
      setView({ kind: 'edit', id: null, type: 'login' });
    } else if (e.altKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      void call({ type: 'lock' }).then(setState);
    }
  }

  const sameFilter = (f: Filter) => JSON.stringify(f) === JSON.stringify(filter);
  return (
    <div className="layout">
      <nav className="sidebar" aria-label={t('Vault')}>
        <h1>
          <span className="logo">◆</span> Cofre
        </h1>
        {FILTERS.map(({ f, label }) => (
          <button
            key={label}
            type="button"
            className={`nav${sameFilter(f) && !['generator', 'report', 'transfer', 'settings'].includes(view.kind) ? ' active' : ''}`}
            onClick={() => {
              setFilter(f);
              setView({ kind: 'items' });
            }}
          >
            {t(label)}
          </button>
        ))}
        <h4>{t('Folders')}</h4>
        {list?.folders.map((f) => (
          <button
            key={f.id}
            type="button"
            className={`nav${sameFilter({ kind: 'folder', value: f.id }) ? ' active' : ''}`}
            onClick={() => {
              setFilter({ kind: 'folder', value: f.id });
              setView({ kind: 'items' });
            }}
          >
            <Icon name="folder" /> {f.name}
          </button>
        ))}
        <button type="button" className="nav link" onClick={() => void newFolder()}>
          + {t('New folder')}
        </button>
        <hr />
        <button
          type="button"
          className={`nav${view.kind === 'generator' ? ' active' : ''}`}
          onClick={() => setView({ kind: 'generator' })}
        >
          {t('Generator')}
        </button>
        <button
          type="button"
          className={`nav${view.kind === 'report' ? ' active' : ''}`}
          onClick={() => setView({ kind: 'report' })}
        >
          {t('Password report')}
        </button>
        <button
          type="button"
          className={`nav${view.kind === 'transfer' ? ' active' : ''}`}
          onClick={() => setView({ kind: 'transfer' })}
        >
          {t('Import and export')}
        </button>
        <button
          type="button"
          className={`nav${view.kind === 'settings' ? ' active' : ''}`}
          onClick={() => setView({ kind: 'settings' })}
        >
          {t('Settings')}
        </button>
        <div className="sidebar-foot">
          <SyncBadge state={state} />
          <TrustNotice state={state} />
          {state.sync.kind === 'error' && state.sync.signInAgain && (
            <SignInAgain onDone={setState} />
          )}
          <div className="row">
            <button
              type="button"
              onClick={() => void call({ type: 'syncNow' }).then(setState, () => {})}
            >
              {t('Sync now')}
            </button>
            <button
              type="button"
              data-testid="lock"
              onClick={() => void call({ type: 'lock' }).then(setState)}
            >
              <Icon name="lock" /> {t('Lock')}
            </button>
          </div>
        </div>
      </nav>
      <section className="list-pane" aria-label={t('Items')}>
        <div className="list-head">
          <input
            ref={search}
            type="search"
            placeholder={t('Search {n} items  ( / )', { n: state.itemCount })}
            aria-label={t('Search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <select
            aria-label={t('New item')}
            value=""
            onChange={(e) =>
              e.target.value && setView({ kind: 'edit', id: null, type: e.target.value as 'login' })
            }
          >
            <option value="">+ {t('New')}</option>
            <option value="login">{t('login')}</option>
            <option value="note">{t('note')}</option>
            <option value="card">{t('card')}</option>
            <option value="identity">{t('identity')}</option>
          </select>
        </div>
        {filter.kind === 'trash' && (list?.total ?? 0) > 0 && (
          <button
            type="button"
            className="danger wide"
            onClick={() =>
              confirm(t('Delete every item in the trash for good?')) &&
              void call({ type: 'emptyTrash' }).then(load)
            }
          >
            {t('Empty trash')}
          </button>
        )}
        <ul className="item-list">
          {list?.items.map((i: ItemSummary) => (
            <ItemRow
              key={i.id}
              item={i}
              selected={i.id === selectedId}
              onOpen={() => setView({ kind: 'item', id: i.id })}
            />
          ))}
          {list && list.items.length === 0 && (
            <li className="empty">{query ? t('No items match.') : t('Nothing here yet.')}</li>
          )}
        </ul>
        {list && list.total > list.items.length && (
          <p className="muted small">
            {t('Showing {a} of {b}: refine the search.', { a: list.items.length, b: list.total })}
          </p>
        )}
        {error && <p className="error">{error}</p>}
      </section>
      <section className="detail-pane">
        {view.kind === 'item' && item && (
          <ItemDetail
            id={item.id}
            body={item.body}
            onEdit={() => setView({ kind: 'edit', id: item.id, type: item.body.type as 'login' })}
            onChanged={(id) => {
              load();
              if (id) loadItem();
              else setView({ kind: 'items' });
            }}
          />
        )}
        {view.kind === 'edit' && (view.id === null || item) && (
          <ItemEditor
            key={view.id ?? `new-${view.type}`}
            id={view.id}
            initial={view.id ? (item?.body ?? null) : null}
            kind={view.type}
            folders={list?.folders ?? []}
            onSaved={(id) => {
              setView({ kind: 'item', id });
              load();
            }}
            onCancel={() => setView(view.id ? { kind: 'item', id: view.id } : { kind: 'items' })}
          />
        )}
        {view.kind === 'generator' && <Generator />}
        {view.kind === 'report' && <Report onOpen={(id) => setView({ kind: 'item', id })} />}
        {view.kind === 'transfer' && <Transfer onImported={load} />}
        {view.kind === 'settings' && <Settings state={state} setState={setState} />}
        {view.kind === 'items' && (
          <p className="muted center">{t('Select an item, or press Alt+N to add one.')}</p>
        )}
      </section>
    </div>
  );
}

mount(({ state, setState }) => <Vault state={state} setState={setState} />);
