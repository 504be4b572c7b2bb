/**
 * API errors as the vendor documents them (openapi.yml components, FACTS §1.5): a flat
 * `{type, message}` body by default, `messages[]` for PayloadValidationError, `code` for
 * ServerUnexpectedFailure; optionally the nested `{error:{type,message}}` shape seen in SDK logs.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly messages?: string[],
    readonly code?: string,
  ) {
    super(message);
  }
}

export const apiErrors = {
  validation: (messages: string[]) =>
    new ApiError(422, 'PayloadValidationError', messages.join(' '), messages),
  notFound: (message: string) => new ApiError(404, 'EntityNotFoundError', message),
  missingCredentials: () =>
    new ApiError(403, 'MissingClientCredentialsError', 'One or more of the required header authentication information was not sent on the request.'),
  badCredentials: () =>
    new ApiError(403, 'BadClientCredentialsError', 'The information required for authentication has been sent but the credentials are not valid.'),
  badSite: () => new ApiError(403, 'BadSiteCredentialsError', 'There is not site identified by the site code in the client.'),
  siteNotAuthorized: () =>
    new ApiError(403, 'NotAuthorizedSiteCredentialsError', 'The site code has been sent as a header but it is not allowed to use the credentials.'),
  siteArgs: () =>
    new ApiError(
      403,
      'NotAuthorizedSiteArgsError',
      'The site code has been sent as a header and it is allowed to use the credentials, however the query argument `site=` is sent and does not contain the site id represented by site code sent.',
    ),
  rate: () => new ApiError(429, 'RequestRateExceedError', 'The number of requests exceeded the allowed API rate. Request blocked.'),
  badTimestamp: () => new ApiError(400, 'InvalidPayloadRequestTimestampError', 'Invalid timestamp'),
  server: (code: string) => new ApiError(500, 'ServerUnexpectedFailure', 'An unexpected error has occurred.', undefined, code),
};

export function errorBody(err: ApiError, nested: boolean): Record<string, unknown> {
  const flat: Record<string, unknown> = { type: err.type };
  if (err.messages) flat.messages = err.messages;
  else flat.message = err.message;
  if (err.code) flat.code = err.code;
  if (!nested) return flat;
  return { error: { ...flat, message: err.message } };
}
