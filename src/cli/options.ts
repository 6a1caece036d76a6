import { InvalidArgumentError } from 'commander';

/** Commander argument parser for a number in [min, max]; rejects anything else with a one-line reason. */
export function numberIn(min: number, max: number, { integer = false } = {}): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (
      value.trim() === '' ||
      !Number.isFinite(n) ||
      n < min ||
      n > max ||
      (integer && !Number.isInteger(n))
    ) {
      throw new InvalidArgumentError(`expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return n;
  };
}

/** Splits comma-separated option values and accumulates repeated options: `--actions a,b --actions c`. */
export function commaList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Accumulates repeated options: `--context a=1 --context b=2`. */
export function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
