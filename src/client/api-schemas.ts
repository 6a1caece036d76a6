// The server's own request-body schemas, for callers that build inputs at run time (the MCP tools derive their
// input schemas from these, so a tool can never send a body the API rejects for its shape).
export { AccountSchema } from '../http/routes/accounts-routes.ts';
export { GrantSchema } from '../http/routes/grants-schemas.ts';
export { PolicyDocumentSchema } from '../http/routes/policy-schemas.ts';
export { EditBody, RequestSchema, SubmitBody } from '../http/routes/requests-schemas.ts';
export { RoleSchema } from '../http/schemas.ts';
