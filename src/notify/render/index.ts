// The channel renderers: pure functions from a Notice to each channel's message body.
export { type EmailMessage, renderEmail } from './email.ts';
export { type MattermostMessage, renderMattermost } from './mattermost.ts';
export { renderSlack, type SlackMessage } from './slack.ts';
export { renderWebhookPayload, type WebhookPayload } from './webhook-payload.ts';
