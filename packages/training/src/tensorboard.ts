/**
 * TensorBoard scalars without TensorFlow: an event file is a TFRecord file (framing from
 * @ffem/tfrecord) of `tensorflow.Event` protos, encoded here by hand:
 *
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5;
 *             SessionLog session_log = 7; }
 *   SessionLog { SessionStatus status = 1; }   (START = 1)
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; float simple_value = 2; }
 *
 * The file is `events.out.tfevents.<secs>.<host>`; its first event carries file_version
 * "brain.Event:2". Records are appended as they come (not renamed at the end) so that a running
 * `tensorboard --logdir` sees them; a killed process leaves at most a truncated last record, which
 * TensorBoard skips. Each session (a run, and each resumption) starts with a SessionLog START at its
 * first new step; TensorBoard takes the second and later STARTs as restarts and drops the events an
 * interrupted session wrote at or after that step (work redone).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { frameRecord, readTFRecords } from '@ffem/tfrecord';

export interface ScalarValue {
  tag: string;
  value: number;
}

export interface TbEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars?: ScalarValue[];
  /** A SessionLog with status START. */
  sessionStart?: boolean;
}

// ---- protobuf wire format (just what Event needs) ----------------------------------------------

class ProtoWriter {
  private parts: Buffer[] = [];

  private varint(v: bigint): void {
    const bytes: number[] = [];
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      bytes.push(b);
    } while (x !== 0n);
    this.parts.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.parts.push(b);
  }

  int64(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(BigInt(Math.trunc(v)));
  }

  bytes(field: number, v: Uint8Array): void {
    this.tag(field, 2);
    this.varint(BigInt(v.length));
    this.parts.push(Buffer.from(v));
  }

  string(field: number, v: string): void {
    this.bytes(field, Buffer.from(v, 'utf8'));
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Encodes one Event proto. */
export function encodeEvent(e: TbEvent): Buffer {
  const w = new ProtoWriter();
  w.double(1, e.wallTime);
  if (e.step !== 0) w.int64(2, e.step);
  if (e.fileVersion !== undefined) w.string(3, e.fileVersion);
  if (e.scalars && e.scalars.length > 0) {
    const summary = new ProtoWriter();
    for (const s of e.scalars) {
      const value = new ProtoWriter();
      value.string(1, s.tag);
      value.float(2, s.value);
      summary.bytes(1, value.finish());
    }
    w.bytes(5, summary.finish());
  }
  if (e.sessionStart) {
    const log = new ProtoWriter();
    log.int64(1, 1);
    w.bytes(7, log.finish());
  }
  return w.finish();
}

class ProtoReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error(`event proto: offset ${this.pos}: truncated varint`);
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }

  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new Error(`event proto: offset ${this.pos}: field runs past the end`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a field header; returns [field, wireType]. */
  key(): [number, number] {
    const k = Number(this.varint());
    return [k >>> 3, k & 7];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.take(8);
    else if (wire === 2) this.take(Number(this.varint()));
    else if (wire === 5) this.take(4);
    else throw new Error(`event proto: offset ${this.pos}: unsupported wire type ${wire}`);
  }
}

/** Decodes the Event fields this module writes (others are skipped). */
export function decodeEvent(buf: Buffer): TbEvent {
  const r = new ProtoReader(buf);
  const e: TbEvent = { wallTime: 0, step: 0 };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 1) e.wallTime = r.take(8).readDoubleLE(0);
    else if (field === 2 && wire === 0) e.step = Number(BigInt.asIntN(64, r.varint()));
    else if (field === 3 && wire === 2) e.fileVersion = r.take(Number(r.varint())).toString('utf8');
    else if (field === 5 && wire === 2) {
      const s = new ProtoReader(r.take(Number(r.varint())));
      e.scalars = [];
      while (!s.done) {
        const [sf, sw] = s.key();
        if (sf !== 1 || sw !== 2) {
          s.skip(sw);
          continue;
        }
        const v = new ProtoReader(s.take(Number(s.varint())));
        const sv: ScalarValue = { tag: '', value: NaN };
        while (!v.done) {
          const [vf, vw] = v.key();
          if (vf === 1 && vw === 2) sv.tag = v.take(Number(v.varint())).toString('utf8');
          else if (vf === 2 && vw === 5) sv.value = v.take(4).readFloatLE(0);
          else v.skip(vw);
        }
        e.scalars.push(sv);
      }
    } else if (field === 7 && wire === 2) {
      const log = new ProtoReader(r.take(Number(r.varint())));
      while (!log.done) {
        const [lf, lw] = log.key();
        if (lf === 1 && lw === 0) e.sessionStart = log.varint() === 1n;
        else log.skip(lw);
      }
    } else r.skip(wire);
  }
  return e;
}

/** Appends scalar events to one event file in `logdir`. */
export class TensorBoardWriter {
  readonly file: string;
  private fd: number;

  constructor(logdir: string, opts: { now?: () => number } = {}) {
    this.now = opts.now ?? (() => Date.now() / 1000);
    fs.mkdirSync(logdir, { recursive: true });
    const wall = this.now();
    // Two writers started in the same second (a resumed run) must not share a file.
    let name = `events.out.tfevents.${Math.floor(wall)}.${os.hostname()}`;
    for (let i = 1; fs.existsSync(path.join(logdir, name)); i++) name = `events.out.tfevents.${Math.floor(wall)}.${os.hostname()}.${i}`;
    this.file = path.join(logdir, name);
    this.fd = fs.openSync(this.file, 'a');
    this.append({ wallTime: wall, step: 0, fileVersion: 'brain.Event:2' });
  }

  private readonly now: () => number;

  private append(e: TbEvent): void {
    fs.writeSync(this.fd, frameRecord(encodeEvent(e)));
  }

  /** Writes scalars at `step` (one event). Non-finite values are written as they are. */
  scalars(step: number, values: Record<string, number>): void {
    const scalars = Object.entries(values).map(([tag, value]) => ({ tag, value }));
    if (scalars.length) this.append({ wallTime: this.now(), step, scalars });
  }

  /** Marks a (re)start at `step`: TensorBoard drops earlier-written events at steps >= `step`. */
  sessionStart(step: number): void {
    this.append({ wallTime: this.now(), step, sessionStart: true });
  }

  /** Flushes to disk (so TensorBoard sees it even if the process is killed). */
  flush(): void {
    fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd < 0) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** Reads every event of an event file (test and inspection helper). */
export async function readEvents(file: string): Promise<TbEvent[]> {
  const out: TbEvent[] = [];
  for await (const rec of readTFRecords(file, { compression: 'none' })) out.push(decodeEvent(rec.data));
  return out;
}
