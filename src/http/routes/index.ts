import type { RegisterRoutes } from '../context.ts';
import { registerAccountRoutes } from './accounts-routes.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerChatBindingRoutes } from './chat-bindings-routes.ts';
import { registerGrantRoutes } from './grants-routes.ts';
import { registerMcpRoutes } from './mcp-routes.ts';
import { registerPolicyRoutes } from './policy-routes.ts';
import { registerReportRoutes } from './reports-routes.ts';
import { registerRequestRoutes } from './requests-routes.ts';
import { registerTokenRoutes } from './tokens-routes.ts';
import { registerUserRoutes } from './users-routes.ts';
import { registerWebhookRoutes } from './webhooks-routes.ts';

export type { ApiApp, RegisterRoutes, RouteDeps } from '../context.ts';

/**
 * Every `/api/v1` route group, in registration order (a literal path such as `/users/me` must come before
 * `/users/{user_id}`). A new group exports `register…Routes(app, deps)` built with `createRoute` (so it appears in
 * the OpenAPI document) and is added here. Auth, Origin checks and Idempotency-Key already run for every
 * `/api/v1` path; guard roles per route with `middleware: [requireRole('approver')]` from `../middleware/auth.ts`.
 */
export const API_ROUTES: readonly RegisterRoutes[] = [
  registerAuthRoutes,
  registerUserRoutes,
  registerTokenRoutes,
  registerAccountRoutes,
  registerRequestRoutes,
  registerGrantRoutes,
  registerAuditRoutes,
  (app, { config }) => registerPolicyRoutes(app, { risk: config.risk }),
  registerMcpRoutes,
  registerReportRoutes,
  registerWebhookRoutes,
  registerChatBindingRoutes,
];
