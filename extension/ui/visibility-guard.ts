// Clickjacking defence inside the framed menu and prompt: a click counts only when it is a real
// (trusted) event and the frame has been fully visible — not covered, not transparent, not
// transformed — for a moment before it. IntersectionObserver v2 (`trackVisibility`) measures
// that from inside the frame, whatever the embedding page did to its ancestors.
import { useEffect, useRef } from 'react';

export const VISIBLE_FOR_MS = 500;

interface VisibilityEntry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

/** Returns a check: null when a click may be acted on, else why not. */
export function useVisibilityGuard(): (e: { isTrusted: boolean }) => string | null {
  const visibleSince = useRef<number | null>(null);
  const supported = useRef(true);
  useEffect(() => {
    const io = new IntersectionObserver(
      (entries) => {
        const e = entries.at(-1) as VisibilityEntry | undefined;
        if (!e) return;
        if (e.isVisible === undefined) {
          supported.current = false;
          return;
        }
        if (!e.isVisible) visibleSince.current = null;
        else visibleSince.current ??= performance.now();
      },
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    io.observe(document.body);
    return () => io.disconnect();
  }, []);
  return (e) => {
    if (!e.isTrusted) return 'untrusted';
    if (!supported.current) return null; // the content script's own checks still apply
    const since = visibleSince.current;
    if (since === null) return 'not-visible';
    return performance.now() - since < VISIBLE_FOR_MS ? 'just-shown' : null;
  };
}
