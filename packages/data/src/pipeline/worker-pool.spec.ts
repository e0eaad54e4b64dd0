import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './test-shards';
import { WorkerPool } from './worker-pool';

// Plain-JS workers written to a temp folder: an echo worker that answers out of order (random
// delay) and dies on request, and one that cannot start.
const dir = tempDir('ffem-pool-');
const echo = path.join(dir, 'echo.js');
fs.writeFileSync(
  echo,
  `const { parentPort, workerData } = require('worker_threads');
   parentPort.on('message', (m) => {
     if (m.die) process.exit(3);
     setTimeout(() => parentPort.postMessage({ id: m.id, value: m.value * workerData.factor, at: Date.now() }), Math.random() * 10);
   });`,
);
const broken = path.join(dir, 'broken.js');
fs.writeFileSync(broken, `throw new Error('cannot start');`);

type Req = { id: number; value?: number; die?: boolean };
type Res = { id: number; value: number; at?: number };

describe('WorkerPool', () => {
  it('runs many tasks on several workers and matches answers to requests', async () => {
    const pool = new WorkerPool<Req, Res>(echo, 2, { factor: 3 });
    try {
      const res = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.run({ id: i, value: i })));
      expect(res.map((r) => r.value)).toEqual(Array.from({ length: 40 }, (_, i) => 3 * i));
    } finally {
      await pool.close();
    }
  });

  it('keeps workers busy while the main thread is blocked (tasks are handed over at once)', async () => {
    const pool = new WorkerPool<Req, Res>(echo, 2, { factor: 1 });
    try {
      await Promise.all([pool.run({ id: -1, value: 0 }), pool.run({ id: -2, value: 0 })]); // both workers up
      const runs = Array.from({ length: 10 }, (_, i) => pool.run({ id: i, value: i }));
      const blockedUntil = Date.now() + 1500;
      while (Date.now() < blockedUntil); // a synchronous "training step"
      const res = await Promise.all(runs);
      // every task was done by a worker while this thread could not hand out anything
      for (const r of res) expect(r.at).toBeLessThan(blockedUntil);
    } finally {
      await pool.close();
    }
  });

  it('fails the tasks of a worker that dies, replaces it and goes on', async () => {
    const pool = new WorkerPool<Req, Res>(echo, 1, { factor: 1 });
    try {
      await expect(pool.run({ id: 0, value: 1 })).resolves.toMatchObject({ id: 0, value: 1 });
      await expect(pool.run({ id: 1, die: true })).rejects.toThrow(/exited with code 3/);
      await expect(pool.run({ id: 2, value: 5 })).resolves.toMatchObject({ id: 2, value: 5 });
    } finally {
      await pool.close();
    }
  });

  it('gives up when workers cannot start, instead of respawning forever', async () => {
    const pool = new WorkerPool<Req, Res>(broken, 1, {});
    // each start fails; the pool respawns twice per worker, then refuses new work
    for (let i = 0; i < 3; i++) await expect(pool.run({ id: i, value: i })).rejects.toThrow(/cannot start/);
    await expect(pool.run({ id: 9, value: 9 })).rejects.toThrow(/keep failing: cannot start/);
    await pool.close();
  });

  it('rejects work after close', async () => {
    const pool = new WorkerPool<Req, Res>(echo, 1, { factor: 1 });
    await pool.close();
    await expect(pool.run({ id: 1, value: 1 })).rejects.toThrow(/closed/);
  });
});
