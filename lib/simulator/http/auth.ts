/**
 * Credentials and site scoping (openapi.yml "Authentication", FACTS §1.2-1.3, §1.7):
 * missing ID/key -> MissingClientCredentialsError; unknown pair -> BadClientCredentialsError;
 * header site not a site -> BadSiteCredentialsError; a site the key may not use ->
 * NotAuthorizedSiteCredentialsError. All 403.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { apiErrors } from '@/lib/simulator/http/errors';
import type { Route } from '@/lib/simulator/http/router';
import type { RuleOptions } from '@/lib/simulator/http/rules';
import type { QueryReader } from '@/lib/simulator/http/query';
import { authorizedSites, type DatabaseSpec, type SiteSpec, type World } from '@/lib/simulator/world';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

export function authenticate(world: World, headers: IncomingHttpHeaders): DatabaseSpec {
  const id = header(headers, 'X-Sonnys-API-ID');
  const key = header(headers, 'X-Sonnys-API-Key');
  if (id === undefined || key === undefined) throw apiErrors.missingCredentials();
  const db = world.databases.find((d) => d.apiId === id);
  if (!db || db.apiKey !== key) throw apiErrors.badCredentials();
  return db;
}

export function headerSite(
  db: DatabaseSpec,
  headers: IncomingHttpHeaders,
  route: Route,
  sandbox: boolean,
  rules: RuleOptions,
  q: QueryReader,
): SiteSpec | null {
  const code = header(headers, 'X-Sonnys-Site-Code');
  if (code === undefined) return null;
  if (sandbox && route.sandboxSiteMagic) {
    if (code === 'INVALID') throw apiErrors.badSite();
    if (code === 'ABC') throw apiErrors.siteNotAuthorized();
    if (code === 'DEF') {
      if (rules.sandboxDefTrigger === 'always' || q.has('site')) throw apiErrors.siteArgs();
      return null;
    }
  }
  const site = db.sites.find((s) => s.code === code);
  if (!site) throw apiErrors.badSite();
  if (!authorizedSites(db).includes(site)) throw apiErrors.siteNotAuthorized();
  return site;
}
