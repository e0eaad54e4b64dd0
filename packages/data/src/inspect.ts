/**
 * `inspect`: what a TFRecord file holds: records, bytes, feature keys with their types and value
 * counts, the label range (of an int64 `label` key), and CRC status (every record is checked and
 * corrupt ones are counted rather than ending the scan).
 */
import * as fs from 'fs';
import { type Compression, decodeExample, readTFRecords, resolveCompression, type TFRecordCorruptError } from '@ffem/tfrecord';

export type FeatureType = 'bytes' | 'float' | 'int64';

export interface FeatureStats {
  /** Types seen for this key (one, unless records disagree). */
  types: FeatureType[];
  /** Records that have this key. */
  records: number;
  /** Fewest / most values in one record. */
  minValues: number;
  maxValues: number;
}

export interface InspectReport {
  file: string;
  compression: Compression;
  /** Size on disk. */
  fileBytes: number;
  /** Good records. */
  records: number;
  /** Payload bytes of the good records (framing excluded, uncompressed). */
  payloadBytes: number;
  features: Record<string, FeatureStats>;
  /** From a one-value int64 `label` feature, when records have one. */
  label: { min: number; max: number; distinct: number } | null;
  /** Good records that are not a `tf.train.Example`. */
  notExamples: number;
  crc: { ok: boolean; corrupt: number; errors: string[] };
}

/** Scans a TFRecord file; corrupt records are counted (first 10 messages kept), never thrown. */
export async function inspectTFRecord(file: string, onProgress?: (records: number) => void): Promise<InspectReport> {
  const stat = await fs.promises.stat(file);
  const report: InspectReport = {
    file,
    compression: resolveCompression(file),
    fileBytes: stat.size,
    records: 0,
    payloadBytes: 0,
    features: {},
    label: null,
    notExamples: 0,
    crc: { ok: true, corrupt: 0, errors: [] },
  };
  const onCorrupt = (e: TFRecordCorruptError) => {
    report.crc.ok = false;
    report.crc.corrupt++;
    if (report.crc.errors.length < 10) report.crc.errors.push(e.message);
  };
  const labels = new Set<number>();
  let min = Infinity;
  let max = -Infinity;
  for await (const r of readTFRecords(file, { skipCorrupt: true, onCorrupt, reuse: true })) {
    report.records++;
    report.payloadBytes += r.data.length;
    onProgress?.(report.records);
    let ex;
    try {
      ex = decodeExample(r.data);
    } catch {
      report.notExamples++;
      continue;
    }
    for (const [k, f] of Object.entries(ex)) {
      const type: FeatureType = 'bytesList' in f ? 'bytes' : 'floatList' in f ? 'float' : 'int64';
      const n = 'bytesList' in f ? f.bytesList.length : 'floatList' in f ? f.floatList.length : f.int64List.length;
      const s = (report.features[k] ??= { types: [], records: 0, minValues: n, maxValues: n });
      if (!s.types.includes(type)) s.types.push(type);
      s.records++;
      s.minValues = Math.min(s.minValues, n);
      s.maxValues = Math.max(s.maxValues, n);
      if (k === 'label' && 'int64List' in f && f.int64List.length === 1) {
        const v = Number(f.int64List[0]);
        labels.add(v);
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  if (labels.size > 0) report.label = { min, max, distinct: labels.size };
  return report;
}

function mb(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n.toLocaleString('en-US')} bytes`;
}

/** A human-readable report. */
export function formatInspectReport(r: InspectReport): string {
  const lines = [
    `${r.file}`,
    `  compression  ${r.compression}`,
    `  records      ${r.records.toLocaleString('en-US')}`,
    `  bytes        ${mb(r.fileBytes)} on disk, ${mb(r.payloadBytes)} of payload`,
  ];
  const keys = Object.keys(r.features).sort();
  if (keys.length) {
    lines.push('  features');
    const w = Math.max(...keys.map((k) => k.length));
    for (const k of keys) {
      const s = r.features[k];
      const count = s.minValues === s.maxValues ? `${s.minValues}` : `${s.minValues}..${s.maxValues}`;
      const missing = s.records < r.records - r.notExamples ? `, in ${s.records} records` : '';
      lines.push(`    ${k.padEnd(w)}  ${s.types.join('|')} x ${count}${missing}`);
    }
  }
  if (r.label) lines.push(`  labels       ${r.label.min}..${r.label.max} (${r.label.distinct} distinct)`);
  if (r.notExamples) lines.push(`  not Examples ${r.notExamples}`);
  lines.push(`  CRC          ${r.crc.ok ? 'ok' : `${r.crc.corrupt} corrupt record(s)`}`);
  for (const e of r.crc.errors) lines.push(`    ${e}`);
  return lines.join('\n') + '\n';
}
