/**
 * A fixed pool of worker threads running request/response tasks. A task is posted to the least
 * busy worker at once (workers queue it themselves), so workers keep busy even while the main
 * thread is blocked, e.g. by a synchronous training step; the caller bounds how many tasks are in
 * flight. Workers keep the process alive only while they have work. A crashed worker fails its
 * tasks and is replaced; after repeated crashes the pool gives up.
 */
import { Worker } from 'worker_threads';

interface Slot {
  worker: Worker;
  busy: number;
}

interface Pending<Res> {
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
  slot: Slot;
}

export class WorkerPool<Req extends { id: number }, Res extends { id: number }> {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending<Res>>();
  private closed = false;
  private broken: Error | null = null;
  private crashes = 0;

  constructor(
    private readonly file: string,
    readonly size: number,
    private readonly workerData: unknown,
  ) {
    if (!(Number.isInteger(size) && size >= 1)) throw new Error(`WorkerPool: size must be an integer >= 1, got ${size}`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.file, { workerData: this.workerData });
    worker.unref();
    const slot: Slot = { worker, busy: 0 };
    worker.on('message', (res: Res) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (--slot.busy === 0) worker.unref();
      p.resolve(res);
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(slot, new Error(`pipeline worker exited with code ${code}`));
    });
    return slot;
  }

  private fail(slot: Slot, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.slot === slot) {
        this.pending.delete(id);
        p.reject(err);
      }
    }
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    void slot.worker.terminate();
    if (++this.crashes > 2 * this.size) {
      // Workers keep dying (e.g. cannot even start): stop respawning.
      this.closed = true;
      this.broken = new Error(`pipeline workers keep failing: ${err.message}`);
      for (const s of this.slots) void s.worker.terminate();
      return;
    }
    this.slots[i] = this.spawn();
  }

  /** Runs one task; `transfer` lists buffers moved (not copied) to the worker. */
  run(req: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(this.broken ?? new Error('WorkerPool: closed'));
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    return new Promise<Res>((resolve, reject) => {
      if (slot.busy++ === 0) slot.worker.ref();
      this.pending.set(req.id, { resolve, reject, slot });
      slot.worker.postMessage(req, transfer);
    });
  }

  /** Stops every worker; tasks still pending are rejected. */
  async close(): Promise<void> {
    if (this.closed && !this.broken) return;
    this.closed = true;
    for (const [, p] of this.pending) p.reject(new Error('WorkerPool: closed'));
    this.pending.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
