// How pages talk to the worker: a typed call, and a hook that keeps the app state fresh (the
// worker broadcasts when it changes: sync progress, lock, a new item from another device).
import { useCallback, useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { msg } from '../../shared/i18n-msg.ts';
import { STATE_CHANGED, type StateChanged } from '../events.ts';
import type { Answer, AppState, Request, Responses, Settings } from '../messages.ts';

export class UiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly about?: { userId: string; email: string },
  ) {
    super(message);
  }
}

export async function call<T extends Request['type']>(
  req: Extract<Request, { type: T }>,
): Promise<Responses[T]> {
  const answer = (await browser.runtime.sendMessage(req)) as Answer<Responses[T]> | undefined;
  if (!answer) throw new UiError('NO_ANSWER', 'The extension did not answer. Try again.');
  if (!answer.ok) throw new UiError(answer.error.code, answer.error.message, answer.error.about);
  return answer.data;
}

/**
 * Runs `fn` whenever the worker says the state changed; with `only: 'items'`, only when items,
 * vaults or notices did (what lists show), not for a sync's status or a count alone.
 */
export function useWorkerEvents(fn: () => void, only?: 'items') {
  useEffect(() => {
    const listener = (msg: unknown) => {
      const m = msg as Partial<StateChanged> | null;
      if (m?.type === STATE_CHANGED && (only !== 'items' || m.items !== false)) fn();
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  }, [fn, only]);
}

/**
 * The state, asked for once ahead of the first render (a page calls this at load): the answer
 * is on its way while React mounts instead of after.
 */
let early: Promise<AppState> | null = null;
/** Whether the worker said the state changed after the early ask (its answer may be older). */
let changedSinceEarly = false;
/** Whether what the page asked for at load may be older than the worker's state now. */
export const changedSinceLoad = () => changedSinceEarly;
export function prefetchAppState(): Promise<AppState> {
  early = call({ type: 'getState' });
  early.catch(() => {});
  browser.runtime.onMessage.addListener((m: unknown) => {
    if ((m as Partial<StateChanged> | null)?.type !== STATE_CHANGED) return;
    // The early answer may predate the change: the first refresh asks again.
    changedSinceEarly = true;
    early = null;
  });
  return early;
}

/** The app state, kept fresh; `initial` is a state the page already has (no first ask). */
export function useAppState(initial: AppState | null = null) {
  const [state, setState] = useState<AppState | null>(initial);
  const refresh = useCallback(() => {
    const answer = early ?? call({ type: 'getState' });
    early = null;
    answer.then(setState, () => {});
  }, []);
  useEffect(() => {
    // A state already shown is asked again only if it changed since (else it renders twice).
    if (initial && !changedSinceEarly) early = null;
    else refresh();
  }, [refresh, initial]);
  useWorkerEvents(refresh);
  return [state, setState, refresh] as const;
}

/**
 * Saves settings and draws the state the worker answers. A save that fails draws the page's
 * state again, which puts a control the person clicked back to the saved value (the pages'
 * renderer, Preact, leaves it as clicked until it draws the element again), then fails.
 */
export async function saveSettings(
  settings: Partial<Settings>,
  state: AppState,
  setState: (s: AppState) => void,
) {
  try {
    setState(await call({ type: 'saveSettings', settings }));
  } catch (e) {
    setState({ ...state });
    throw e;
  }
}

export const messageOf = (e: unknown) =>
  e instanceof Error && e.message ? e.message : msg('Something went wrong. Try again.');
