/** `/static/app.css` and `/static/app.js`: the UI's one stylesheet and one script, served from `src/web/static/`. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebApp } from './context.ts';

/** The static files: URL path → file name and content type. */
export const STATIC_FILES = {
  '/static/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/static/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
} as const;

/**
 * Registers the static files (read once, at registration). Answers carry a strong ETag and `Cache-Control:
 * no-cache`, so browsers revalidate (304) and always run the server's current version.
 */
export function registerStaticRoutes(app: WebApp): void {
  for (const [path, { file, type }] of Object.entries(STATIC_FILES)) {
    const body = readFileSync(new URL(`./static/${file}`, import.meta.url));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    app.get(path, (c) => {
      c.header('ETag', etag);
      c.header('Cache-Control', 'no-cache');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      c.header('Content-Type', type);
      return c.body(body);
    });
  }
}
