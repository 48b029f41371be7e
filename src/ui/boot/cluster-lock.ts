/**
 * One tab runs the control plane (Web Locks leader election on "tabernetes-cluster"). Another tab can
 * ask to take over: the leader is told over a BroadcastChannel, stops every Worker (so it writes
 * nothing more), and only then releases the lock; the Web Lock hands it to the waiting tab. No state
 * is ever written by two leaders, because the new leader boots only inside the granted lock.
 */
const NAME = 'tabernetes-cluster';

export class ClusterLock {
  private release?: () => void;
  private readonly channel = new BroadcastChannel(NAME);

  /** Tries to become the leader without waiting; true when this tab now holds the lock. */
  tryAcquire(): Promise<boolean> {
    return new Promise((resolve) => {
      void navigator.locks.request(NAME, { ifAvailable: true }, (lock) => {
        if (!lock) return resolve(false), undefined;
        resolve(true);
        return new Promise<void>((r) => (this.release = r));
      });
    });
  }

  /** Asks the current leader to stop and waits until this tab holds the lock. */
  takeOver(): Promise<void> {
    return new Promise((resolve) => {
      void navigator.locks.request(NAME, () => {
        resolve();
        return new Promise<void>((r) => (this.release = r));
      });
      this.channel.postMessage({ type: 'takeover' });
    });
  }

  /**
   * While leading: when another tab asks, runs stop() (which must end every write), then releases the
   * lock and calls moved(). Returns a disposer.
   */
  onTakeover(stop: () => Promise<void> | void, moved: () => void): () => void {
    const handler = async (ev: MessageEvent<{ type?: string }>) => {
      if (ev.data?.type !== 'takeover' || !this.release) return;
      try {
        await stop();
      } finally {
        const release = this.release;
        this.release = undefined;
        release?.();
        moved();
      }
    };
    this.channel.addEventListener('message', handler);
    return () => this.channel.removeEventListener('message', handler);
  }
}
