import type { Metadata } from 'next';
import { DATASETS, FIGURES, type Dataset, type FigureKey } from '@/lib/measures';

export const metadata: Metadata = { title: 'How we count' };

const DATASET_WORDS: Record<Dataset, string> = {
  sales: 'the transaction list (version 2)',
  washes: 'Sonny’s wash list',
  memberships: 'the transaction detail of each membership sale',
  labor: 'every employee’s clock entries',
};

const GROUPS: { title: string; keys: FigureKey[] }[] = [
  { title: 'Sales', keys: ['transactions', 'revenueCents', 'averageTicket', 'salesCount', 'membershipSales', 'membershipSalesCents', 'redemptions', 'redemptionValueCents', 'refunds', 'refundsCents', 'voided', 'otherStatus'] },
  { title: 'Cars and members', keys: ['carsWashed', 'memberWashes', 'retailWashes', 'planSaleWashes', 'freeWashes', 'eligibleWashes', 'newMemberships', 'conversion', 'revenuePerCar'] },
  { title: 'Labor', keys: ['laborHundredths', 'laborCostCents', 'laborCostPerCar', 'carsPerLaborHour'] },
];

/** The definitions behind every figure (FACTS §0 and §0.1), in plain words, from the same list the figures are computed with. */
export default function HowWeCountPage() {
  return (
    <div className="stack prose">
      <h1>How we count</h1>
      <section className="card stack-sm" aria-labelledby="days-title">
        <h2 id="days-title">Days, money and statuses</h2>
        <p>
          Every “per day” figure uses the <strong>site’s local day</strong>: a transaction’s time in the site’s time zone (the zone Sonny’s reports for
          the site, or one you set with <code>SONNYS_&lt;KEY&gt;_SITE_TIMEZONES</code>, else the database’s default). Money is added up in whole cents.
          Only <strong>Completed</strong> transactions count as sales; voided and other statuses are kept and counted on their own, never dropped.
        </p>
        <p>
          A figure over a period is computed from the period’s sums: a rate such as conversion is the sum of new memberships divided by the sum of
          eligible washes, never an average of daily rates. A figure with nothing to divide by shows “—”.
        </p>
      </section>
      <section className="card stack-sm" aria-labelledby="complete-title">
        <h2 id="complete-title">When a number is whole</h2>
        <p>
          Each figure reads one or more of these: {DATASETS.map((d) => DATASET_WORDS[d]).join('; ')}. A day is <strong>complete</strong> for a figure
          when everything it reads was fetched after the day ended at that site. Until then the day is marked <strong>partial</strong> (hatched in
          charts, flagged in tables and <code>false</code> in the CSV’s <code>complete</code> and <code>kpi_complete</code> columns), and a change
          against an earlier period is shown only when both periods are complete for every site in view, or, for a day still going on, when the
          earlier day is cut at the same time of day.
        </p>
      </section>
      {GROUPS.map((g) => (
        <section key={g.title} className="card stack-sm" aria-labelledby={`group-${g.title}`}>
          <h2 id={`group-${g.title}`}>{g.title}</h2>
          <dl className="definitions">
            {g.keys.map((k) => {
              const f = FIGURES[k];
              return (
                <div key={k} data-testid={`definition-${k}`}>
                  <dt>
                    {f.label}
                    {f.csv && (
                      <span className="muted small">
                        {' '}
                        · CSV <code>{f.csv}</code>
                      </span>
                    )}
                  </dt>
                  <dd>
                    {f.definition} <span className="muted small">From {f.datasets.map((d) => DATASET_WORDS[d]).join(' and ')}.</span>
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
    </div>
  );
}
