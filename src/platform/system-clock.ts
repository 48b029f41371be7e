import type { Clock } from '../api/clock';

/**
 * The real clock for Workers, the page and Node. With speed > 1 cluster time runs faster than wall time
 * (tutorials show a 5-minute eviction in seconds); `epoch` anchors cluster time so every Worker agrees.
 */
export function systemClock(speed = 1, epoch = { wall: Date.now(), cluster: Date.now() }): Clock {
  const now = () => epoch.cluster + (Date.now() - epoch.wall) * speed;
  return {
    speed,
    now,
    after(ms, fn) {
      const h = setTimeout(fn, Math.max(0, ms / speed));
      return { dispose: () => clearTimeout(h) };
    },
    every(ms, fn) {
      const h = setInterval(fn, Math.max(1, ms / speed));
      return { dispose: () => clearInterval(h) };
    },
    sleep(ms) {
      return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / speed)));
    },
  };
}
