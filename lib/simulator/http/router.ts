/** The route table: every path of openapi.yml, relative to `/v1`. */
import type { Handler } from '@/lib/simulator/http/runtime';
import { listItems, listSites } from '@/lib/simulator/endpoints/catalog';
import { getCustomer, listCustomers } from '@/lib/simulator/endpoints/customers';
import { getClockEntries, getEmployee, listEmployees } from '@/lib/simulator/endpoints/employees';
import { getWashbookDetail, listGiftcards, listWashbooks } from '@/lib/simulator/endpoints/prepaids';
import {
  getRecurringDetail,
  listModifications,
  listRecurringAccounts,
  listRecurringDetails,
  listStatusChanges,
} from '@/lib/simulator/endpoints/recurring';
import { listSalesOutcomes } from '@/lib/simulator/endpoints/sales-outcome';
import {
  getJobData,
  getTransaction,
  listTransactions,
  listTransactionsByType,
  listTransactionsV2,
  loadJob,
} from '@/lib/simulator/endpoints/transactions';

export interface Route {
  methods: readonly string[];
  pattern: RegExp;
  keys: readonly string[];
  handler: Handler;
  /** The sandbox's INVALID / ABC / DEF header values apply here (FACTS §1.7). */
  sandboxSiteMagic: boolean;
}

function route(methods: readonly string[], path: string, handler: Handler, sandboxSiteMagic: boolean): Route {
  const keys: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_m, k: string) => {
    keys.push(k);
    return '([^/]+)';
  });
  return { methods, pattern: new RegExp(`^${source}/?$`), keys, handler, sandboxSiteMagic };
}

const GET = ['GET'] as const;

// Order matters: fixed paths before `{trans_id}`.
export const ROUTES: readonly Route[] = [
  route(GET, '/item', listItems, true),
  route(GET, '/transaction', listTransactions, true),
  route(GET, '/transaction/version-2', listTransactionsV2, true),
  // The spec sample uses GET; production accepts POST (FACTS Q18). Take both.
  route(['POST', 'GET'], '/transaction/load-job', loadJob, false),
  route(GET, '/transaction/get-job-data', getJobData, false),
  route(GET, '/transaction/type/{item_type}', listTransactionsByType, true),
  route(GET, '/transaction/{trans_id}', getTransaction, true),
  route(GET, '/customer', listCustomers, true),
  route(GET, '/customer/{customer_id}', getCustomer, false),
  route(GET, '/employee', listEmployees, true),
  route(GET, '/employee/{employee_id}/clock-entries', getClockEntries, true),
  route(GET, '/employee/{employee_id}', getEmployee, false),
  route(GET, '/giftcard-liablilty', listGiftcards, true),
  route(GET, '/recurring/account/list', listRecurringAccounts, true),
  route(GET, '/recurring/account/status-list', listStatusChanges, false),
  route(GET, '/recurring/account/modifications', listModifications, true),
  route(GET, '/recurring/account/details/list', listRecurringDetails, true),
  route(GET, '/recurring/account/{account_id}/detail', getRecurringDetail, false),
  route(GET, '/washbook/account/list', listWashbooks, true),
  route(GET, '/washbook/account/{account_id}/detail', getWashbookDetail, false),
  route(GET, '/site/list', listSites, true),
  route(GET, '/sales-outcome/list', listSalesOutcomes, false),
];

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | { methodMismatch: true } | null {
  let mismatch = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (!r.methods.includes(method)) {
      mismatch = true;
      continue;
    }
    const params: Record<string, string> = {};
    r.keys.forEach((k, i) => {
      params[k] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route: r, params };
  }
  return mismatch ? { methodMismatch: true } : null;
}
