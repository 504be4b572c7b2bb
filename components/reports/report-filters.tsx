'use client';

import { useRef } from 'react';
import { COMPARISON_LABELS, COMPARISONS, PRESET_LABELS, PRESETS, type Comparison, type Preset } from '@/lib/reports/range';

export interface FilterCatalogEntry {
  key: string;
  name: string;
  sites: { code: string; name: string; removed: boolean }[];
}

interface Props {
  /** Where the form submits (GET): the page itself, so every filter lands in the URL. */
  action: string;
  preset: Preset;
  from: string;
  to: string;
  compare: Comparison;
  /** Databases and sites to choose from; omitted on a site's own page. */
  catalog?: FilterCatalogEntry[];
  selectedDatabases?: string[];
  /** `databaseKey:code` */
  selectedSites?: string[];
  /** Other parameters to keep (sorting). */
  keep?: Record<string, string | undefined>;
}

/**
 * The report filters as a plain GET form: it works without JavaScript and keyboard-only, and the
 * result is a bookmarkable URL. The only script: editing a date switches the preset to "custom".
 */
export function ReportFilters({ action, preset, from, to, compare, catalog, selectedDatabases = [], selectedSites = [], keep = {} }: Props) {
  const presetRef = useRef<HTMLSelectElement>(null);
  const toCustom = () => {
    if (presetRef.current) presetRef.current.value = 'custom';
  };
  const selectedCount = selectedDatabases.length + selectedSites.length;

  return (
    <form className="card filters" method="get" action={action} aria-label="Report filters">
      <div className="filters-row">
        <label className="field">
          <span>Date range</span>
          <select name="preset" defaultValue={preset} ref={presetRef}>
            {PRESETS.map((p) => (
              <option key={p} value={p}>
                {PRESET_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" name="from" defaultValue={from} onChange={toCustom} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" name="to" defaultValue={to} onChange={toCustom} />
        </label>
        <label className="field">
          <span>Compare with</span>
          <select name="compare" defaultValue={compare}>
            {COMPARISONS.map((c) => (
              <option key={c} value={c}>
                {COMPARISON_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        {Object.entries(keep).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
        <div className="filters-actions">
          <button type="submit">Apply</button>
          <a className="button secondary" href={action}>
            Reset
          </a>
        </div>
      </div>
      {catalog && catalog.length > 0 && (
        <details className="filters-scope" open={selectedCount > 0}>
          <summary>
            Databases and sites{' '}
            <span className="muted">({selectedCount === 0 ? 'all' : `${selectedCount} selected`})</span>
          </summary>
          <p className="muted small">
            Leave everything unticked to see every database and site. Ticked databases and sites add up: a whole database and a site of
            another one show both.
          </p>
          <div className="scope-grid">
            {catalog.map((d) => (
              <fieldset key={d.key}>
                <legend>
                  <label>
                    <input type="checkbox" name="db" value={d.key} defaultChecked={selectedDatabases.includes(d.key)} /> {d.name}{' '}
                    <span className="muted">(whole database)</span>
                  </label>
                </legend>
                {d.sites.length === 0 ? (
                  <p className="muted small">No sites yet.</p>
                ) : (
                  <ul className="plain">
                    {d.sites.map((s) => {
                      const ref = `${d.key}:${s.code}`;
                      return (
                        <li key={ref}>
                          <label>
                            <input type="checkbox" name="site" value={ref} defaultChecked={selectedSites.includes(ref)} /> {s.code} ·{' '}
                            {s.name}
                            {s.removed && <span className="muted"> (closed)</span>}
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </fieldset>
            ))}
          </div>
        </details>
      )}
    </form>
  );
}
