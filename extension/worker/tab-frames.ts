// What the worker knows about the frames of each tab, from the autofill content scripts'
// own messages (`sender` is Chrome's word, not the page's): their URL, document and forms. It
// needs no "tabs" or host permission to know which page a tab shows.
import { browser } from 'wxt/browser';
import type { ToContent } from '../autofill/autofill-messages.ts';

export interface Sender {
  tab?: { id?: number };
  frameId?: number;
  documentId?: string;
  url?: string;
}

export interface Frame {
  tabId: number;
  frameId: number;
  documentId?: string;
  url: string;
  kinds: string[];
  focusedAt: number | null;
}

const frames = new Map<number, Map<number, Frame>>();

export const framesOf = (tabId: number): Frame[] => [...(frames.get(tabId)?.values() ?? [])];
export const forgetFrames = (tabId: number) => frames.delete(tabId);

export function remember(
  sender: Required<Pick<Sender, 'frameId' | 'url'>> & Sender,
  tabId: number,
  patch: Partial<Frame>,
) {
  const tab = frames.get(tabId) ?? new Map<number, Frame>();
  frames.set(tabId, tab);
  const old = tab.get(sender.frameId);
  const frame: Frame = {
    kinds: [],
    focusedAt: null,
    ...(old?.documentId === sender.documentId ? old : {}),
    tabId,
    frameId: sender.frameId,
    documentId: sender.documentId,
    url: sender.url,
    ...patch,
  };
  tab.set(sender.frameId, frame);
  return frame;
}

/** The page a tab shows (its top frame's URL, asked of its content script if not yet known);
 * null when no content script runs there. */
export async function tabUrl(tabId: number): Promise<string | null> {
  const known = frames.get(tabId)?.get(0);
  if (known) return known.url;
  const answer = (await browser.tabs
    .sendMessage(tabId, { type: 'cofre:location' } satisfies ToContent, { frameId: 0 })
    .catch(() => null)) as { url?: string } | null;
  return typeof answer?.url === 'string' && answer.url ? answer.url : null;
}

/** The URL of the page a frame is in ('' when unknown, which counts as another origin). */
export const topUrlOf = async (frame: Frame): Promise<string> =>
  frame.frameId === 0 ? frame.url : ((await tabUrl(frame.tabId)) ?? '');
