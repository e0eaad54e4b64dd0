import { CommanderError } from 'commander';
import { DEMO_DEFAULTS, parseDemoArgs } from './options';
import { demoTrainConfig } from './train-config';
import { parseConfig } from '@ffem/training';

describe('demo options', () => {
  it('without flags gives the defaults', () => {
    expect(parseDemoArgs([])).toEqual(DEMO_DEFAULTS);
  });

  it('parses every kind of flag', () => {
    const o = parseDemoArgs(['--data', '/d', '--out', 'o', '--widths', '8,16', '--minutes', '2.5', '--lr', '0.01', '--augment', '--optimizer', 'SGD', '--max-identities', '40']);
    expect(o).toMatchObject({ data: '/d', out: 'o', widths: [8, 16], minutes: 2.5, lr: 0.01, augment: true, optimizer: 'SGD', maxIdentities: 40 });
  });

  it('rejects a bad value naming the flag', () => {
    const err = (() => {
      try {
        parseDemoArgs(['--test-fraction', '2']);
      } catch (e) {
        return e;
      }
    })() as CommanderError;
    expect(err).toBeInstanceOf(CommanderError);
    expect(err.message).toContain('--test-fraction must be a number in [0.01, 0.9]');
  });

  it('makes a training config the training schema accepts, for each kind of head', () => {
    const files = { trainFile: 't.tfrecord', valFiles: ['v.tfrecord'], numIdentity: 7, outputDir: 'runs', modelName: 'demo' };
    for (const loss of ['AngularMargin', 'SoftmaxCenter', 'CosFace', 'CombinedMargin']) {
      const cfg = parseConfig(demoTrainConfig({ ...DEMO_DEFAULTS, loss }, files));
      expect(cfg).toMatchObject({ loss, num_identity: 7, shape: [48, 48, 3], model: 'tiny', backbone_options: { widths: DEMO_DEFAULTS.widths }, test_files: ['v.tfrecord'] });
    }
    const arc = parseConfig(demoTrainConfig(DEMO_DEFAULTS, files));
    expect(arc.loss_param).toEqual({ AngularMargin: { scale: DEMO_DEFAULTS.scale, margin: DEMO_DEFAULTS.margin } });
  });
});
