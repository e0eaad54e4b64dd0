/**
 * `merge`: several face TFRecords -> one, as the Python original's `generate_tfrecord/merge.py`:
 * records interleaved round-robin (`chain(zip_longest(*inputs))`: one from each input in turn,
 * exhausted inputs dropping out), and each input's labels shifted by the sum of
 * (max label + 1) of the inputs before it. Records are rewritten with the six face keys.
 */
import { TFRecordWriter, decodeFaceRecord, encodeFaceRecord, readTFRecords, type TFRecord } from '@ffem/tfrecord';

export interface MergeOptions {
  /** Input face TFRecords, in label-offset order. */
  inputs: string[];
  /**
   * Max label of each input (the original's `--labels 201,305`). When absent they are found by a
   * first pass over the inputs. A record above its input's max label is an error.
   */
  maxLabels?: number[];
  output: string;
  /** After each record: records written, and uncompressed input bytes consumed so far. */
  onProgress?: (written: number, bytesIn: number) => void;
}

export interface MergeInputSummary {
  file: string;
  records: number;
  maxLabel: number;
  /** Added to this input's labels. */
  labelOffset: number;
}

export interface MergeSummary {
  output: string;
  written: number;
  inputs: MergeInputSummary[];
  /** Largest label of the merged file's label space (sum of (max label + 1) - 1). */
  maxLabel: number;
}

/** The largest label in a face TFRecord (-1 when empty). */
export async function maxLabelOf(file: string): Promise<number> {
  let max = -1;
  for await (const r of readTFRecords(file, { reuse: true })) {
    const label = faceAt(file, r).label;
    if (label > max) max = label;
  }
  return max;
}

function faceAt(file: string, r: TFRecord) {
  try {
    return decodeFaceRecord(r.data);
  } catch (e) {
    throw new Error(`${file}: record ${r.index} at offset ${r.offset}: ${(e as Error).message}`);
  }
}

/** Merges face TFRecords; see {@link MergeOptions}. */
export async function mergeTFRecords(opts: MergeOptions): Promise<MergeSummary> {
  const { inputs } = opts;
  if (inputs.length === 0) throw new Error('merge: no input files');
  if (opts.maxLabels && opts.maxLabels.length !== inputs.length) {
    throw new Error(`merge: ${inputs.length} input files but ${opts.maxLabels.length} max labels`);
  }
  const maxLabels = opts.maxLabels ?? (await Promise.all(inputs.map(maxLabelOf)));
  const summaries: MergeInputSummary[] = [];
  let offset = 0;
  inputs.forEach((file, i) => {
    const m = maxLabels[i];
    if (!Number.isInteger(m) || m < -1) throw new Error(`merge: ${file}: max label must be an integer >= -1, got ${m}`);
    summaries.push({ file, records: 0, maxLabel: m, labelOffset: offset });
    offset += m + 1;
  });

  // Each record is re-encoded (copied) before its input is read further: buffers can be recycled.
  const iters = inputs.map((f) => readTFRecords(f, { reuse: true }));
  const writer = await TFRecordWriter.open(opts.output);
  let written = 0;
  let bytesIn = 0;
  try {
    let active = inputs.map((_, i) => i);
    while (active.length > 0) {
      const still: number[] = [];
      for (const i of active) {
        const next = await iters[i].next();
        if (next.done) continue;
        still.push(i);
        const s = summaries[i];
        const face = faceAt(s.file, next.value);
        if (face.label > s.maxLabel) {
          throw new Error(`${s.file}: record ${next.value.index} at offset ${next.value.offset}: label ${face.label} is above the given max label ${s.maxLabel}`);
        }
        await writer.write(encodeFaceRecord({ ...face, label: face.label + s.labelOffset }));
        s.records++;
        written++;
        bytesIn += next.value.data.length + 16;
        opts.onProgress?.(written, bytesIn);
      }
      active = still;
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    await Promise.all(iters.map((it) => it.return?.()));
    throw e;
  }
  return { output: opts.output, written, inputs: summaries, maxLabel: offset - 1 };
}
