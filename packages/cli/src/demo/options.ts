/**
 * The demo's flags and their defaults. Defaults were measured on a 2-core CPU (see the README's
 * results table): 480 synthetic faces, a tiny ResNet at 48 px, 12 epochs under a 10-minute training budget.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { intListOption, intOption } from '../options';

export interface DemoOptions {
  /** A real folder with images and `image_list.json`; absent: synthetic faces. */
  data?: string;
  /** Everything the demo writes goes here (replaced when it holds an earlier demo's output). */
  out: string;
  /** Synthetic set: identities, images per identity, image side, seed. */
  identities: number;
  imagesPerIdentity: number;
  size: number;
  seed: number;
  /** Split: fraction of identities for the test set, and for the validation set (model selection). */
  testFraction: number;
  valFraction: number;
  /** Identities with fewer images are left out; at most this many identities / images each. */
  minImages: number;
  maxIdentities?: number;
  maxImagesPerIdentity?: number;
  /** Training: model input side, backbone and its widths, embedding size, head, schedule. */
  inputSize: number;
  backbone: string;
  widths: number[];
  embeddingDim: number;
  loss: string;
  /** Logit scale and margin of the head (margin heads; SoftmaxCenter takes only the scale). */
  scale: number;
  margin: number;
  /** The data package's training augmentation (crops, flips, colour). */
  augment: boolean;
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  epochs: number;
  batchSize: number;
  lr: number;
  /** Training stops at the next step boundary after this many minutes (0: no limit). */
  minutes: number;
  /** Decode workers of the input pipeline. */
  workers: number;
}

/** What `npm run demo` does without flags. */
export const DEMO_DEFAULTS: DemoOptions = {
  out: 'demo-output',
  identities: 60,
  imagesPerIdentity: 8,
  size: 112,
  seed: 0,
  testFraction: 0.2,
  valFraction: 0.1,
  minImages: 2,
  inputSize: 48,
  backbone: 'tiny',
  widths: [16, 32, 64],
  embeddingDim: 128,
  loss: 'AngularMargin',
  scale: 20,
  margin: 0.1,
  augment: false,
  optimizer: 'Adam',
  epochs: 12,
  batchSize: 16,
  lr: 3e-3,
  minutes: 10,
  workers: 1,
};

function numberOption(flag: string, min: number, max = Infinity): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a number in [${min}, ${max}], got '${v}'`);
    return n;
  };
}

function positive(flag: string): (v: string) => number {
  const parse = intOption(flag);
  return (v) => {
    const n = parse(v);
    if (n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer, got '${v}'`);
    return n;
  };
}

/** The demo's command line (commander: `--help` lists every flag with its default). */
export function demoProgram(): Command {
  const d = DEMO_DEFAULTS;
  return new Command('npm run demo --')
    .description(
      'the main job: synthetic faces (or --data DIR) -> identity-disjoint split -> generate-tfrecord -> train -> ' +
        'export --verify -> evaluate, beside the same model untrained',
    )
    .option('--data <dir>', 'a real folder with images and image_list.json (default: synthetic faces)')
    .option('--out <dir>', 'output folder', d.out)
    .option('--identities <n>', 'synthetic identities', positive('--identities'), d.identities)
    .option('--images-per-identity <m>', 'synthetic images per identity', positive('--images-per-identity'), d.imagesPerIdentity)
    .option('--size <px>', 'synthetic image side', positive('--size'), d.size)
    .option('--seed <s>', 'seed of the data, the split and the weights', intOption('--seed'), d.seed)
    .option('--test-fraction <f>', 'fraction of identities held out for the test', numberOption('--test-fraction', 0.01, 0.9), d.testFraction)
    .option('--val-fraction <f>', 'fraction of identities held out for model selection (0: none)', numberOption('--val-fraction', 0, 0.5), d.valFraction)
    .option('--min-images <n>', 'leave out identities with fewer images', positive('--min-images'), d.minImages)
    .option('--max-identities <n>', 'use at most this many identities', positive('--max-identities'))
    .option('--max-images-per-identity <n>', 'use at most this many images per identity', positive('--max-images-per-identity'))
    .option('--input-size <px>', 'model input side', positive('--input-size'), d.inputSize)
    .option('--backbone <name>', 'backbone (tiny, resnet18, resnet34, resnet50v2)', d.backbone)
    .option('--widths <list>', "channels per stage of the 'tiny' backbone", intListOption('--widths'), d.widths)
    .option('--embedding-dim <d>', 'embedding size', positive('--embedding-dim'), d.embeddingDim)
    .option('--loss <name>', 'head / loss (SoftmaxCenter, AngularMargin, CosFace, ...)', d.loss)
    .option('--scale <s>', 'logit scale of the head', numberOption('--scale', 1, 128), d.scale)
    .option('--margin <m>', 'margin of the margin heads (AngularMargin: radians)', numberOption('--margin', 0, 1.5), d.margin)
    .option('--augment', 'augment training images (random crops, flips, colour)', d.augment)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(['SGD', 'Adam', 'AdamW']).default(d.optimizer))
    .option('--epochs <n>', 'training epochs', positive('--epochs'), d.epochs)
    .option('--batch-size <n>', 'training batch size', positive('--batch-size'), d.batchSize)
    .option('--lr <x>', 'learning rate', numberOption('--lr', 1e-7, 10), d.lr)
    .option('--minutes <n>', 'training time budget; 0 = none', numberOption('--minutes', 0), d.minutes)
    .option('--workers <n>', 'decode workers of the input pipeline', intOption('--workers'), d.workers)
    .exitOverride();
}

/** Parses the demo's arguments (without the node/script names). Throws CommanderError on bad flags and --help. */
export function parseDemoArgs(argv: string[]): DemoOptions {
  const program = demoProgram();
  program.parse(argv, { from: 'user' });
  return { ...DEMO_DEFAULTS, ...program.opts<Partial<DemoOptions>>() } as DemoOptions;
}
