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
export function useVisibilityGuard(
  onHidden: () => void,
): (e: { isTrusted: boolean }) => string | null {
  const visibleSince = useRef<number | null>(null);
  const supported = useRef(true);
  const hidden = useRef(onHidden);
  hidden.current = onHidden;
  useEffect(() => {
    let settled: ReturnType<typeof setTimeout> | undefined;
    const io = new IntersectionObserver(
      (entries) => {
        const e = entries.at(-1) as VisibilityEntry | undefined;
        if (!e) return;
        if (e.isVisible === undefined) {
          supported.current = false;
          document.body.dataset.visible = 'true';
          return;
        }
        clearTimeout(settled);
        if (!e.isVisible) {
          // Was visible, now covered, faded or moved off: nothing here should stay clickable.
          if (visibleSince.current !== null) hidden.current();
          visibleSince.current = null;
          delete document.body.dataset.visible;
        } else {
          visibleSince.current ??= performance.now();
          // Marks the moment clicks start to count (tests wait for it; the page cannot see it).
          settled = setTimeout(() => {
            document.body.dataset.visible = 'true';
          }, VISIBLE_FOR_MS);
        }
      },
      { threshold: [1], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    // A fixed sentinel exactly the frame's viewport: what the person sees of this frame.
    const sentinel = document.createElement('div');
    sentinel.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483647';
    document.body.append(sentinel);
    io.observe(sentinel);
    return () => {
      clearTimeout(settled);
      io.disconnect();
      sentinel.remove();
    };
  }, []);
  return (e) => {
    if (!e.isTrusted) return 'untrusted';
    if (!supported.current) return null; // the content script's own checks still apply
    const since = visibleSince.current;
    if (since === null) return 'not-visible';
    return performance.now() - since < VISIBLE_FOR_MS ? 'just-shown' : null;
  };
}
