import type { SonnysClient } from './client';

/** Base of every `resources/*` class: holds the client whose machinery the methods call. */
export abstract class APIResource {
  protected readonly _client: SonnysClient;

  constructor(client: SonnysClient) {
    this._client = client;
    // Not enumerable: keeps `JSON.stringify(client.items)` from walking back into the client.
    Object.defineProperty(this, '_client', { enumerable: false });
  }
}
