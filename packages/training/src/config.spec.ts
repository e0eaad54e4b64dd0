import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadConfig, parseConfig, resolveConfig } from './config';

const base = { model_name: 'run', batch_size: 64, epoch: 10, lr: 0.1, train_file: 'train.tfrecord', num_identity: 100 };

function errorOf(json: unknown): string {
  try {
    parseConfig(json, 'cfg.json');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('parseConfig', () => {
  it("accepts the original's config keys as they were written", () => {
    const original = {
      mixed_precision: false,
      enable_prune: false,
      prune_params: { initial_sparsity: 0.3, final_sparsity: 0.5, begin_step: 0, end_step: 30000 },
      enable_quant_aware: false,
      model_name: 'ResNet50_centerloss_yourdataset_4000',
      saved_backbone: '',
      checkpoint: '',
      batch_size: 256,
      num_grad_accum: 4,
      shape: [112, 112, 3],
      model: 'ResNet50',
      embedding_dim: 512,
      loss: 'AngularMargin',
      loss_param: {
        SoftmaxCenter: { scale: 30, center_loss_weight: 1e-3 },
        AngularMargin: { scale: 60, margin: 0.5 },
        GroupAware: { scale: 60, margin: 0.5, num_groups: 4, intermidiate_dim: 256, group_loss_weight: 0.1 },
      },
      eval: { metric: 'cos', recall: [1] },
      optimizer: 'AdamW',
      epoch: 40,
      lr: 1e-4,
      lr_decay: false,
      lr_decay_steps: 10000,
      lr_decay_rate: 0.9,
      train_file: 'your_train.tfrecord',
      test_files: ['your_test.tfrecord'],
      num_identity: 4000,
    };
    const cfg = parseConfig(original, 'cfg.json');
    expect(cfg.num_grad_accum).toBe(4);
    expect(cfg.optimizer).toBe('AdamW');
  });

  it('names unknown keys, nested ones included', () => {
    expect(errorOf({ ...base, learning_rate: 0.1 })).toBe('cfg.json: learning_rate: unknown key');
    expect(errorOf({ ...base, eval: { metric: 'cos', recal: [1] } })).toBe('cfg.json: eval.recal: unknown key');
    expect(errorOf({ ...base, loss_param: { AngularMargin: { scale: 60, margn: 0.5 } } })).toBe('cfg.json: loss_param.AngularMargin.margn: unknown key');
  });

  it('names keys with wrong types or values', () => {
    expect(errorOf({ ...base, batch_size: '64' })).toMatch(/^cfg\.json: batch_size: .*expected number/);
    expect(errorOf({ ...base, batch_size: 0 })).toMatch(/^cfg\.json: batch_size: /);
    expect(errorOf({ ...base, num_grad_accum: 1.5 })).toMatch(/^cfg\.json: num_grad_accum: /);
    expect(errorOf({ ...base, optimizer: 'RMSprop' })).toMatch(/^cfg\.json: optimizer: .*"SGD"\|"Adam"\|"AdamW"/);
    expect(errorOf({ ...base, shape: [112, 112, 1] })).toMatch(/^cfg\.json: shape\.2: /);
    expect(errorOf({ ...base, eval: { metric: 'dot' } })).toMatch(/^cfg\.json: eval\.metric: /);
    expect(errorOf({ ...base, loss_param: { GroupAware: { num_groups: 'four' } } })).toMatch(/^cfg\.json: loss_param\.GroupAware\.num_groups: /);
    expect(errorOf({ ...base, mixed_precision: true })).toBe('cfg.json: mixed_precision: is not supported by FFEM-TS; set it to false or remove it');
  });

  it('names a missing required key', () => {
    const { lr: _lr, ...noLr } = base;
    expect(errorOf(noLr)).toBe('cfg.json: lr: required key is missing');
  });
});

describe('loadConfig', () => {
  it.each(fs.readdirSync(path.join(__dirname, '..', 'configs')))('reads the example config %s', (name) => {
    const cfg = loadConfig(path.join(__dirname, '..', 'configs', name));
    expect(cfg.model_name.length).toBeGreaterThan(0);
  });

  it('names the file when the JSON does not parse', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ffem-cfg-')), 'bad.json');
    fs.writeFileSync(file, '{"model_name": ');
    expect(() => loadConfig(file)).toThrow(new RegExp(`^${file}: not valid JSON`));
  });
});

describe('resolveConfig', () => {
  it('derives paths, batch sizes, the loss parameters and the schedule in one place', () => {
    const r = resolveConfig(
      parseConfig({ ...base, num_grad_accum: 4, loss: 'GroupAware', loss_param: { GroupAware: { scale: 32 } }, test_files: 'test.tfrecord', output_dir: 'out' }),
    );
    expect(r.runDir).toBe(path.join('out', 'run'));
    expect(r.checkpointDir).toBe(path.join('out', 'run', 'checkpoints'));
    expect(r.effectiveBatch).toBe(256);
    expect(r.evalBatchSize).toBe(64);
    expect(r.trainFiles).toEqual(['train.tfrecord']);
    expect(r.testFiles).toEqual(['test.tfrecord']);
    expect(r.lossParams).toEqual({ scale: 32, margin: 0.5, num_groups: 4, intermidiate_dim: 256, group_loss_weight: 0.1 });
    expect(r.lrSchedule).toBe('plateau');
    expect(resolveConfig(parseConfig({ ...base, lr_decay: true })).lrSchedule).toBe('exponential');
    expect(resolveConfig(parseConfig(base)).lrSchedule).toBe('constant');
  });
});
