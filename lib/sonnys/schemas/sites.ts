import { z } from 'zod';
import { envelope, integer, text } from './common';

export const SiteSchema = z.object({
  /** Capital `ID`, as on the wire. */
  siteID: integer,
  /** May be `""` on the wire, which becomes null. */
  code: text,
  name: z.string(),
  /** IANA zone, e.g. `America/Chicago`; null when the site has none (use a configured default). */
  timezone: text,
});
export type Site = z.output<typeof SiteSchema>;

/** Not paginated (FACTS §2.2 #19). */
export const SiteListResponseSchema = envelope(z.object({ sites: z.array(SiteSchema) }));
