/** An expected outcome that either carries a value or the reasons it could not be produced. Never thrown. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Wraps reasons as a failed result. */
export function err<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
