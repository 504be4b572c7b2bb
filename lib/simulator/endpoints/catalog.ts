/** `/item` and `/site/list` (both cached 1 hour per identical request, openapi.yml notes). */
import { itemsForSite, priceAt, type Department } from '@/lib/simulator/catalog';
import { formatCents } from '@/lib/simulator/money';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import type { HandlerResult, RequestContext } from '@/lib/simulator/http/runtime';
import { visibleSites } from '@/lib/simulator/http/scope';

/** Query spelling of departments -> response spelling (FACTS §2.4). */
const DEPARTMENT_FILTER: Record<string, Department | null> = {
  Wash: 'Wash',
  Detail: 'Detail',
  Service: 'Service',
  Merchandise: 'Merchandise',
  Discount: 'Promotion/Coupon',
  GiftCard: 'GiftCard',
  WashBook: 'WashBook',
  Recurring_Plan: 'Recurring Plan',
  Add_On: 'Add On',
  Vacuum_sales: 'Vacuum Sales',
  Prepaid_Wash: 'Prepaid Wash',
  Prepaid_vacuum: null,
  food: null,
  beverage: null,
  recipe: null,
};

export function listItems(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx);
  const dept = ctx.q.enumOf('departmentName', Object.keys(DEPARTMENT_FILTER));
  ctx.q.done();
  const key = `${ctx.db.key}|${ctx.headerSite?.code ?? ''}|${dept ?? ''}|${p.limit}|${p.offset}`;
  const { value } = ctx.rt.caches.items.getOrBuild(key, ctx.now, () => {
    const wanted = dept === undefined ? undefined : DEPARTMENT_FILTER[dept];
    const rows = visibleSites(ctx).flatMap((site) =>
      itemsForSite(site)
        .filter((i) => wanted === undefined || i.department === wanted)
        .map((item) => ({
          sku: item.sku,
          name: item.name,
          departmentName: item.department,
          priceAtSite: formatCents(priceAt(ctx.db, item)),
          costPerItem: item.costCents === null ? null : formatCents(item.costCents),
          isPromptForPrice: item.promptForPrice,
          siteLocation: site.code,
        })),
    );
    return listData('items', rows, p, (r) => r);
  });
  return { data: value as Record<string, unknown>, listKey: 'items' };
}

export function listSites(ctx: RequestContext): HandlerResult {
  const key = `${ctx.db.key}|${ctx.headerSite?.code ?? ''}`;
  const { value } = ctx.rt.caches.siteList.getOrBuild(key, ctx.now, () => ({
    sites: visibleSites(ctx).map((s) => ({ siteID: s.siteId, code: s.code, name: s.name, timezone: s.timezone })),
  }));
  return { data: value as Record<string, unknown> };
}
