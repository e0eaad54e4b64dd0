/**
 * @ffem/data: image lists, TFRecord dataset commands, the training input pipeline, and the
 * synthetic face generator.
 */
export * from './synth';
