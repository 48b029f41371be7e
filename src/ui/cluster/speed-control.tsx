import { useEffect, useState } from 'react';

const SPEEDS = [1, 10, 60];

/**
 * The cluster clock's speed (1×, 10×, 60×): every component's timers (heartbeats, back-offs, grace
 * periods, CronJobs, the 40 s node-failure grace) run that much faster. Goes through
 * window.tabernetes.setSpeed, so the console and the control stay in step.
 */
export function SpeedControl(props: { disabled: boolean }) {
  const [speed, setSpeed] = useState(1);
  useEffect(() => {
    const onChange = (e: Event) => setSpeed((e as CustomEvent<number>).detail);
    window.addEventListener('tabernetes:speed', onChange);
    return () => window.removeEventListener('tabernetes:speed', onChange);
  }, []);
  return (
    <label className="speed-control muted" title="How fast cluster time runs">
      clock{' '}
      <select data-testid="speed" value={speed} disabled={props.disabled} onChange={(e) => void window.tabernetes.setSpeed(Number(e.target.value))}>
        {[...new Set([...SPEEDS, speed])].sort((a, b) => a - b).map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
    </label>
  );
}
