/**
 * AWS JSON 1.1 protocol (SSO Admin, Identity Store): `X-Amz-Target: <prefix>.<Operation>`, JSON bodies,
 * timestamps as epoch seconds, errors as `{"__type": "<Code>", "Message": …}` with the HTTP status.
 */

/** Splits `SWBExternalService.ListInstances` into prefix and operation; undefined when malformed. */
export function parseTarget(header: string | undefined): { prefix: string; operation: string } | undefined {
  if (!header) return undefined;
  const dot = header.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return { prefix: header.slice(0, dot), operation: header.slice(dot + 1) };
}

/** Parses a JSON 1.1 request body into an object; an empty body is `{}`. Returns undefined when not an object. */
export function parseJsonBody(body: string): Record<string, unknown> | undefined {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Epoch seconds (with milliseconds as a fraction), the JSON protocols' timestamp format. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Renders a JSON 1.1 error body; the SDK reads the code from `__type`. */
export function renderJsonError(options: { code: string; message: string; requestId: string }): string {
  return JSON.stringify({ __type: options.code, Message: options.message, RequestId: options.requestId });
}
