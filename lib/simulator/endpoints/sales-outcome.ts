/**
 * `/sales-outcome/list` (Sales Advisor Tool): one record per membership pitch. Converted pitches
 * are the day's plan sales; a small share of retail washes are pitches that did not convert.
 */
import { catalogItem, planKey, priceAt, type WashLevel } from '@/lib/simulator/catalog';
import { siteEmployees } from '@/lib/simulator/generator/employees';
import { Rng, seedFrom } from '@/lib/simulator/random';
import { listData, readPaging } from '@/lib/simulator/http/paging';
import { horizonStartSec } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { formatCents } from '@/lib/simulator/money';
import { localDayOf, localDayRangeMs } from '@/lib/simulator/time';
import { authorizedSites } from '@/lib/simulator/world';

export function listSalesOutcomes(ctx: RequestContext): HandlerResult {
  const q = ctx.q;
  const p = readPaging(ctx, { min: 1, max: 500, defaultLimit: 500 });
  const tz = serverTimezone(ctx.db);
  const today = localDayOf(ctx.now, tz);
  const start = q.ymd('startDate') ?? today;
  const end = q.ymd('endDate') ?? today;
  if (start > today) q.fail('startDate', 'must not be after today.');
  if (end < start) q.fail('endDate', 'must be on or after startDate.');
  q.done();
  // Data is kept for the same horizon as transactions; older ranges are silently clipped.
  const startMs = Math.max(localDayRangeMs(start, tz).startMs, horizonStartSec(ctx.now, tz, ctx.rt.rules.horizonMonths) * 1000);
  const endMs = Math.min(ctx.now, localDayRangeMs(end, tz).endMs - 1);
  const rows: Record<string, string>[] = [];
  for (const site of authorizedSites(ctx.db).filter((s) => !s.isVirtual)) {
    const crew = siteEmployees(ctx.rt.world, ctx.db, site);
    for (const { tx, status } of ctx.rt.visibility.query(ctx.db, [site.code], startMs, endMs, ctx.now)) {
      if (status !== 'Completed') continue;
      const rng = new Rng(seedFrom(ctx.rt.world.seed, ctx.db.key, tx.transId, 'sat'));
      const converted = tx.kind === 'planSale';
      if (!converted && !(tx.kind === 'retailWash' && rng.chance(0.04))) continue;
      const emp = crew.find((e) => `${e.firstName} ${e.lastName}` === (tx.cashier || tx.greeter)) ?? rng.pick(crew);
      const planLine = tx.lines.find((l) => catalogItem(l.itemKey).department === 'Recurring Plan');
      const item = planLine ? catalogItem(planLine.itemKey) : catalogItem(planKey(rng.int(0, 3) as WashLevel));
      rows.push({
        timestamp: String(Math.floor(tx.dateMs / 1000)),
        employeeId: String(emp.employeeId),
        adpId: emp.adpId,
        employeeName: `${emp.firstName} ${emp.lastName}`,
        siteId: String(site.siteId),
        site: `${site.siteId} - ${site.name}`,
        isConverted: converted ? 'yes' : 'no',
        itemId: `${item.sku}:${site.siteId}`,
        itemName: item.name,
        itemPrice: formatCents(priceAt(ctx.db, item)),
        terminalName: tx.device,
      });
    }
  }
  rows.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
  return { data: listData('sales', rows, p, (r) => r), listKey: 'sales' };
}
