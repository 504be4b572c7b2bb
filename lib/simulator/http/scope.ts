/**
 * Which sites a request may see (FACTS §1.3): the header scopes to one site; a `site=` argument
 * must agree with the header; `region=` selects the sites of a region and is ignored when `site`
 * is sent. The sandbox answers `site=invalid` / `region=invalid` with "not found".
 */
import { apiErrors } from '@/lib/simulator/http/errors';
import type { RequestContext } from '@/lib/simulator/http/runtime';
import { authorizedSites, type SiteSpec } from '@/lib/simulator/world';

/** Sites visible to the request before any `site=`/`region=` argument. */
export function visibleSites(ctx: RequestContext): SiteSpec[] {
  return ctx.headerSite ? [ctx.headerSite] : authorizedSites(ctx.db);
}

/** Sites selected by `site=`/`region=` (pass `region: false` where the endpoint has none). */
export function selectSites(ctx: RequestContext, options: { region: boolean } = { region: true }): SiteSpec[] {
  const siteArg = ctx.q.raw('site');
  if (siteArg !== undefined) {
    if (ctx.sandbox && siteArg === 'invalid') throw apiErrors.notFound('Site code not found.');
    if (ctx.headerSite && siteArg !== ctx.headerSite.code) throw apiErrors.siteArgs();
    const codes = siteArg.split(',').map((s) => s.trim());
    const out: SiteSpec[] = [];
    for (const code of codes) {
      const site = ctx.db.sites.find((s) => s.code === code);
      if (!site) throw apiErrors.notFound('Site code not found.');
      if (!authorizedSites(ctx.db).includes(site)) throw apiErrors.siteArgs();
      out.push(site);
    }
    return out;
  }
  const visible = visibleSites(ctx);
  const region = options.region ? ctx.q.raw('region') : undefined;
  if (region === undefined) return visible;
  if (ctx.sandbox && region === 'invalid') throw apiErrors.notFound('Region code not found.');
  const known = ctx.db.sites.some((s) => (s.region ?? null) === region);
  if (!known) throw apiErrors.notFound('Region code not found.');
  return visible.filter((s) => (s.region ?? null) === region);
}
