/**
 * `/transaction`, `/transaction/type/{item_type}`, `/transaction/version-2`,
 * `/transaction/{trans_id}`, `/transaction/load-job`, `/transaction/get-job-data`.
 */
import { findCustomer } from '@/lib/simulator/generator/customers';
import { ITEM_TYPES, type ItemType, type VisibleTx } from '@/lib/simulator/generator/types';
import { apiErrors } from '@/lib/simulator/http/errors';
import { listData, pageOf, readPaging } from '@/lib/simulator/http/paging';
import { ENTITY_ID } from '@/lib/simulator/http/query';
import { readUnixWindow, type UnixWindow } from '@/lib/simulator/http/rules';
import { serverTimezone, type HandlerResult, type RequestContext } from '@/lib/simulator/http/runtime';
import { selectSites, visibleSites } from '@/lib/simulator/http/scope';
import type { SnapshotCache } from '@/lib/simulator/http/snapshot-cache';
import { authorizedSites, type SiteSpec } from '@/lib/simulator/world';
import { sandboxTransaction } from '@/lib/simulator/endpoints/sandbox';
import { toListItem, toListItemV2, toTransactionObject, type DetailOptions } from '@/lib/simulator/wire/transactions';

function window(ctx: RequestContext, maxRangeSec: number, maxRangeText: string): UnixWindow {
  return readUnixWindow(ctx.q, ctx.now, serverTimezone(ctx.db), ctx.rt.rules, {
    defaults: 'today',
    horizon: true,
    maxRangeSec,
    maxRangeText,
  });
}

function listWindow(ctx: RequestContext): UnixWindow {
  const days = ctx.rt.rules.transactionMaxRangeDays;
  return window(ctx, days * 86_400, `${days} days`);
}

function query(ctx: RequestContext, sites: readonly SiteSpec[], w: UnixWindow): VisibleTx[] {
  return ctx.rt.visibility.query(ctx.db, sites.map((s) => s.code), w.startSec * 1000, w.endSec * 1000 + 999, ctx.now);
}

export function detailOptions(ctx: RequestContext, includeV2Flags = false): DetailOptions {
  return {
    discountAmountKey: ctx.rt.wire.discountAmountKey,
    includeV2Flags,
    customerName: (id) => {
      const c = findCustomer(ctx.rt.world, ctx.db, id);
      return c ? `${c.firstName} ${c.lastName}` : '';
    },
  };
}

/** GET /transaction */
export function listTransactions(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx);
  const w = listWindow(ctx);
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const rows = query(ctx, selectSites(ctx), w);
  return { data: listData('transactions', rows, p, (v) => toListItem(v.tx)), listKey: 'transactions' };
}

/**
 * Each distinct set of list criteria is built once and kept for the cache's lifetime, so paging
 * through one listing reads one snapshot even while late uploads land (FACTS §2.2 #5).
 */
function snapshot(ctx: RequestContext, cache: SnapshotCache<VisibleTx[]>, prefix: string, build: () => VisibleTx[]): VisibleTx[] {
  const criteria = ['startDate', 'endDate', 'site', 'region'].map((k) => `${k}=${ctx.q.raw(k) ?? ''}`).join('&');
  return cache.getOrBuild(`${ctx.db.key}|${ctx.headerSite?.code ?? ''}|${prefix}|${criteria}`, ctx.now, build).value;
}

/** GET /transaction/type/{item_type}: `wash` is the list that says a car was washed (FACTS §0.1, Q16). */
export function listTransactionsByType(ctx: RequestContext): HandlerResult {
  const type = ctx.params.item_type ?? '';
  if (!(ITEM_TYPES as readonly string[]).includes(type)) ctx.q.fail('item_type', `must be one of: ${ITEM_TYPES.join(', ')}.`);
  const p = readPaging(ctx);
  const w = listWindow(ctx);
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const sites = selectSites(ctx);
  const rows = snapshot(ctx, ctx.rt.caches.typeLists, type, () => query(ctx, sites, w).filter((v) => v.tx.itemTypes.includes(type as ItemType)));
  return { data: listData('transactions', rows, p, (v) => toListItem(v.tx)), listKey: 'transactions' };
}

/** GET /transaction/version-2: each distinct set of criteria is built once and kept 10 minutes. */
export function listTransactionsV2(ctx: RequestContext): HandlerResult {
  const p = readPaging(ctx);
  const w = listWindow(ctx);
  ctx.q.done(ctx.rt.rules.invalidTimestampError);
  const sites = selectSites(ctx);
  const rows = snapshot(ctx, ctx.rt.caches.v2, 'v2', () => query(ctx, sites, w));
  return { data: listData('transactions', rows, p, (v) => toListItemV2(v.tx, v.status)), listKey: 'transactions' };
}

/** GET /transaction/{trans_id} */
export function getTransaction(ctx: RequestContext): HandlerResult {
  const id = ctx.params.trans_id ?? '';
  if (!ENTITY_ID.test(id)) {
    ctx.q.fail('trans_id', 'must match the pattern ^\\d+:\\d+$.');
    ctx.q.done();
  }
  if (ctx.sandbox && id === '999:999') throw apiErrors.notFound('The Transaction searched for was not found.');
  const tx = ctx.rt.store.findTransaction(ctx.db, id, ctx.now);
  const sites = visibleSites(ctx).map((s) => s.code);
  if (tx && sites.includes(tx.siteCode)) {
    const [v] = ctx.rt.visibility.visible(ctx.db, [tx], ctx.now);
    if (v) return { data: { ...toTransactionObject(v.tx, v.status, detailOptions(ctx)) } };
  }
  if (ctx.sandbox) return { data: { ...sandboxTransaction(ctx, id) } };
  throw apiErrors.notFound('The Transaction searched for was not found.');
}

/** POST /transaction/load-job: one job per page, identical criteria reuse the job for 20 minutes. */
export function loadJob(ctx: RequestContext): HandlerResult {
  const rules = ctx.rt.rules;
  const limit = ctx.q.int('limit');
  if (limit === undefined && !ctx.q.has('limit')) ctx.q.fail('limit', `is required and must be ${rules.loadJobLimit}.`);
  else if (limit !== undefined && limit !== rules.loadJobLimit) ctx.q.fail('limit', `must be ${rules.loadJobLimit}.`);
  const offset = ctx.q.int('offset', { min: 1 }) ?? 1;
  const hours = rules.loadJobMaxRangeSec / 3600;
  const w = window(ctx, rules.loadJobMaxRangeSec, `${hours} hours`);
  // FACTS Q8: with a multi-site key the job needs exactly one explicit `site`, header or not.
  const siteArg = ctx.q.raw('site');
  if (siteArg === undefined ? authorizedSites(ctx.db).length > 1 : siteArg.includes(',')) {
    ctx.q.fail('site', 'Only 1 site can be selected.');
  }
  ctx.q.done(rules.invalidTimestampError);
  const sites = selectSites(ctx, { region: false });
  const pageLimit = limit ?? rules.loadJobLimit;
  const key = `${ctx.headerSite?.code ?? ''}|${w.startSec}|${w.endSec}|${sites.map((s) => s.code).join(',')}|${pageLimit}|${offset}`;
  const hash = ctx.rt.jobs.submit(ctx.db.key, key, ctx.now, ctx.rt.wallClock.now(), offset, pageLimit, () => query(ctx, sites, w));
  return { data: { hash } };
}

/** GET /transaction/get-job-data */
export function getJobData(ctx: RequestContext): HandlerResult {
  const hash = ctx.q.raw('hash');
  if (hash === undefined) ctx.q.fail('hash', 'is required.');
  ctx.q.done();
  if (ctx.sandbox && ctx.q.raw('site') === 'invalid') throw apiErrors.notFound('Site code not found.');
  const found = ctx.rt.jobs.get(ctx.db.key, hash ?? '', ctx.now, ctx.rt.wallClock.now());
  if (!found) throw apiErrors.notFound('The job searched for was not found or has expired.');
  const { job, status } = found;
  if (status !== 'pass') {
    return { data: { hash: job.hash, status, data: [], offset: job.offset, limit: job.limit, total: 0 } };
  }
  const opts = detailOptions(ctx, ctx.rt.jobOptions.includeV2Flags);
  const page = pageOf(job.rows, { offset: job.offset, limit: job.limit });
  return {
    data: {
      hash: job.hash,
      status,
      data: page.map((v) => toTransactionObject(v.tx, v.status, opts)),
      offset: job.offset,
      limit: job.limit,
      total: job.rows.length,
    },
    listKey: 'data',
  };
}
