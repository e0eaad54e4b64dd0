/**
 * The training input pipeline: TFRecord shards -> shuffled, augmented float32 batches (the
 * Python FFEM's `make_tfdataset`, github.com/shi510/ffem train/input_pipeline.py).
 *
 * Main thread: read the shards (interleaved), shuffle (buffer), hand records to the worker pool,
 * put results back in order and assemble batches. Workers: parse, decode, crop, augment.
 * At most `max(prefetch * batchSize, 8 * workers)` records are in flight at once (backpressure:
 * nothing more is read while they are), plus the shuffle buffer, so memory stays bounded.
 * Every record's randomness is seeded from (seed, epoch, its stream index) and the shuffle from
 * (seed, epoch), so the same seed gives the same batches whatever the scheduling.
 */
import * as os from 'os';
import * as path from 'path';
import { resolveAugment, type AugmentOptions } from '../augment/augment-options';
import { mixSeed, Rng } from '../rng';
import { interleaveRecords, type StreamRecord } from './interleave';
import { runRecordTask, type RecordResult, type RecordTask, type RecordTaskConfig } from './record-task';
import { shuffleBuffer } from './shuffle-buffer';
import { WorkerPool } from './worker-pool';

/** One batch, ready for `tf.tensor4d(images, [size, height, width, 3])`. */
export interface Batch {
  /** [size, height, width, 3] row-major, RGB in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
  size: number;
  height: number;
  width: number;
}

export interface PipelineOptions {
  /** TFRecord shards of face records (read round-robin). */
  files: string[];
  batchSize: number;
  /** Output height (default 112). */
  height?: number;
  /** Output width (default 112). */
  width?: number;
  /** Training transforms: true = the original's, an object overrides some, false/absent = test transform. */
  augment?: boolean | Partial<AugmentOptions>;
  /** Shuffle with a buffer (default true). */
  shuffle?: boolean;
  /** Shuffle buffer size in records (default 10000, the original's). */
  shuffleBuffer?: number;
  /** Seed of all randomness (default: random, see `Pipeline.seed`). */
  seed?: number;
  /** Worker threads (default os.cpus().length; 0 = run on the main thread). */
  workers?: number;
  /** Drop the last, smaller batch of an epoch (default false). */
  dropRemainder?: boolean;
  /** Batches prepared ahead of the consumer (default 2). */
  prefetch?: number;
  /** Skip records with corrupt framing/CRC instead of failing (default false). */
  skipCorruptRecords?: boolean;
  /** Receives one line per skipped record (default: `warning: ...` on stderr). */
  onWarning?: (message: string) => void;
  /** Warnings given before the rest are only counted (default 20). */
  maxWarnings?: number;
}

/** Counters since the pipeline was created; times are summed over records, in ms. */
export interface PipelineStats {
  /** Records delivered in batches. */
  records: number;
  /** Records read from the files (delivered, skipped, in flight, in the shuffle buffer, or passed over by startBatch). */
  read: number;
  /** Records skipped (bad Example, undecodable image, corrupt framing). */
  skipped: number;
  skippedReasons: Record<string, number>;
  /** Time per stage: read (main, records from disk incl. shuffle), parse/decode/crop/augment (workers, summed), assemble (main). */
  stageMs: { read: number; parse: number; decode: number; crop: number; augment: number; assemble: number };
}

export interface Pipeline {
  /** The seed in use (the given one, or the random one drawn at creation). */
  readonly seed: number;
  /**
   * Batches of one epoch: every (good) record exactly once. `startBatch` resumes mid-epoch: the
   * records of the first startBatch batches are read but not decoded, and the rest equals the
   * tail of the full epoch. Exact as long as the skipped part holds no undecodable record that
   * this pipeline has not met yet (records found bad are remembered for the pipeline's life).
   */
  epoch(epoch: number, opts?: { startBatch?: number }): AsyncIterableIterator<Batch>;
  stats(): PipelineStats;
  /** Stops the workers. */
  close(): Promise<void>;
}

const WORKER_FILE = path.join(__dirname, 'pipeline-worker.js');

function positiveInt(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= min)) throw new Error(`pipeline: ${name} must be an integer >= ${min}, got ${v}`);
}

export function createPipeline(opts: PipelineOptions): Pipeline {
  if (!Array.isArray(opts.files) || opts.files.length === 0) throw new Error('pipeline: files: need at least one TFRecord file');
  positiveInt('batchSize', opts.batchSize, 1);
  if (opts.batchSize === undefined) throw new Error('pipeline: batchSize is required');
  positiveInt('height', opts.height, 1);
  positiveInt('width', opts.width, 1);
  positiveInt('shuffleBuffer', opts.shuffleBuffer, 1);
  positiveInt('workers', opts.workers, 0);
  positiveInt('prefetch', opts.prefetch, 1);
  positiveInt('maxWarnings', opts.maxWarnings, 0);
  if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed)) throw new Error(`pipeline: seed must be an integer, got ${opts.seed}`);

  const cfg: RecordTaskConfig = { height: opts.height ?? 112, width: opts.width ?? 112, augment: resolveAugment(opts.augment) };
  const batchSize = opts.batchSize;
  const shuffle = opts.shuffle ?? true;
  const bufferSize = opts.shuffleBuffer ?? 10000;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 32);
  const nWorkers = opts.workers ?? os.cpus().length;
  const prefetch = opts.prefetch ?? 2;
  const window = Math.max(prefetch * batchSize, 8 * nWorkers, 1);
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  const pixels = cfg.height * cfg.width * 3;

  const st: PipelineStats = {
    records: 0,
    read: 0,
    skipped: 0,
    skippedReasons: {},
    stageMs: { read: 0, parse: 0, decode: 0, crop: 0, augment: 0, assemble: 0 },
  };
  /** Stream index -> reason of records found bad in this process (so a resumed epoch skips the same ones). */
  const knownBad = new Map<number, string>();
  let pool: WorkerPool<RecordTask, RecordResult> | null = null;
  let closed = false;
  let taskId = 0;

  const count = (reason: string) => {
    st.skipped++;
    st.skippedReasons[reason] = (st.skippedReasons[reason] ?? 0) + 1;
  };
  const maxWarnings = opts.maxWarnings ?? 20;
  let warned = 0;
  const skip = (reason: string, message: string) => {
    count(reason);
    if (warned < maxWarnings) warn(`${message} (skipped)`);
    else if (warned === maxWarnings) warn(`more records skipped; further ones are only counted (Pipeline.stats())`);
    warned++;
  };

  const run = (rec: StreamRecord, epochSeed: number): Promise<RecordResult> => {
    const record = new Uint8Array(rec.data); // own buffer, moved to the worker
    const task: RecordTask = { id: taskId++, record, seed: mixSeed(seed, epochSeed, rec.index) };
    if (nWorkers === 0) return runRecordTask(task, cfg);
    pool ??= new WorkerPool<RecordTask, RecordResult>(WORKER_FILE, nWorkers, cfg);
    return pool.run(task, [record.buffer as ArrayBuffer]);
  };

  async function* epoch(e: number, eopts: { startBatch?: number } = {}): AsyncGenerator<Batch> {
    if (closed) throw new Error('pipeline: closed');
    if (!Number.isSafeInteger(e)) throw new Error(`pipeline: epoch must be an integer, got ${e}`);
    const startBatch = eopts.startBatch ?? 0;
    positiveInt('startBatch', startBatch, 0);
    let toSkip = startBatch * batchSize;

    const stream = interleaveRecords(opts.files, {
      skipCorrupt: opts.skipCorruptRecords,
      onCorrupt: (err) => skip('corrupt-record', err.message),
    });
    const ordered = shuffle ? shuffleBuffer(stream, bufferSize, new Rng(mixSeed(seed, e, -1))) : stream;
    const it = ordered[Symbol.asyncIterator]();
    const inflight: { rec: StreamRecord; result: Promise<RecordResult> }[] = [];
    let head = 0;
    let exhausted = false;

    const fill = async () => {
      while (!exhausted && inflight.length - head < window) {
        const t0 = performance.now();
        const r = await it.next();
        st.stageMs.read += performance.now() - t0;
        if (r.done) {
          exhausted = true;
          break;
        }
        st.read++;
        const bad = knownBad.get(r.value.index);
        if (bad !== undefined) {
          count(bad); // warned about once, counted every epoch
          continue;
        }
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        const result = run(r.value, e);
        result.catch(() => undefined); // awaited in order below; avoid unhandled rejections meanwhile
        inflight.push({ rec: r.value, result });
      }
    };

    let images = new Float32Array(batchSize * pixels);
    let labels = new Int32Array(batchSize);
    let n = 0;
    try {
      for (;;) {
        await fill();
        if (head === inflight.length) break;
        const { rec, result } = inflight[head];
        inflight[head++] = undefined as never;
        if (head > 4096) {
          inflight.splice(0, head);
          head = 0;
        }
        const res = await result;
        st.stageMs.parse += res.times.parse;
        st.stageMs.decode += res.times.decode;
        st.stageMs.crop += res.times.crop;
        st.stageMs.augment += res.times.augment;
        if (!res.ok) {
          knownBad.set(rec.index, res.reason);
          skip(res.reason, `${rec.file}: record ${rec.fileIndex} (offset ${rec.offset}): ${res.message}`);
          continue;
        }
        const t0 = performance.now();
        images.set(res.image, n * pixels);
        labels[n] = res.label;
        n++;
        st.records++;
        st.stageMs.assemble += performance.now() - t0;
        if (n === batchSize) {
          yield { images, labels, size: n, height: cfg.height, width: cfg.width };
          images = new Float32Array(batchSize * pixels);
          labels = new Int32Array(batchSize);
          n = 0;
        }
      }
      if (n > 0 && !(opts.dropRemainder ?? false)) {
        yield { images: images.slice(0, n * pixels), labels: labels.slice(0, n), size: n, height: cfg.height, width: cfg.width };
      }
    } finally {
      await it.return?.(undefined);
    }
  }

  return {
    seed,
    epoch,
    stats: () => ({ ...st, skippedReasons: { ...st.skippedReasons }, stageMs: { ...st.stageMs } }),
    close: async () => {
      closed = true;
      await pool?.close();
      pool = null;
    },
  };
}
