// The vault page: onboarding on first run, unlock, then list + detail for every item type with
// folders, favourites, search and filters, trash, the generator, the password report, conflicts
// to review, and settings.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppState, Filter, Responses } from '../../messages.ts';
import { call, messageOf, useWorkerEvents } from '../../ui/api.ts';
import { ItemRow, SignInAgain, SyncBadge, TrustNotice, UnlockPanel } from '../../ui/components.tsx';
import { useConfirm, useToast } from '../../ui/dialogs.tsx';
import { msg, useT } from '../../ui/i18n.ts';
import { Icon, type IconName } from '../../ui/icons.tsx';
import { mount } from '../../ui/page-shell.tsx';
import { ItemDetail } from '../../ui/vault/item-detail.tsx';
import { ItemEditor } from '../../ui/vault/item-editor.tsx';
import { Onboarding } from '../../ui/vault/onboarding.tsx';
import { Settings } from '../../ui/vault/settings.tsx';
import { MoveItems, SharingInbox, useVaultList, VaultManager } from '../../ui/vault/sharing.tsx';
import { Generator, Report } from '../../ui/vault/tools.tsx';
import { Transfer } from '../../ui/vault/transfer.tsx';
import { useItemPages, VirtualList, type VirtualListHandle } from '../../ui/virtual-list.tsx';

type View =
  | { kind: 'items' }
  | { kind: 'item'; id: string }
  | { kind: 'edit'; id: string | null; type: 'login' | 'note' | 'card' | 'identity' }
  | { kind: 'generator' }
  | { kind: 'report' }
  | { kind: 'transfer' }
  | { kind: 'settings' }
  | { kind: 'sharing' }
  | { kind: 'vault'; id: string }
  | { kind: 'move'; from: string | null; keys: string[] };

function fromHash(): View {
  const h = location.hash.slice(1);
  if (h === 'new') return { kind: 'edit', id: null, type: 'login' };
  if (h.startsWith('item=')) return { kind: 'item', id: h.slice(5) };
  if (h === 'sharing') return { kind: 'sharing' };
  if (h.startsWith('vault=')) return { kind: 'vault', id: h.slice(6) };
  return { kind: 'items' };
}

function Vault({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  if (state.phase === 'setup')
    return <Onboarding onDone={setState} removed={state.removed} secondStep={state.secondStep} />;
  if (state.phase === 'locked')
    return (
      <main className="center">
        <UnlockPanel state={state} onDone={setState} />
      </main>
    );
  return <Unlocked state={state} setState={setState} />;
}

const FILTERS: Array<{ f: Filter; label: string }> = [
  { f: { kind: 'all' }, label: msg('All items') },
  { f: { kind: 'favorites' }, label: msg('Favourites') },
  { f: { kind: 'type', value: 'login' }, label: msg('Logins') },
  { f: { kind: 'type', value: 'note' }, label: msg('Secure notes') },
  { f: { kind: 'type', value: 'card' }, label: msg('Cards') },
  { f: { kind: 'type', value: 'identity' }, label: msg('Identities') },
  { f: { kind: 'conflicts' }, label: msg('Conflicts') },
  { f: { kind: 'trash' }, label: msg('Trash') },
];

function Unlocked({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  const [view, setViewNow] = useState<View>(fromHash);
  const [filter, setFilter] = useState<Filter>({ kind: 'all' });
  const [query, setQuery] = useState('');
  const [item, setItem] = useState<Responses['getItem'] | null>(null);
  /** Which vault the list shows: every vault (null), the personal one, or one shared vault. */
  const [scope, setScope] = useState<string | null>(null);
  const [vaultList, reloadVaults] = useVaultList();
  const [error, setError] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const rowsHandle = useRef<VirtualListHandle>(null);
  const [dialog, ask] = useConfirm();
  const [toastView, toast] = useToast();
  /** The editor has changes not saved: leaving it asks first. */
  const dirty = useRef(false);

  const onListError = useCallback((e: unknown) => setError(messageOf(e)), []);
  const list = useItemPages({ query, filter, vault: scope }, onListError);
  const load = list.reload;

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirty.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  /** Every move to another view: an editor with unsaved changes asks to stay or discard. */
  const go = useCallback(
    async (next: View, then?: () => void) => {
      if (dirty.current) {
        const discard = await ask({
          title: t('Discard unsaved changes?'),
          body: t('The changes to this item are not saved.'),
          confirm: t('Discard changes'),
          cancel: t('Keep editing'),
          danger: true,
        });
        if (!discard) return false;
        dirty.current = false;
      }
      setViewNow(next);
      then?.();
      return true;
    },
    [ask, t],
  );

  const selectedId =
    view.kind === 'item' || (view.kind === 'edit' && view.id) ? (view as { id: string }).id : null;
  // The item open now: an answer for another one (asked before the person opened this one, or
  // by a handler of a view since closed, as an Undo that lands late) must not replace it.
  const selected = useRef(selectedId);
  selected.current = selectedId;
  const loadItem = useCallback(() => {
    if (!selectedId) return setItem(null);
    const still = () => selected.current === selectedId;
    call({ type: 'getItem', id: selectedId }).then(
      (answer) => still() && setItem(answer),
      () => still() && setItem(null),
    );
  }, [selectedId]);
  useEffect(loadItem, [loadItem]);
  useWorkerEvents(
    useCallback(() => {
      load();
      if (view.kind === 'item') loadItem();
    }, [load, loadItem, view.kind]),
    'items',
  );

  /** After an action took the open item away, focus goes to the list, never to <body>. */
  const focusList = () =>
    requestAnimationFrame(() => {
      if (list.total) rowsHandle.current?.focusRow(0);
      else search.current?.focus();
    });

  async function newFolder(parent?: string) {
    const name = await ask({
      title: parent ? t('New folder in “{parent}”', { parent }) : t('New folder'),
      confirm: t('Create'),
      input: { label: t('Folder name') },
    });
    if (typeof name !== 'string') return;
    const now = new Date().toISOString();
    await call({
      type: 'saveItem',
      id: null,
      body: {
        type: 'folder',
        name: parent ? `${parent}/${name}` : name,
        createdAt: now,
        updatedAt: now,
      },
    });
    load();
  }

  async function renameFolder(f: { id: string; name: string }) {
    const name = await ask({
      title: t('Rename folder'),
      confirm: t('Rename'),
      input: { label: t('Folder name'), value: f.name },
    });
    if (typeof name !== 'string' || name === f.name) return;
    await call({ type: 'renameFolder', id: f.id, name }).catch((e) => setError(messageOf(e)));
    load();
  }

  async function deleteFolder(f: { id: string; name: string }) {
    const yes = await ask({
      title: t('Delete the folder “{name}”?', { name: f.name }),
      body: t('Its items are kept, in no folder.'),
      confirm: t('Delete folder'),
      danger: true,
    });
    if (!yes) return;
    await call({ type: 'deleteFolder', id: f.id }).catch((e) => setError(messageOf(e)));
    if (filter.kind === 'folder' && filter.value === f.id) setFilter({ kind: 'all' });
    load();
    focusList();
  }

  async function emptyTrash() {
    const n = list.total ?? 0;
    const yes = await ask({
      title: t('Empty the trash?'),
      body: t(
        '{n, plural, one {# item is} other {# items are}} deleted for good on every device. This cannot be undone.',
        { n },
      ),
      confirm: t('Empty trash'),
      danger: true,
    });
    if (!yes) return;
    await call({ type: 'emptyTrash' }).catch((e) => setError(messageOf(e)));
    load();
    focusList();
  }

  useEffect(() => {
    const listener = (e: globalThis.KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  });

  function onKey(e: globalThis.KeyboardEvent) {
    const target = e.target as HTMLElement;
    if (target.closest('dialog')) return;
    const typing =
      target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
    if (e.key === '/' && !typing) {
      e.preventDefault();
      search.current?.focus();
    } else if (e.altKey && e.key.toLowerCase() === 'n') {
      e.preventDefault();
      void go({ kind: 'edit', id: null, type: 'login' });
    } else if (e.altKey && e.key.toLowerCase() === 'l') {
      e.preventDefault();
      void call({ type: 'lock' }).then(setState);
    } else if (
      (e.key === 'ArrowDown' || e.key === 'ArrowUp') &&
      (target === search.current || target.closest('.item-list'))
    ) {
      // Arrow keys walk the whole list (drawn or not yet) from the search box or a row; Enter
      // (a row's button) opens.
      e.preventDefault();
      const row = target.closest<HTMLElement>('[data-index]');
      const at = row ? Number(row.dataset.index) : -1;
      if (e.key === 'ArrowUp' && at <= 0) search.current?.focus();
      else rowsHandle.current?.focusRow(e.key === 'ArrowDown' ? at + 1 : at - 1);
    } else if (e.key === 'Home' && target.closest('.item-list')) {
      e.preventDefault();
      rowsHandle.current?.focusRow(0);
    } else if (e.key === 'End' && target.closest('.item-list')) {
      e.preventDefault();
      rowsHandle.current?.focusRow((list.total ?? 1) - 1);
    }
  }

  const tool = ['generator', 'report', 'transfer', 'settings', 'sharing', 'vault', 'move'].includes(
    view.kind,
  );
  const sharedScope = vaultList?.vaults.find((v) => v.id === scope) ?? null;
  const showScope = (next: string | null) =>
    void go({ kind: 'items' }, () => {
      setScope(next);
      setFilter({ kind: 'all' });
    });
  const asks = (state.sharing?.invitations ?? 0) + (state.sharing?.toConfirm ?? 0);
  const sameFilter = (f: Filter) => JSON.stringify(f) === JSON.stringify(filter);
  const showFilter = (f: Filter) =>
    void go({ kind: 'items' }, () => {
      setFilter(f);
    });
  const folders = folderTree(list.folders);
  const NavTool = ({ kind, label }: { kind: View['kind']; label: string }) => (
    <button
      type="button"
      className={`nav${view.kind === kind ? ' active' : ''}`}
      aria-current={view.kind === kind ? 'page' : undefined}
      onClick={() => void go({ kind } as View)}
    >
      {t(label)}
    </button>
  );
  return (
    <div className={`layout view-${view.kind}`}>
      {dialog}
      {toastView}
      <nav className="sidebar" aria-label={t('Vault')}>
        <h1>
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Cofre
        </h1>
        <h2 className="nav-head">{t('Vaults')}</h2>
        <ul className="folders vault-switcher" aria-label={t('Vaults')}>
          {[
            { id: null, label: t('All vaults') },
            { id: 'personal', label: t('Personal') },
          ].map((o) => (
            <li key={o.id ?? 'all'}>
              <button
                type="button"
                className={`nav${scope === o.id && !tool ? ' active' : ''}`}
                aria-current={scope === o.id && !tool ? 'page' : undefined}
                onClick={() => showScope(o.id)}
              >
                {o.label}
              </button>
            </li>
          ))}
          {vaultList?.vaults.map((v) => (
            <li key={v.id} className="folder-row">
              <button
                type="button"
                className={`nav${scope === v.id && !tool ? ' active' : ''}`}
                aria-current={scope === v.id && !tool ? 'page' : undefined}
                onClick={() => showScope(v.id)}
              >
                <Icon name="users" /> {v.name ?? t('Shared vault')}
              </button>
              {v.unverified > 0 && (
                <span
                  className="tag warn"
                  data-testid="vault-unverified"
                  title={t('{n, plural, one {# member} other {# members}} not verified', {
                    n: v.unverified,
                  })}
                >
                  <span aria-hidden="true">!</span>
                  <span className="sr-only">
                    {t('{n, plural, one {# member} other {# members}} not verified', {
                      n: v.unverified,
                    })}
                  </span>
                </span>
              )}
              <button
                type="button"
                className="icon-button"
                aria-label={t('Members and settings of “{name}”', {
                  name: v.name ?? t('Shared vault'),
                })}
                onClick={() => void go({ kind: 'vault', id: v.id })}
              >
                <Icon name="gear" size={14} />
              </button>
            </li>
          ))}
        </ul>
        <button
          type="button"
          className={`nav${view.kind === 'sharing' ? ' active' : ''}`}
          aria-current={view.kind === 'sharing' ? 'page' : undefined}
          onClick={() => void go({ kind: 'sharing' })}
          data-testid="nav-sharing"
        >
          <Icon name="users" /> {t('Sharing')}
          {asks > 0 && (
            <span className="count-badge" data-testid="sharing-count">
              {asks}
              <span className="sr-only"> {t('waiting for you')}</span>
            </span>
          )}
          {(state.sharing?.refused ?? 0) > 0 && (
            <span className="tag bad">
              <Icon name="warn" size={11} />{' '}
              <span className="sr-only">{t('A shared vault failed its check')}</span>
            </span>
          )}
        </button>
        <hr />
        {FILTERS.map(({ f, label }) => (
          <button
            key={label}
            type="button"
            className={`nav${sameFilter(f) && !tool ? ' active' : ''}`}
            aria-current={sameFilter(f) && !tool ? 'page' : undefined}
            onClick={() => showFilter(f)}
          >
            {t(label)}
          </button>
        ))}
        <h2 className="nav-head">{t('Folders')}</h2>
        <ul className="folders">
          {folders.map((f) => (
            <li key={f.id} className="folder-row" style={{ paddingInlineStart: `${f.depth}em` }}>
              <button
                type="button"
                className={`nav${sameFilter({ kind: 'folder', value: f.id }) && !tool ? ' active' : ''}`}
                aria-current={
                  sameFilter({ kind: 'folder', value: f.id }) && !tool ? 'page' : undefined
                }
                onClick={() => showFilter({ kind: 'folder', value: f.id })}
              >
                <Icon name="folder" /> {f.label}
              </button>
              <FolderMenu
                name={f.name}
                onRename={() => void renameFolder(f)}
                onAdd={() => void newFolder(f.name)}
                onDelete={() => void deleteFolder(f)}
              />
            </li>
          ))}
        </ul>
        <button type="button" className="nav link" onClick={() => void newFolder()}>
          + {t('New folder')}
        </button>
        <hr />
        <NavTool kind="generator" label={msg('Generator')} />
        <NavTool kind="report" label={msg('Password report')} />
        <NavTool kind="transfer" label={msg('Import and export')} />
        <NavTool kind="settings" label={msg('Settings')} />
        <div className="sidebar-foot">
          <SyncBadge state={state} />
          <TrustNotice state={state} />
          {((state.sync.kind === 'error' && state.sync.signInAgain) ||
            state.secondStep?.purpose === 'sign-in-again') && (
            <SignInAgain state={state} onDone={setState} />
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
      <main className="panes">
        <section className="list-pane" aria-label={t('Items')}>
          <div className="list-head">
            <input
              ref={search}
              type="search"
              placeholder={t('Search {n, plural, one {# item} other {# items}}  ( / )', {
                n: state.itemCount,
              })}
              aria-label={t('Search')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
            {!sharedScope?.readOnly && (
              <NewItemMenu onPick={(type) => void go({ kind: 'edit', id: null, type })} />
            )}
          </div>
          {sharedScope && (
            <p className="scope-head small">
              <Icon name="users" /> {sharedScope.name ?? t('Shared vault')} ·{' '}
              {sharedScope.readOnly ? t('view only') : t('shared')} ·{' '}
              <button
                type="button"
                className="link"
                onClick={() => void go({ kind: 'vault', id: sharedScope.id })}
              >
                {t('Members')}
              </button>
            </p>
          )}
          {filter.kind === 'trash' && (list.total ?? 0) > 0 && (
            <>
              <p className="muted small">
                {t('Items in the trash are deleted for good after 30 days.')}
              </p>
              <button type="button" className="danger wide" onClick={() => void emptyTrash()}>
                {t('Empty trash')}
              </button>
            </>
          )}
          <VirtualList
            count={list.total ?? 0}
            rowAt={list.rowAt}
            onRange={list.onRange}
            handle={rowsHandle}
            renderRow={(i, _index, placement) => (
              <ItemRow
                key={i.id}
                item={i}
                placement={placement}
                selected={i.id === selectedId}
                onOpen={() => void go({ kind: 'item', id: i.id })}
              />
            )}
          />
          {list.total === 0 && list.current && (
            <p className="empty">{query ? t('No items match.') : t('Nothing here yet.')}</p>
          )}
          {error && <p className="error">{error}</p>}
        </section>
        <section className="detail-pane" aria-label={t('Details')}>
          {(view.kind === 'item' || view.kind === 'edit' || tool) && (
            <button type="button" className="link back" onClick={() => void go({ kind: 'items' })}>
              ← {t('Back to the list')}
            </button>
          )}
          {view.kind === 'item' && item && item.id === view.id && (
            <ItemDetail
              // A new item is a new component: nothing revealed on one item stays revealed.
              key={item.id}
              id={item.id}
              body={item.body}
              vault={item.vault}
              onMove={() =>
                void go({ kind: 'move', from: item.vault?.id ?? null, keys: [item.id] })
              }
              toast={toast}
              deviceId={state.deviceId}
              onEdit={() => void go({ kind: 'edit', id: item.id, type: item.body.type as 'login' })}
              onChanged={(id) => {
                load();
                if (id) {
                  if (view.kind !== 'item' || view.id !== id) void go({ kind: 'item', id });
                  else loadItem();
                } else {
                  setViewNow({ kind: 'items' });
                  focusList();
                }
              }}
            />
          )}
          {view.kind === 'edit' && (view.id === null || item) && (
            <ItemEditor
              key={view.id ?? `new-${view.type}`}
              id={view.id}
              initial={view.id ? (item?.body ?? null) : null}
              kind={view.type}
              vaultId={
                view.id ? undefined : sharedScope && !sharedScope.readOnly ? sharedScope.id : null
              }
              folders={list.folders}
              onDirty={(d) => {
                dirty.current = d;
              }}
              onSaved={(id) => {
                dirty.current = false;
                setViewNow({ kind: 'item', id });
                load();
                // The same id as the editor's: the item is read again here, not left to a
                // broadcast (the save's came while the editor was still open).
                loadItem();
              }}
              onCancel={() => {
                dirty.current = false;
                setViewNow(view.id ? { kind: 'item', id: view.id } : { kind: 'items' });
              }}
            />
          )}
          {view.kind === 'generator' && <Generator />}
          {view.kind === 'report' && <Report onOpen={(id) => void go({ kind: 'item', id })} />}
          {view.kind === 'transfer' && <Transfer onImported={load} />}
          {view.kind === 'settings' && <Settings state={state} setState={setState} />}
          {view.kind === 'sharing' && (
            <SharingInbox
              onOpenVault={(id) => {
                reloadVaults();
                void go({ kind: 'vault', id });
              }}
              onOpenItem={(id) => void go({ kind: 'item', id })}
            />
          )}
          {view.kind === 'vault' && (
            <VaultManager
              key={view.id}
              vaultId={view.id}
              meEmail={state.email}
              onShowItems={(logins) =>
                void go({ kind: 'items' }, () => {
                  setScope(view.id);
                  setFilter(logins ? { kind: 'type', value: 'login' } : { kind: 'all' });
                })
              }
              onMoveItems={() => void go({ kind: 'move', from: null, keys: [] })}
              onGone={() => {
                reloadVaults();
                setScope(null);
                void go({ kind: 'sharing' });
              }}
            />
          )}
          {view.kind === 'move' && (
            <MoveItems
              key={`${view.from}-${view.keys.join()}`}
              from={view.from}
              initial={view.keys}
              vaults={vaultList?.vaults ?? []}
              onDone={(to) =>
                void go({ kind: 'items' }, () => {
                  setScope(to ?? 'personal');
                  load();
                })
              }
            />
          )}
          {view.kind === 'items' && (
            <p className="muted center">{t('Select an item, or press Alt+N to add one.')}</p>
          )}
        </section>
      </main>
    </div>
  );
}

/** Folders as a tree: "Work/Clients" is "Clients" under "Work" (Bitwarden's convention). */
function folderTree(folders: Array<{ id: string; name: string }>) {
  const names = new Set(folders.map((f) => f.name));
  return [...folders]
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
    .map((f) => {
      const parts = f.name.split('/');
      // The depth counts only ancestors that exist; a missing parent shows the full path.
      let depth = 0;
      let label = f.name;
      for (let i = parts.length - 1; i > 0; i--) {
        if (names.has(parts.slice(0, i).join('/'))) {
          depth = i;
          label = parts.slice(i).join('/');
          break;
        }
      }
      return { ...f, depth, label };
    });
}

const NEW_TYPES: Array<{
  type: View & { kind: 'edit' } extends { type: infer T } ? T : never;
  label: string;
  icon: IconName;
}> = [
  { type: 'login', label: msg('Login'), icon: 'key' },
  { type: 'note', label: msg('Secure note'), icon: 'note' },
  { type: 'card', label: msg('Card'), icon: 'card' },
  { type: 'identity', label: msg('Identity'), icon: 'identity' },
];

/** "+ New": a menu button (WAI-ARIA menu pattern: arrows move, Escape closes, focus returns). */
function NewItemMenu({ onPick }: { onPick: (type: (typeof NEW_TYPES)[number]['type']) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="menu-wrap">
      <button
        ref={button}
        type="button"
        className="primary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="new-item-menu"
        onClick={() => setOpen(!open)}
      >
        + {t('New item')}
      </button>
      {open && (
        <div
          id="new-item-menu"
          ref={menu}
          role="menu"
          aria-label={t('New item')}
          className="dropdown"
          onKeyDown={(e) => {
            const items = [
              ...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []),
            ];
            const at = items.indexOf(document.activeElement as HTMLElement);
            if (e.key === 'Escape') {
              e.preventDefault();
              close();
            } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const n = items.length;
              items[(at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n]?.focus();
            } else if (e.key === 'Tab') setOpen(false);
          }}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget as Node)) setOpen(false);
          }}
        >
          {NEW_TYPES.map((n) => (
            <button
              key={n.type}
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                onPick(n.type);
              }}
            >
              <Icon name={n.icon} /> {t(n.label)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** A folder's actions: rename, add a folder inside, delete (its items stay). */
function FolderMenu({
  name,
  onRename,
  onAdd,
  onDelete,
}: {
  name: string;
  onRename: () => void;
  onAdd: () => void;
  onDelete: () => void;
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) ref.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);
  const pick = (fn: () => void) => () => {
    setOpen(false);
    fn();
  };
  return (
    <div className="menu-wrap folder-menu" ref={ref}>
      <button
        type="button"
        className="icon-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('Folder actions: {name}', { name })}
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open && (
        <div
          role="menu"
          className="dropdown"
          aria-label={t('Folder actions: {name}', { name })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              setOpen(false);
              ref.current?.querySelector<HTMLElement>('button')?.focus();
            }
          }}
          onBlur={(e) => {
            if (!ref.current?.contains(e.relatedTarget as Node)) setOpen(false);
          }}
        >
          <button type="button" role="menuitem" onClick={pick(onRename)}>
            {t('Rename')}
          </button>
          <button type="button" role="menuitem" onClick={pick(onAdd)}>
            {t('New folder inside')}
          </button>
          <button type="button" role="menuitem" className="danger" onClick={pick(onDelete)}>
            {t('Delete folder')}
          </button>
        </div>
      )}
    </div>
  );
}

mount(({ state, setState }) => <Vault state={state} setState={setState} />);
