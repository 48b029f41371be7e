/** Every windowed row is exactly this tall (styles.css `.pods.windowed li`); the range maths depends on it. */
export const ROW_HEIGHT = 20;
/** Lists of at most this many rows render every row (small clusters keep every pod in the DOM). */
export const WINDOW_THRESHOLD = 30;
/** Rows rendered beyond each edge of the viewport, so a scroll of a few rows never shows a blank. */
export const OVERSCAN = 10;

export type Range = { start: number; end: number };

/**
 * The rows [start, end) of a list whose top edge is `top` px from the viewport's top and which has `count`
 * rows of `rowHeight`, that intersect the viewport (height `viewport`) widened by `overscan` rows each side.
 * Empty (start = end) when the list is entirely off screen.
 */
export function visibleRange(top: number, count: number, viewport: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): Range {
  const clamp = (x: number) => Math.max(0, Math.min(count, x));
  const start = clamp(Math.floor(-top / rowHeight) - overscan);
  const end = clamp(Math.ceil((viewport - top) / rowHeight) + overscan);
  return end > start ? { start, end } : { start: 0, end: 0 };
}
