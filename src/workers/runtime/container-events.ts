import type { ContainerEvent } from './cri';

/** Retained events; older ones are dropped (a caller asking from before them gets what is retained). */
const RETAIN = 1024;

/**
 * The runtime's container event log for getContainerEvents' long-poll. Sequence numbers start at 1 and
 * increase by one per event for the life of this object.
 */
export class ContainerEventLog {
  private seq = 0;
  private readonly events: Array<{ seq: number; event: ContainerEvent }> = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  push(event: ContainerEvent): void {
    this.events.push({ seq: ++this.seq, event });
    if (this.events.length > RETAIN) this.events.splice(0, this.events.length - RETAIN);
    this.wake();
  }

  /**
   * Resolves as soon as an event after `since` exists, or at close() with none. A `since` beyond the newest
   * sequence number (a caller that knew an earlier runtime on the same disk) is treated as 0.
   */
  async after(since: number): Promise<{ seq: number; events: ContainerEvent[] }> {
    if (since > this.seq) since = 0;
    while (!this.closed && this.seq <= since) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return { seq: this.seq, events: this.events.filter((e) => e.seq > since).map((e) => e.event) };
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}
