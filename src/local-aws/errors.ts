/**
 * An AWS API error raised by an emulated operation; the server renders it in the calling protocol's format
 * (query XML `<Error><Code>` or JSON 1.1 `__type`). Codes and statuses follow the botocore models.
 */
export class AwsApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Sender (client) fault, as in the query protocol's `<Type>`. */
  readonly sender: boolean;

  constructor(code: string, message: string, status = 400, sender = true) {
    super(message);
    this.name = 'AwsApiError';
    this.code = code;
    this.status = status;
    this.sender = sender;
  }
}

/** IAM `NoSuchEntity` (404). */
export function noSuchEntity(message: string): AwsApiError {
  return new AwsApiError('NoSuchEntity', message, 404);
}

/** IAM `EntityAlreadyExists` (409). */
export function entityAlreadyExists(message: string): AwsApiError {
  return new AwsApiError('EntityAlreadyExists', message, 409);
}

/** IAM/STS `MalformedPolicyDocument` (400). */
export function malformedPolicy(message: string): AwsApiError {
  return new AwsApiError('MalformedPolicyDocument', message, 400);
}

/** IAM `LimitExceeded` (409). */
export function limitExceeded(message: string): AwsApiError {
  return new AwsApiError('LimitExceeded', message, 409);
}

/** IAM `InvalidInput` (400). */
export function invalidInput(message: string): AwsApiError {
  return new AwsApiError('InvalidInput', message, 400);
}

/** Query-protocol `ValidationError` (400): a member failed its model constraint. */
export function validationError(message: string): AwsApiError {
  return new AwsApiError('ValidationError', message, 400);
}
