/**
 * Worker-thread side of the pipeline: queues the record tasks the main thread posts and runs at
 * most CONCURRENCY at a time (one can wait on the JPEG decoder while another crops).
 */
import sharp from 'sharp';
import { parentPort, workerData } from 'worker_threads';
import { runRecordTask, type RecordResult, type RecordTask, type RecordTaskConfig } from './record-task';

const CONCURRENCY = 2;
const cfg = workerData as RecordTaskConfig;
if (!parentPort) throw new Error('pipeline-worker-main: must run in a worker thread');
const port = parentPort;
// No libvips operation cache: every record is new, and the cache would only hold memory.
sharp.cache(false);

const queue: RecordTask[] = [];
let active = 0;

function send(res: RecordResult): void {
  port.postMessage(res, res.ok ? [res.image.buffer as ArrayBuffer] : []);
}

function pump(): void {
  while (active < CONCURRENCY && queue.length > 0) {
    const task = queue.shift()!;
    active++;
    runRecordTask(task, cfg)
      .then(send, (err: Error) =>
        send({
          id: task.id,
          ok: false,
          reason: 'transform-error',
          message: `unexpected: ${err.message}`,
          times: { parse: 0, decode: 0, crop: 0, augment: 0 },
        }),
      )
      .finally(() => {
        active--;
        pump();
      });
  }
}

port.on('message', (task: RecordTask) => {
  queue.push(task);
  pump();
});
