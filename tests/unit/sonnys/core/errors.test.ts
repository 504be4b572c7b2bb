import { describe, expect, it } from 'vitest';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SiteAccessError,
  SonnysError,
  ValidationError,
  parseErrorBody,
} from '@/lib/sonnys/core/errors';

describe('parseErrorBody', () => {
  it('reads the flat spec shape with message', () => {
    const p = parseErrorBody(JSON.stringify({ type: 'EntityNotFoundError', message: 'The Recurring Plan searched for was not found.' }));
    expect(p.type).toBe('EntityNotFoundError');
    expect(p.messages).toEqual(['The Recurring Plan searched for was not found.']);
    expect(p.code).toBeUndefined();
  });

  it('reads PayloadValidationError messages[]', () => {
    const p = parseErrorBody(JSON.stringify({ type: 'PayloadValidationError', messages: ['site: Only 1 site can be selected.', 'limit: too big'] }));
    expect(p.type).toBe('PayloadValidationError');
    expect(p.messages).toEqual(['site: Only 1 site can be selected.', 'limit: too big']);
  });

  it('reads ServerUnexpectedFailure code', () => {
    const p = parseErrorBody(JSON.stringify({ type: 'ServerUnexpectedFailure', message: 'An unexpected error has occurred.', code: 'SCEC0001' }));
    expect(p.code).toBe('SCEC0001');
  });

  it('reads the nested {error:{type,message}} shape (FACTS §1.5)', () => {
    const body = { error: { type: 'InvalidPayloadRequestTimestampError', message: 'Invalid timestamp' } };
    const p = parseErrorBody(JSON.stringify(body));
    expect(p.type).toBe('InvalidPayloadRequestTimestampError');
    expect(p.messages).toEqual(['Invalid timestamp']);
    expect(p.body).toEqual(body);
  });

  it('keeps a non-JSON body as text', () => {
    const p = parseErrorBody('<html>502 Bad Gateway</html>');
    expect(p.type).toBeUndefined();
    expect(p.body).toBe('<html>502 Bad Gateway</html>');
    expect(p.messages).toEqual(['<html>502 Bad Gateway</html>']);
  });

  it('bounds a huge non-JSON body', () => {
    const p = parseErrorBody('x'.repeat(5000));
    expect(String(p.body).length).toBeLessThan(600);
  });

  it('handles empty bodies and JSON that is not an object', () => {
    expect(parseErrorBody('')).toEqual({ body: undefined, type: undefined, messages: [], code: undefined });
    const p = parseErrorBody('["oops"]');
    expect(p.body).toEqual(['oops']);
    expect(p.type).toBeUndefined();
  });
});

describe('APIError.generate', () => {
  const gen = (status: number, type?: string) =>
    APIError.generate(status, { body: { type }, type, messages: ['msg'], code: undefined }, { endpoint: 'GET /item' });

  it.each([
    [400, ValidationError],
    [422, ValidationError],
    [401, AuthenticationError],
    [403, AuthenticationError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
  ])('maps %i to %o', (status, cls) => {
    const err = gen(status);
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toBeInstanceOf(SonnysError);
    expect(err.status).toBe(status);
  });

  it('maps other 4xx to a plain APIError', () => {
    const err = gen(409);
    expect(err.constructor).toBe(APIError);
    expect(err.status).toBe(409);
  });

  it.each(['MissingClientCredentialsError', 'BadClientCredentialsError', 'MismatchCredentialsError', 'NotAuthorizedError'])(
    'keeps credential type %s visible on an AuthenticationError',
    (type) => {
      const err = gen(403, type);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(err).not.toBeInstanceOf(SiteAccessError);
      expect(err.type).toBe(type);
    },
  );

  it.each(['BadSiteCredentialsError', 'NotAuthorizedSiteCredentialsError', 'NotAuthorizedSiteArgsError'])(
    'maps site type %s to SiteAccessError, still an AuthenticationError',
    (type) => {
      const err = gen(403, type);
      expect(err).toBeInstanceOf(SiteAccessError);
      expect(err).toBeInstanceOf(AuthenticationError);
      expect(err.type).toBe(type);
    },
  );

  it('writes status, type, messages, code and endpoint into the message', () => {
    const err = APIError.generate(
      500,
      { body: {}, type: 'ServerUnexpectedFailure', messages: ['boom', 'again'], code: 'SCEC0001' },
      { endpoint: 'GET /transaction/version-2' },
    );
    expect(err.message).toBe('500 ServerUnexpectedFailure: boom; again [code SCEC0001] (GET /transaction/version-2)');
    expect(err.code).toBe('SCEC0001');
    expect(err.name).toBe('ServerError');
  });

  it('falls back to HTTP <status> without messages', () => {
    const err = APIError.generate(503, { body: undefined, type: undefined, messages: [], code: undefined });
    expect(err.message).toBe('503: HTTP 503');
  });

  it('serialises its public fields', () => {
    const json = JSON.parse(JSON.stringify(gen(404, 'EntityNotFoundError')));
    expect(json).toMatchObject({ name: 'NotFoundError', status: 404, type: 'EntityNotFoundError', messages: ['msg'], endpoint: 'GET /item' });
  });
});

describe('status-less errors', () => {
  it('have no status and sit in the tree like openai-node', () => {
    const conn = new APIConnectionError();
    const timeout = new APITimeoutError();
    const abort = new APIUserAbortError();
    expect(conn.status).toBeUndefined();
    expect(timeout).toBeInstanceOf(APIConnectionError);
    expect(abort).toBeInstanceOf(APIError);
    expect(abort).not.toBeInstanceOf(APIConnectionError);
    expect(timeout.name).toBe('APITimeoutError');
  });
});

describe('ResponseValidationError', () => {
  it('names the endpoint and the failing field path', () => {
    const err = new ResponseValidationError('GET /transaction/version-2', [
      { path: 'data.transactions[3].total', message: 'expected a number or a numeric string' },
    ]);
    expect(err.message).toContain('GET /transaction/version-2');
    expect(err.message).toContain('data.transactions[3].total');
    expect(err).toBeInstanceOf(SonnysError);
    expect(err).not.toBeInstanceOf(APIError);
  });
});
