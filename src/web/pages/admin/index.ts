import type { RegisterPages } from '../../context.ts';

/**
 * The admin-side pages (admin, grants, settings → API tokens): each exports `register…Pages(app, deps)` and is
 * listed here. `../index.ts` mounts this list after the requester and approver pages.
 */
export const ADMIN_PAGES: readonly RegisterPages[] = [];
