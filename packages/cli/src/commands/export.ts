import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { initBackend, type BackendChoice } from '@ffem/backend';
import { exportModelDir, type VerifyResult } from '@ffem/export';
import { progressBar } from '../progress';

interface ExportFlags {
  model: string;
  output: string;
  verify?: boolean;
  verifyImages?: string;
  nchw?: boolean;
  foldBn?: boolean;
  quantize?: 'int8';
  opset: number;
  backend: BackendChoice;
}

const STAGES = ['load', 'convert', 'verify: random inputs', 'verify: face crops', 'write'];

function line(what: string, r: VerifyResult): string {
  return `${what}: ${r.samples} samples, max abs diff ${r.maxAbsDiff.toExponential(3)}, relative ${r.relMaxDiff.toExponential(3)}, min cosine ${r.minCosine.toFixed(7)}`;
}

export function register(program: Command): void {
  program
    .command('export')
    .description('export a saved inference model (tfjs layers format) to ONNX, optionally verified against tfjs')
    .requiredOption('--model <dir>', 'folder with model.json + weights.bin (a saved inference model)')
    .requiredOption('--output <file>', 'ONNX file to write (atomically)')
    .option('--verify', 'compare with tfjs through onnxruntime on random inputs and face crops; fail if cosine < 0.99999 or relative max diff > 1e-4')
    .option('--verify-images <dir>', 'face images for --verify (a folder with image_list.json boxes, or any images: centre crops)')
    .option('--nchw', 'take NCHW input [batch, 3, H, W] instead of NHWC [batch, H, W, 3]')
    .option('--fold-bn', 'fold batch norms into the preceding convolution / dense layer')
    .option('--quantize <kind>', "weight-only quantization: 'int8' (reports size and cosine vs fp32)", (v: string) => {
      if (v !== 'int8') throw new InvalidArgumentError(`--quantize must be 'int8', got '${v}'`);
      return v as 'int8';
    })
    .option('--opset <n>', 'ONNX opset (13..17)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 13 || n > 17) throw new InvalidArgumentError(`--opset must be an integer in 13..17, got '${v}'`);
      return n;
    }, 17)
    .option('--backend <name>', 'tfjs backend for loading/verifying: auto, wasm, cpu, tensorflow', 'auto')
    .action(async (o: ExportFlags) => {
      await initBackend(o.backend);
      const bar = progressBar('export', STAGES.length, '{stage}');
      const r = await exportModelDir(o.model, o.output, {
        nchw: o.nchw,
        foldBn: o.foldBn,
        quantize: o.quantize,
        opset: o.opset,
        verify: o.verify,
        verifyImages: o.verifyImages,
        onStage: (s) => bar.update(STAGES.indexOf(s), { stage: s }),
      }).finally(() => bar.stop());
      const out = process.stdout;
      out.write(`wrote ${r.output}: ${r.fileBytes} bytes, ${r.nodes} nodes, input ${r.metadata.input_layout} ${r.metadata.input_size}, embedding ${r.metadata.embedding_size}\n`);
      if (o.foldBn) out.write(`fold-bn: ${r.foldedBatchNorms} batch norms folded\n`);
      if (r.quantized) {
        const q = r.quantized;
        out.write(`quantize int8: ${q.tensors} weight tensors, ${q.bytesBefore} -> ${q.bytesAfter} bytes (${((100 * q.bytesAfter) / Math.max(1, q.bytesBefore)).toFixed(1)}%)\n`);
      }
      if (r.verify) {
        const vs = r.quantized ? ' (int8 vs fp32 tfjs)' : '';
        out.write(`${line(`verify random${vs}`, r.verify.random)}\n`);
        if (r.verify.images) out.write(`${line(`verify face crops${vs}`, r.verify.images)}\n`);
        else out.write('verify face crops: skipped (give --verify-images DIR)\n');
        out.write(r.quantized ? 'verify: reported (int8 exports are not held to the fp32 limits)\n' : 'verify: ok\n');
      }
    });
}
