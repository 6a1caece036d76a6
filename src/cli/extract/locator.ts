import type { TextPosition } from './source-text.ts';

/**
 * Builds a `locate(pointer)` for a policy document that sits at `base` inside a file whose element positions
 * are `positions`: it returns the position of the deepest recorded element on the pointer's path.
 */
export function createLocator(
  positions: ReadonlyMap<string, TextPosition>,
  base: string,
  fallback: TextPosition,
): (pointer: string) => TextPosition {
  return (pointer) => {
    let path = `${base}${pointer}`;
    while (true) {
      const found = positions.get(path);
      if (found !== undefined) return found;
      if (path.length <= base.length) return fallback;
      path = path.slice(0, path.lastIndexOf('/'));
    }
  };
}
