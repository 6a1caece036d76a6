import type { RegisterPages } from '../context.ts';
import { ADMIN_PAGES } from './admin/index.ts';
import { registerLoginPages } from './login-pages.tsx';
import { registerMyRequestsPage } from './my-requests-page.tsx';
import { registerNewRequestPage } from './new-request-page.tsx';
import { registerQueuePage } from './queue-page.tsx';
import { registerRequestActions } from './request-actions.tsx';
import { registerRequestDetailPage } from './request-detail-page.tsx';

/**
 * The requester and approver pages: sign-in, my requests, new request, request detail, approver queue. Each module
 * exports `register…Pages(app, deps)`; routes use `requireUser(role)` and the helpers of `../page.tsx`.
 */
export const CORE_PAGES: readonly RegisterPages[] = [
  registerLoginPages,
  registerMyRequestsPage,
  registerNewRequestPage,
  registerRequestDetailPage,
  registerRequestActions,
  registerQueuePage,
];

/** Every page of the web UI, in registration order (a literal path such as `/requests/new` before `/requests/:id`). */
export const WEB_PAGES: readonly RegisterPages[] = [...CORE_PAGES, ...ADMIN_PAGES];
