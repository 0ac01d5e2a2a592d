import type { Clock } from '../../src/core/cluster/informer';

interface Timer {
  readonly at: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when the test says so. Timers fire from advance(), in the order they are due, so a test
 * checks which waits were scheduled and what happens after them, never how long something took.
 */
export class FakeClock implements Clock {
  private time = Date.UTC(2025, 0, 1);
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();
  /** Every delay ever scheduled, in order (cleared timers included). */
  readonly scheduled: number[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    this.scheduled.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Time left on each timer still waiting, soonest first. */
  get pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing each timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      let due: [number, Timer] | undefined;
      for (const entry of this.timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = target;
  }
}
