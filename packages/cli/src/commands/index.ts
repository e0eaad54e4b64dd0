import type { Command } from 'commander';
import { register as evaluate } from './evaluate';
import { register as synth } from './synth';
import { register as preview } from './preview';
import { register as train } from './train';
import { register as exportCmd } from './export';
import { register as generateTfrecord } from './generate-tfrecord';
import { register as merge } from './merge';
import { register as generateBbox } from './generate-bbox';
import { register as inspect } from './inspect';

/** Every subcommand module exports `register(program)`; add new ones to this list. */
export type Register = (program: Command) => void;

export const commands: Register[] = [
  evaluate,
  synth,
  preview,
  train,
  exportCmd,
  generateTfrecord,
  merge,
  generateBbox,
  inspect,
];
