import type { Command } from 'commander';
import { register as synth } from './synth';

/** Every subcommand module exports `register(program)`; add new ones to this list. */
export type Register = (program: Command) => void;

export const commands: Register[] = [
  synth,
];
