// The toolbar popup, keyboard-first: the current site's items first, instant search over all
// items, copy username / password / TOTP, and the sync state at a glance.
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { browser } from 'wxt/browser';
import type { AppState, FillQuestion, ItemSummary, Responses } from '../../messages.ts';
import { call, changedSinceLoad, messageOf, useWorkerEvents } from '../../ui/api.ts';
import {
  copySecret,
  FillQuestionPanel,
  ItemRow,
  SyncBadge,
  TrustNotice,
  UnlockPanel,
} from '../../ui/components.tsx';
import { DEFAULT_PASSWORD, generatePassword } from '../../ui/generator.ts';
import { useT } from '../../ui/i18n.ts';
import { Icon } from '../../ui/icons.tsx';
import { mount } from '../../ui/page-shell.tsx';
import { VirtualList } from '../../ui/virtual-list.tsx';

const openVault = (hash = '') => {
  void browser.tabs.create({ url: `/vault.html${hash}` });
  window.close();
};

// Asked for as the popup loads, before React mounts: the tab it is about, then the first list
// for that tab (the worker answers it if the vault is unlocked; if not, the unlocked view asks
// again once it mounts). The page mounts once both are in (page-shell.tsx), and its first
// render shows the rows.
const tabAtOpen: Promise<number | null> = browser.windows
  .getLastFocused({ windowTypes: ['normal'] })
  .then((win) => browser.tabs.query({ active: true, windowId: win.id }))
  .then(([tab]) => tab?.id ?? null)
  .catch(() => null);
let firstList: Promise<Responses['listItems']> | null = tabAtOpen.then((tabId) =>
  call({ type: 'listItems', query: '', tabId, limit: 100 }),
);
firstList.catch(() => {});
/** What had arrived by the first render. */
const atOpen: { tabId?: number | null; list?: Responses['listItems'] } = {};
const openData = Promise.all([
  tabAtOpen.then((tabId) => {
    atOpen.tabId = tabId;
  }),
  firstList.then(
    (list) => {
      atOpen.list = list;
    },
    () => {},
  ),
]);
/** The prefetched first list, once; asked again if it failed (the vault was locked). */
function takeFirstList(tabId: number | null) {
  const list = firstList;
  firstList = null;
  return (
    list?.then(
      (r) => r,
      () => call({ type: 'listItems', query: '', tabId, limit: 100 }),
    ) ?? null
  );
}

function Popup({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  if (state.phase === 'setup')
    return (
      <main className="popup-setup">
        <h1>Cofre</h1>
        <p>{t('Set up Cofre to keep your passwords safe and in sync.')}</p>
        <button type="button" className="primary" onClick={() => openVault()}>
          {t('Get started')}
        </button>
      </main>
    );
  if (state.phase === 'locked')
    return (
      <main className="popup-locked">
        <UnlockPanel state={state} onDone={setState} />
      </main>
    );
  return <Unlocked state={state} setState={setState} />;
}

function Unlocked({ state, setState }: { state: AppState; setState: (s: AppState) => void }) {
  const t = useT();
  /** The query of the rows shown (the search box itself is the browser's: see type()). */
  const [query, setQuery] = useState('');
  // The first list, if it came before the first render and nothing changed since.
  const [shown] = useState(() => (firstList && !changedSinceLoad() ? (atOpen.list ?? null) : null));
  const [items, setItems] = useState<ItemSummary[]>(shown?.items ?? []);
  const [site, setSite] = useState<ItemSummary[]>(shown?.siteMatches ?? []);
  const [total, setTotal] = useState(shown?.total ?? 0);
  const [selected, setSelected] = useState(0);
  const [notice, setNotice] = useState('');
  // undefined until the tab is known: the first list waits for it rather than reorder later.
  const [tabId, setTabId] = useState<number | null | undefined>(atOpen.tabId);
  const [question, setQuestion] = useState<{ item: ItemSummary; q: FillQuestion } | null>(null);
  const search = useRef<HTMLInputElement>(null);

  // The tab this popup is about: the active tab of the last focused normal window (so a popup
  // detached into its own window still knows). Its page comes from the content script.
  useEffect(() => {
    void tabAtOpen.then(setTabId);
  }, []);

  /** The query typed last, and a count of the lists asked for (only the newest answer shows). */
  const typed = useRef('');
  const asked = useRef(0);
  const ask = useCallback(
    (q: string) => {
      if (tabId === undefined) return;
      const n = ++asked.current;
      const first = !q ? takeFirstList(tabId) : null;
      (first ?? call({ type: 'listItems', query: q, tabId, limit: 100 })).then(
        (r) => {
          if (n !== asked.current) return; // a later keystroke's answer is on its way
          setQuery(q);
          setItems(r.items);
          setSite(q ? [] : r.siteMatches);
          setTotal(r.total);
          setSelected(0);
        },
        () => {},
      );
    },
    [tabId],
  );
  const load = useCallback(() => ask(typed.current), [ask]);
  // The first list already shown is not asked again (an edit since is announced by an event).
  const first = useRef(!!shown);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      firstList = null; // taken: a later empty query asks afresh
    } else load();
  }, [load]);
  useWorkerEvents(load, 'items');
  /**
   * A keystroke asks at once, from its handler (an effect would ask only after a render), and
   * renders nothing until the answer: the search box is left to the browser (uncontrolled), so
   * the popup renders once per keystroke, with the new rows, not once before them as well.
   */
  const type = (q: string) => {
    typed.current = q;
    ask(q);
  };
  const clear = () => {
    if (search.current) search.current.value = '';
    type('');
  };

  const rows = [...site, ...items.filter((i) => !site.some((s) => s.id === i.id))];
  const flash = (s: string) => {
    setNotice(s);
    setTimeout(() => setNotice(''), 2_500);
  };

  async function copy(item: ItemSummary, what: 'username' | 'password' | 'totp') {
    try {
      if (what === 'totp') {
        await copySecret((await call({ type: 'totp', id: item.id })).code);
      } else {
        const { body } = await call({ type: 'getItem', id: item.id });
        const value =
          body.type === 'login'
            ? body[what]
            : body.type === 'card' && what === 'password'
              ? (body.number ?? '')
              : '';
        if (!value) return flash(t('Nothing to copy'));
        await copySecret(value);
      }
      flash(t('Copied — clears in 30 s'));
    } catch (e) {
      flash(t(messageOf(e)));
    }
  }

  /** Fills the login into the page (the worker picks the frame and checks it matches). */
  async function fill(item: ItemSummary, confirmed = false) {
    if (tabId == null) return;
    try {
      const result = await call({ type: 'fillTab', tabId, id: item.id, confirmed });
      if ('ask' in result) setQuestion({ item, q: result });
      else if ('filled' in result) window.close();
      else flash(t('Nothing was filled on this page.'));
    } catch (e) {
      flash(t(messageOf(e)));
    }
  }

  async function generate() {
    const { value } = generatePassword(DEFAULT_PASSWORD);
    await copySecret(value);
    await call({ type: 'rememberGenerated', value, site: null, itemName: null }).catch(() => {});
    flash(t('New password copied — clears in 30 s'));
  }

  function onKey(e: KeyboardEvent) {
    const item = rows[selected];
    if (e.key === 'ArrowDown') setSelected((s) => Math.min(s + 1, rows.length - 1));
    else if (e.key === 'ArrowUp') setSelected((s) => Math.max(s - 1, 0));
    else if (e.key === 'Enter' && item) void copy(item, e.shiftKey ? 'username' : 'password');
    else if (e.altKey && e.key.toLowerCase() === 't' && item) void copy(item, 'totp');
    else if (e.altKey && e.key.toLowerCase() === 'f' && item && site.includes(item))
      void fill(item);
    else if (e.altKey && e.key.toLowerCase() === 'o' && item) openVault(`#item=${item.id}`);
    else if (e.altKey && e.key.toLowerCase() === 'n') openVault('#new');
    else if (e.altKey && e.key.toLowerCase() === 'g') void generate();
    else if (e.altKey && e.key.toLowerCase() === 'l') void call({ type: 'lock' }).then(setState);
    else if (e.key === 'Escape' && typed.current) clear();
    else return;
    e.preventDefault();
  }

  return (
    <main className="popup-main" onKeyDown={onKey}>
      <h1 className="sr-only">Cofre</h1>
      <header className="popup-head">
        <input
          ref={search}
          type="search"
          autoFocus
          placeholder={t('Search {n, plural, one {# item} other {# items}}', {
            n: state.itemCount,
          })}
          aria-label={t('Search')}
          defaultValue=""
          onChange={(e) => type(e.target.value)}
        />
        <button
          type="button"
          title={t('Add item (Alt+N)')}
          aria-label={t('Add item (Alt+N)')}
          onClick={() => openVault('#new')}
        >
          <Icon name="plus" />
        </button>
        <button
          type="button"
          title={t('Generate a password (Alt+G)')}
          aria-label={t('Generate a password (Alt+G)')}
          onClick={() => void generate()}
        >
          <Icon name="dice" />
        </button>
        <button
          type="button"
          title={t('Lock (Alt+L)')}
          aria-label={t('Lock (Alt+L)')}
          data-testid="lock"
          onClick={() => void call({ type: 'lock' }).then(setState)}
        >
          <Icon name="lock" />
        </button>
      </header>
      {question && (
        <FillQuestionPanel
          className="fill-question"
          q={question.q}
          onFill={() => void fill(question.item, true)}
          onCancel={() => setQuestion(null)}
        />
      )}
      {site.length > 0 && <h3 className="section">{t('For this site')}</h3>}
      <VirtualList
        topKey={query}
        count={rows.length}
        rowAt={(i) => rows[i]}
        scrollClass="popup-list"
        label={t('Items')}
        selected={selected}
        renderRow={(item, i, placement) => (
          <ItemRow
            key={item.id}
            item={item}
            placement={placement}
            selected={i === selected}
            onOpen={() => openVault(`#item=${item.id}`)}
            actions={
              <span className="row-actions">
                {item.type === 'login' && (
                  <>
                    {tabId != null && site.includes(item) && (
                      <button
                        type="button"
                        className="fill"
                        title={t('Fill (Alt+F)')}
                        aria-label={t('Fill (Alt+F)')}
                        onClick={() => void fill(item)}
                      >
                        {t('Fill')}
                      </button>
                    )}
                    <button
                      type="button"
                      title={t('Copy username')}
                      aria-label={t('Copy username')}
                      onClick={() => void copy(item, 'username')}
                    >
                      <Icon name="user" />
                    </button>
                    <button
                      type="button"
                      title={t('Copy password')}
                      aria-label={t('Copy password')}
                      data-testid="copy-password"
                      onClick={() => void copy(item, 'password')}
                    >
                      <Icon name="key" />
                    </button>
                  </>
                )}
                {item.hasTotp && (
                  <button
                    type="button"
                    title={t('Copy TOTP')}
                    aria-label={t('Copy TOTP')}
                    onClick={() => void copy(item, 'totp')}
                  >
                    <Icon name="clock" />
                  </button>
                )}
              </span>
            }
          />
        )}
      />
      {rows.length === 0 && (
        <p className="empty">{query ? t('No items match.') : t('Your vault is empty.')}</p>
      )}
      {total > items.length && (
        <p className="muted small">
          {t('Showing {a} of {b}: refine the search.', { a: items.length, b: total })}
        </p>
      )}
      <footer className="popup-foot">
        <SyncBadge state={state} />
        {notice && (
          <span className="notice" role="status">
            {notice}
          </span>
        )}
        <button type="button" className="link" onClick={() => openVault()}>
          {t('Open vault')}
        </button>
      </footer>
      <TrustNotice state={state} />
      <p className="hint">
        {t('↑↓ select · Alt+F fill · Enter copy password · Shift+Enter username · Alt+T code')}
      </p>
    </main>
  );
}

mount(({ state, setState }) => <Popup state={state} setState={setState} />, { before: openData });
