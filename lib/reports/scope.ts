/**
 * What a report covers: a range of local days, optionally narrowed to some databases and sites.
 * The same scope, and the same SQL for it (db/sql/scope.ts), drives the pages (db/queries) and
 * the CSV exports, so a page's totals and its CSV's totals cannot drift apart.
 */
import { z } from 'zod';
import { dayRangeSchema } from './range';

export const siteRefSchema = z.object({ databaseKey: z.string().min(1), code: z.string().min(1) });
export type SiteRef = z.infer<typeof siteRefSchema>;

/**
 * A range of days over a set of sites: the union of the whole databases in `databaseKeys` and the
 * single `sites` (issue #10: ticking "Icon (whole database)" and "WashU Joliet" means both). With
 * neither, every site.
 */
export const reportScopeSchema = dayRangeSchema.extend({
  /** These databases, whole. */
  databaseKeys: z.array(z.string().min(1)).optional(),
  /** These sites, besides the databases above. */
  sites: z.array(siteRefSchema).optional(),
});
export type ReportScope = z.infer<typeof reportScopeSchema>;
