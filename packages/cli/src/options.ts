import { InvalidArgumentError } from 'commander';

/** A commander parser for integer flags: `--x abc` fails naming the flag. */
export function intOption(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${flag} must be an integer, got '${value}'`);
    return n;
  };
}

/** Comma-separated integers (`--labels 201,305`). */
export function intListOption(flag: string): (value: string) => number[] {
  return (value) => value.split(',').map((v) => intOption(flag)(v.trim()));
}
