import type { Command } from 'commander';
import { register as evaluate } from './evaluate';
import { register as exportCmd } from './export';
import { register as generateBbox } from './generate-bbox';
import { register as generateTfrecord } from './generate-tfrecord';
import { register as inspect } from './inspect';
import { register as merge } from './merge';
import { register as preview } from './preview';
import { register as synth } from './synth';
import { register as train } from './train';

/** Every subcommand module exports `register(program)`; add new ones to this list. */
export type Register = (program: Command) => void;

/** In pipeline order, which is the order `ffem --help` lists them in. */
export const commands: Register[] = [
  synth,
  generateBbox,
  generateTfrecord,
  merge,
  inspect,
  preview,
  train,
  exportCmd,
  evaluate,
];
