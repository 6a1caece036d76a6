import type { ApiApp, RouteDeps } from '../context.ts';
import { escapeHtml, htmlPage } from '../html.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function asObject(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

/** Links `{"$ref": "#/components/schemas/X"}` to the schema's anchor; anything else as pretty JSON. */
function schemaHtml(schema: unknown): string {
  const ref = asObject(schema).$ref;
  if (typeof ref === 'string') {
    const name = ref.split('/').at(-1) ?? ref;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  return `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;
}

function operationHtml(method: string, path: string, op: Json): string {
  const parts = [
    `<div class="op" id="${escapeHtml(`${method}-${path}`)}"><h3><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>`,
  ];
  if (typeof op.summary === 'string') parts.push(`<p><strong>${escapeHtml(op.summary)}</strong></p>`);
  if (typeof op.description === 'string') parts.push(`<p>${escapeHtml(op.description)}</p>`);
  if (Array.isArray(op.security) && op.security.length === 0)
    parts.push('<p><em>No authentication.</em></p>');
  const params = Array.isArray(op.parameters) ? op.parameters.map(asObject) : [];
  if (params.length > 0)
    parts.push(
      `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params
        .map(
          (p) =>
            `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${p.required === true ? 'yes' : 'no'}</td><td><code>${escapeHtml(JSON.stringify(p.schema ?? {}))}</code>${typeof p.description === 'string' ? ` ${escapeHtml(p.description)}` : ''}</td></tr>`,
        )
        .join('')}</table>`,
    );
  const body = asObject(asObject(asObject(op.requestBody).content)['application/json']).schema;
  if (body !== undefined) parts.push(`<p>Request body (JSON): ${schemaHtml(body)}</p>`);
  const responses = Object.entries(asObject(op.responses));
  parts.push(
    `<ul>${responses
      .map(([status, r]) => {
        const schema = asObject(asObject(asObject(r).content)['application/json']).schema;
        return `<li><code>${escapeHtml(status)}</code> ${escapeHtml(String(asObject(r).description ?? ''))}${schema !== undefined ? ` — ${schemaHtml(schema)}` : ''}</li>`;
      })
      .join('')}</ul></div>`,
  );
  return parts.join('');
}

/** Renders the OpenAPI document as one readable HTML page, server-side and without scripts. */
export function renderDocsPage(document: Json): string {
  const info = asObject(document.info);
  const ops: string[] = [];
  const index: string[] = [];
  for (const [path, item] of Object.entries(asObject(document.paths))) {
    for (const method of METHODS) {
      const op = asObject(item)[method];
      if (op === undefined) continue;
      const o = asObject(op);
      index.push(
        `<li><a href="#${escapeHtml(`${method}-${path}`)}"><span class="method">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></a> ${escapeHtml(String(o.summary ?? ''))}</li>`,
      );
      ops.push(operationHtml(method, path, o));
    }
  }
  const schemas = Object.entries(asObject(asObject(document.components).schemas)).map(
    ([name, s]) =>
      `<h3 id="schema-${escapeHtml(name)}">${escapeHtml(name)}</h3><pre>${escapeHtml(JSON.stringify(s, null, 2))}</pre>`,
  );
  return htmlPage(
    `${String(info.title ?? 'API')} documentation`,
    `<h1>${escapeHtml(String(info.title ?? 'API'))} <small>${escapeHtml(String(info.version ?? ''))}</small></h1>
<p>${escapeHtml(String(info.description ?? ''))}</p><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2><ul>${index.join('')}</ul>${ops.join('')}<h2>Schemas</h2>${schemas.join('')}`,
  );
}

/**
 * `GET /api/v1/openapi.json` (OpenAPI 3.1 generated from the routes' zod schemas) and `GET /api/v1/docs` (that
 * document as HTML). Registered last so the document covers every route; generated once, on first request.
 */
export function registerDocsRoutes(app: ApiApp, { config }: RouteDeps): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token `iamjit_…` (POST /api/v1/tokens)',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'iam_jit_session',
    description: 'Browser session from a sign-in link; unsafe methods need a matching Origin header',
  });
  let cached: Json | undefined;
  const document = (): Json => {
    cached ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'iam-jit API',
        version: 'v1',
        description:
          'Just-in-time AWS access broker. Errors are {"error":{"code","message","details"?}}; every 401 carries WWW-Authenticate: Bearer.',
      },
      servers: [{ url: config.server.baseUrl }],
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
    }) as unknown as Json;
    return cached;
  };
  app.get('/api/v1/openapi.json', (c) => c.json(document()));
  app.get('/api/v1/docs', (c) => c.html(renderDocsPage(document())));
}
