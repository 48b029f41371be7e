import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { OVERSCAN, ROW_HEIGHT, WINDOW_THRESHOLD, visibleRange, type Range } from './visible-range';

// One shared check per animation frame for every mounted windowed list: all reads (getBoundingClientRect)
// happen before any state update, so a frame costs at most one layout however many lists there are.
const checks = new Set<() => void>();
let frame: number | undefined;
function scheduleCheck(): void {
  frame ??= requestAnimationFrame(() => {
    frame = undefined;
    for (const check of [...checks]) check();
  });
}
function track(check: () => void): () => void {
  if (checks.size === 0) {
    // scroll does not bubble: a capturing listener on document sees every scroll container's scrolls.
    document.addEventListener('scroll', scheduleCheck, { capture: true, passive: true });
    window.addEventListener('resize', scheduleCheck, { passive: true });
  }
  checks.add(check);
  scheduleCheck();
  return () => {
    checks.delete(check);
    if (checks.size > 0) return;
    document.removeEventListener('scroll', scheduleCheck, { capture: true });
    window.removeEventListener('resize', scheduleCheck);
    if (frame !== undefined) cancelAnimationFrame(frame);
    frame = undefined;
  };
}

/**
 * A `<ul>` of `items` that, above WINDOW_THRESHOLD rows, renders only the rows in (or near) the viewport: the
 * list keeps its full height (count × ROW_HEIGHT) and offsets the rendered rows with padding, so scrolling and
 * the page's total height behave as if every row were there. Re-checks its range on any scroll, resize, and
 * after each render (rows above it may have grown or shrunk). `renderRow` must return a `<li>` with a key.
 */
export function WindowedList<T>(props: { items: readonly T[]; className: string; renderRow: (item: T) => ReactNode }) {
  const { items } = props;
  const windowed = items.length > WINDOW_THRESHOLD;
  const ref = useRef<HTMLUListElement>(null);
  const [range, setRange] = useState<Range>({ start: 0, end: Math.min(items.length, WINDOW_THRESHOLD + OVERSCAN) });
  const countRef = useRef(items.length);
  countRef.current = items.length;
  useLayoutEffect(() => {
    if (!windowed) return;
    return track(() => {
      const el = ref.current;
      if (!el) return;
      const next = visibleRange(el.getBoundingClientRect().top, countRef.current, window.innerHeight);
      setRange((cur) => (cur.start === next.start && cur.end === next.end ? cur : next));
    });
  }, [windowed]);
  // After every render: the list may have moved (content above it changed) or changed length.
  useLayoutEffect(() => {
    if (windowed) scheduleCheck();
  });
  if (!windowed) return <ul className={props.className}>{items.map(props.renderRow)}</ul>;
  const end = Math.min(range.end, items.length);
  const start = Math.min(range.start, end);
  return (
    <ul
      ref={ref}
      className={`${props.className} windowed`}
      data-rows={items.length}
      style={{ height: items.length * ROW_HEIGHT, paddingTop: start * ROW_HEIGHT }}
    >
      {items.slice(start, end).map(props.renderRow)}
    </ul>
  );
}
