// Item lists of any length: only the rows in view (and a margin) are in the page, and the vault
// page fetches its rows from the worker a page at a time as the person scrolls, so 100,000
// items cost what 30 do. Rows keep their list semantics for assistive technology (each says its
// position in the whole list), and the keyboard walks the whole list, not just what is drawn.
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import type { ItemSummary, Request, Responses } from '../messages.ts';
import { call } from './api.ts';

/**
 * Every row's height in px (style.css fixes it): rows are placed by arithmetic, never measured,
 * so drawing a list forces no layout reads.
 */
const ROW_HEIGHT = 46;
const OVERSCAN = 8;

/** What a row needs to sit in the list: spread it on its <li>. */
export interface RowPlacement {
  'data-index': number;
  'aria-setsize': number;
  'aria-posinset': number;
  style: CSSProperties;
}

export interface VirtualListHandle {
  /** Scrolls row `index` into view and focuses its first control once it is drawn. */
  focusRow(index: number): void;
}

export function VirtualList({
  count,
  rowAt,
  renderRow,
  label,
  handle,
  onRange,
  scrollClass = 'list-scroll',
  selected,
  topKey,
}: {
  count: number;
  /** The row's item, or undefined while its page is on its way (a placeholder is drawn). */
  rowAt: (index: number) => ItemSummary | undefined;
  renderRow: (item: ItemSummary, index: number, placement: RowPlacement) => ReactNode;
  label?: string;
  handle?: RefObject<VirtualListHandle | null>;
  /** The rows drawn now (first, last), so their pages can be fetched. */
  onRange?: (first: number, last: number) => void;
  /** The class of the element that scrolls (the list is all it holds). */
  scrollClass?: string;
  /** A row kept in view (the popup's keyboard selection). */
  selected?: number;
  /** When this changes (a new question), the list is a new one: back at its top, rows kept. */
  topKey?: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const v = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });

  const rows = v.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows.at(-1)?.index ?? -1;
  useEffect(() => {
    if (last >= 0) onRange?.(first, last);
  }, [first, last, onRange]);

  // The selection kept in view when it moves (not on every new list: a list whose question
  // changed is a new list, drawn from its top, see `topKey`).
  const shownSelection = useRef(selected ?? 0);
  const shownTop = useRef(topKey);
  useEffect(() => {
    if (topKey === shownTop.current) return;
    shownTop.current = topKey;
    shownSelection.current = 0;
    v.scrollToOffset(0);
  }, [topKey, v]);
  useEffect(() => {
    if (selected === undefined || selected === shownSelection.current) return;
    shownSelection.current = selected;
    if (selected >= 0 && selected < count) v.scrollToIndex(selected);
  }, [selected, count, v]);

  // A row asked to be focused before it was drawn takes the focus when it is.
  const wantFocus = useRef<number | null>(null);
  const focusIfWanted = () => {
    const i = wantFocus.current;
    if (i === null) return;
    const el = listRef.current?.querySelector<HTMLElement>(
      `[data-index="${i}"] button, [data-index="${i}"] [tabindex]`,
    );
    if (el?.closest('[data-testid=item-row]')) {
      wantFocus.current = null;
      el.focus({ preventScroll: true });
    }
  };
  useEffect(focusIfWanted);
  if (handle)
    handle.current = {
      focusRow(index: number) {
        if (count === 0) return;
        wantFocus.current = Math.max(0, Math.min(index, count - 1));
        v.scrollToIndex(wantFocus.current, { align: 'auto' });
        // A drawn row (the next one, usually) takes the focus now, so a key pressed right after
        // moves on from it; one not drawn yet takes it once it is.
        focusIfWanted();
        if (wantFocus.current !== null) requestAnimationFrame(focusIfWanted);
      },
    };

  return (
    <div className={scrollClass} ref={scrollRef}>
      <ul
        ref={listRef}
        className="item-list virtual"
        aria-label={label}
        style={{ height: v.getTotalSize(), position: 'relative' }}
      >
        {rows.map((r) => {
          const item = rowAt(r.index);
          const style: CSSProperties = {
            position: 'absolute',
            top: 0,
            left: 0,
            right: 0,
            height: ROW_HEIGHT,
            transform: `translateY(${r.start}px)`,
          };
          if (!item)
            return (
              <li
                key={`wait-${r.index}`}
                className="item-row waiting"
                aria-hidden="true"
                data-index={r.index}
                style={style}
              />
            );
          return renderRow(item, r.index, {
            'data-index': r.index,
            'aria-setsize': count,
            'aria-posinset': r.index + 1,
            style,
          });
        })}
      </ul>
    </div>
  );
}

const PAGE = 100;
type ListRequest = Omit<Extract<Request, { type: 'listItems' }>, 'type' | 'offset' | 'limit'>;
type ListAnswer = Responses['listItems'];

/**
 * The rows of a list too long to ask for at once: the first page when the question changes, the
 * others as they scroll into view, all of them again (those already held) when the vault
 * changes. What is shown stays until the new answer is in, so nothing blinks.
 */
export function useItemPages(question: ListRequest, onError: (e: unknown) => void) {
  const key = JSON.stringify(question);
  const [view, setView] = useState<{
    key: string;
    total: number;
    folders: ListAnswer['folders'];
    pages: Map<number, ItemSummary[]>;
  } | null>(null);
  const held = useRef(view);
  held.current = view;
  /** The rows drawn last, so a reload asks again only for the pages around them. */
  const drawn = useRef<[number, number]>([0, 0]);
  const asking = useRef(new Set<string>());
  const generation = useRef(0);
  const ask = useCallback(
    (page: number) =>
      call({
        type: 'listItems',
        ...(JSON.parse(key) as ListRequest),
        offset: page * PAGE,
        limit: PAGE,
      }),
    [key],
  );

  /** Asks again for page 0 and the pages in view, and shows them together. */
  const reload = useCallback(() => {
    const gen = ++generation.current;
    asking.current.clear();
    const pages = new Set([0]);
    if (held.current?.key === key)
      for (
        let p = Math.floor(drawn.current[0] / PAGE);
        p <= Math.floor(drawn.current[1] / PAGE);
        p++
      )
        pages.add(p);
    Promise.all([...pages].map((p) => ask(p).then((a) => [p, a] as const))).then((answers) => {
      if (gen !== generation.current) return;
      const first = answers[0]![1];
      setView({
        key,
        total: first.total,
        folders: first.folders,
        pages: new Map(answers.map(([p, a]) => [p, a.items])),
      });
    }, onError);
  }, [key, ask, onError]);
  useEffect(reload, [reload]);

  const onRange = useCallback(
    (first: number, last: number) => {
      drawn.current = [first, last];
      if (!view || view.key !== key) return;
      for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) {
        const tag = `${key}#${p}`;
        if (view.pages.has(p) || asking.current.has(tag)) continue;
        asking.current.add(tag);
        const gen = generation.current;
        ask(p).then((a) => {
          asking.current.delete(tag);
          if (gen !== generation.current) return;
          setView((v) =>
            v && v.key === key
              ? { ...v, total: a.total, pages: new Map(v.pages).set(p, a.items) }
              : v,
          );
        }, onError);
      }
    },
    [view, key, ask, onError],
  );

  const rowAt = useCallback(
    (i: number) => view?.pages.get(Math.floor(i / PAGE))?.[i % PAGE],
    [view],
  );
  return {
    /** null until the first answer. */
    total: view ? view.total : null,
    /** The answer shown is for the question asked (false while a new one is on its way). */
    current: view?.key === key,
    folders: view?.folders ?? [],
    rowAt,
    onRange,
    reload,
  };
}
