import { APIResource } from '../resource';
import type { RequestOptions } from '../core/request';
import { type Site, SiteListResponseSchema } from '../schemas/sites';

export class Sites extends APIResource {
  /** `GET /site/list`: physical and virtual (e-commerce) sites; not paginated. */
  async list(options?: RequestOptions): Promise<Site[]> {
    return (await this._client.get('site/list', SiteListResponseSchema, {}, options)).data.sites;
  }
}
