import type { RegisterPages } from '../../context.ts';
import { registerAccountPages } from './accounts-page.tsx';
import { registerAdminHome } from './admin-home.tsx';
import { guardAdminPages } from './admin-shell.tsx';
import { registerAuditPages } from './audit-page.tsx';
import { registerGrantPages } from './grants-page.tsx';
import { registerReportPages } from './reports-page.tsx';
import { registerTokenPages } from './tokens-page.tsx';
import { registerUserPages } from './users-page.tsx';
import { registerWebhookPages } from './webhooks-page.tsx';

/**
 * The admin-side pages (admin, grants, settings → API tokens): each exports `register…Pages(app, deps)` and is
 * listed here. `../index.ts` mounts this list after the requester and approver pages.
 */
export const ADMIN_PAGES: readonly RegisterPages[] = [
  guardAdminPages,
  registerAdminHome,
  registerUserPages,
  registerAccountPages,
  registerWebhookPages,
  registerAuditPages,
  registerReportPages,
  registerGrantPages,
  registerTokenPages,
];
