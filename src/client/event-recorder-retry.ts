import type { Clock } from '../api/clock';
import type { Disposable } from '../api/disposable';
import type { IdSource } from '../api/ids';
import { ApiError } from '../api/status';

/** client-go record and events: maxTriesPerEvent, the attempts at one event write before it is dropped. */
export const EVENT_MAX_TRIES = 12;
/** client-go record and events: defaultSleepDuration, the sleep between two attempts. */
export const EVENT_RETRY_SLEEP_MS = 10_000;
/** client-go record and events: maxQueuedEvents; the broadcaster drops events beyond it (DropIfChannelFull). */
export const EVENT_MAX_QUEUED = 1000;

/** The sleep before retry number `tries` (1-based), given r uniform in [0, 1). */
export type RetryDelay = (tries: number, r: number) => number;
/** tools/record: the first sleep is randomized over [0, 10 s) (clients not synced up after an apiserver outage), later ones are 10 s. */
export const CORE_RETRY_DELAY: RetryDelay = (tries, r) => (tries === 1 ? EVENT_RETRY_SLEEP_MS * r : EVENT_RETRY_SLEEP_MS);
/** tools/events: every sleep is wait.Jitter(10 s, 0.25), in [10 s, 12.5 s). */
export const V1_RETRY_DELAY: RetryDelay = (_tries, r) => EVENT_RETRY_SLEEP_MS * (1 + 0.25 * r);

/** A write's outcome, as client-go's recordEvent triages its error. */
export type WriteFailure = { retry: boolean; quiet: boolean };

/**
 * recordEvent's triage: an answer of the server (ApiError, client-go's StatusError) is final, never retried
 * (the event is malformed or refused); anything else (the transport failed, the apiserver is unreachable) is
 * retried. `quiet` marks the rejections client-go logs only at V(5): AlreadyExists, and a NamespaceTerminating
 * cause. `retryAlreadyExists` is tools/events' exception: a series whose PATCH found nothing and whose create
 * then met AlreadyExists was created meanwhile, so the next attempt PATCHes it.
 */
export function triageWriteError(err: unknown, retryAlreadyExists = false): WriteFailure {
  if (!(err instanceof ApiError)) return { retry: true, quiet: false };
  if (err.code === 409 && err.reason === 'AlreadyExists') return { retry: retryAlreadyExists, quiet: true };
  const terminating = err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
  return { retry: false, quiet: terminating };
}

export interface EventWriteRetrier extends Disposable {
  /**
   * Runs attempt until it resolves (→ 'written'), it fails in a way `triage` says is final (→ 'abandoned'), or
   * EVENT_MAX_TRIES attempts failed (→ 'exhausted'), sleeping `delay` of cluster time between attempts (jitter
   * from the IdSource). Never rejects. Each failure is reported to onFailure first. Once disposed (client-go:
   * the broadcaster shut down) a sleeping write ends at once (→ 'stopped') and no write sleeps again.
   */
  run(
    attempt: () => Promise<void>,
    triage: (err: unknown) => WriteFailure,
    delay: RetryDelay,
    onFailure: (err: unknown, f: WriteFailure) => void,
  ): Promise<'written' | 'abandoned' | 'exhausted' | 'stopped'>;
}

export function createEventWriteRetrier(clock: Clock, ids: IdSource): EventWriteRetrier {
  let disposed = false;
  const sleeping = new Set<{ timer: Disposable; wake: () => void }>();

  const random = () => {
    const [a, b, c] = ids.bytes(3);
    return ((a << 16) | (b << 8) | c) / 0x1000000;
  };

  /** Resolves true after ms of cluster time, false at once when disposed meanwhile. */
  const sleep = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const s = {
        timer: clock.after(ms, () => {
          sleeping.delete(s);
          resolve(true);
        }),
        wake: () => resolve(false),
      };
      sleeping.add(s);
    });

  return {
    async run(attempt, triage, delay, onFailure) {
      for (let tries = 1; ; tries++) {
        try {
          await attempt();
          return 'written';
        } catch (err) {
          const f = triage(err);
          onFailure(err, f);
          if (!f.retry) return 'abandoned';
          if (tries >= EVENT_MAX_TRIES) return 'exhausted';
          if (disposed || !(await sleep(delay(tries, random())))) return 'stopped';
        }
      }
    },
    dispose() {
      disposed = true;
      for (const s of sleeping) {
        s.timer.dispose();
        s.wake();
      }
      sleeping.clear();
    },
  };
}
