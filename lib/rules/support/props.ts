/** A resource's properties (or any object) from the rendered template. */
export type Props = Record<string, unknown>;

/** The value at `path` inside a template object, or `undefined`. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node !== null && typeof node === 'object' ? (node as Props)[key] : undefined),
    value,
  );
}

/** A template value that may be one item or a list, as a list. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
