import type { Result } from '../lib/result.ts';
import { err, ok } from '../lib/result.ts';

/** The subset of `fetch` the comment poster uses; injected so tests can point it at a local server. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

/** GitHub rejects issue comments longer than 65,536 characters; we stay below with room for the marker. */
export const MAX_COMMENT_CHARS = 65_000;

/** Hidden marker identifying our comment, so re-runs update it instead of adding another. */
export const COMMENT_MARKER = '<!-- iam-jit:policy-risk -->';

/** The pull request number of a `pull_request`/`pull_request_target` or PR `issue_comment` event payload. */
export function pullRequestNumber(event: unknown): number | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const e = event as {
    pull_request?: { number?: unknown };
    issue?: { number?: unknown; pull_request?: unknown };
  };
  if (typeof e.pull_request?.number === 'number') return e.pull_request.number;
  if (e.issue?.pull_request !== undefined && typeof e.issue.number === 'number') return e.issue.number;
  return undefined;
}

export interface PrCommentRequest {
  fetch: FetchLike;
  /** `GITHUB_API_URL`, e.g. `https://api.github.com`. */
  apiUrl: string;
  token: string;
  /** `owner/repo`. */
  repository: string;
  pullRequest: number;
  /** Markdown body; the marker is added. */
  body: string;
}

/**
 * Creates our comment on the pull request, or updates it when a comment carrying the marker exists
 * (REST API: `GET/POST /repos/{owner}/{repo}/issues/{number}/comments`,
 * `PATCH /repos/{owner}/{repo}/issues/comments/{id}`), truncating bodies over {@link MAX_COMMENT_CHARS}.
 * Returns what it did, or why it failed; never throws.
 */
export async function upsertPrComment(req: PrCommentRequest): Promise<Result<'created' | 'updated', string>> {
  const base = req.apiUrl.replace(/\/+$/, '');
  const headers = {
    Accept: 'application/vnd.github+json',
    Authorization: `Bearer ${req.token}`,
    'Content-Type': 'application/json',
    'User-Agent': 'iam-jit-action',
    'X-GitHub-Api-Version': '2022-11-28',
  };
  const text =
    req.body.length > MAX_COMMENT_CHARS
      ? `${req.body.slice(0, MAX_COMMENT_CHARS)}\n\n_Report truncated; the job summary has all of it._\n`
      : req.body;
  const body = JSON.stringify({ body: `${COMMENT_MARKER}\n${text}` });
  const issueComments = `${base}/repos/${req.repository}/issues/${req.pullRequest}/comments`;
  try {
    const list = await req.fetch(`${issueComments}?per_page=100`, { method: 'GET', headers });
    if (!list.ok) return err(`listing comments failed: HTTP ${list.status}`);
    const comments = (await list.json()) as unknown;
    const existing = Array.isArray(comments)
      ? comments.find(
          (c): c is { id: number } =>
            typeof c?.id === 'number' && typeof c?.body === 'string' && c.body.includes(COMMENT_MARKER),
        )
      : undefined;
    const res = existing
      ? await req.fetch(`${base}/repos/${req.repository}/issues/comments/${existing.id}`, {
          method: 'PATCH',
          headers,
          body,
        })
      : await req.fetch(issueComments, { method: 'POST', headers, body });
    if (!res.ok) return err(`${existing ? 'updating' : 'creating'} the comment failed: HTTP ${res.status}`);
    return ok(existing ? 'updated' : 'created');
  } catch (e) {
    return err(`GitHub API unreachable: ${e instanceof Error ? e.message : String(e)}`);
  }
}
