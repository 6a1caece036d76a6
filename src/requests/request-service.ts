import type { RequestServiceDeps } from './request-common.ts';
import { createQueryUseCases, type QueryUseCases } from './request-queries.ts';
import { createReviewUseCases, type ReviewUseCases } from './request-reviews.ts';
import { createSubmissionUseCases, type SubmissionUseCases } from './request-submit.ts';

/**
 * Every request use case: submit/preview/edit/resubmit (request-submit.ts), approve/reject/requestChanges/cancel/
 * comment (request-reviews.ts), get/list/pending (request-queries.ts). Each takes the authenticated actor first.
 * Mutations return the request id (the comment id for `comment`); every state change and its event are written
 * in one transaction, conditional on the request's version. Errors are BrokerErrors (docs/requests.md).
 */
export type RequestService = SubmissionUseCases & ReviewUseCases & QueryUseCases;

/** Creates the request service over its repos, transaction runner, clock and settings. */
export function createRequestService(deps: RequestServiceDeps): RequestService {
  return {
    ...createSubmissionUseCases(deps),
    ...createReviewUseCases(deps),
    ...createQueryUseCases(deps),
  };
}
