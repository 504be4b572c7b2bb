import styles from '@/components/auth/auth.module.css';

export type PickerCatalog = { key: string; name: string; sites: { code: string; name: string }[] }[];

/**
 * Site checkboxes grouped by database, sent as repeated `site=database:CODE` (the report filters'
 * notation). Only managers and viewers use them: an owner sees every site.
 */
export function SitePicker({ catalog, selected = [], idPrefix }: { catalog: PickerCatalog; selected?: string[]; idPrefix: string }) {
  if (!catalog.length) return <p className="small muted">No sites are known yet: they appear after the first sync.</p>;
  return (
    <div className={styles.sites}>
      {catalog.map((d) => (
        <fieldset key={d.key}>
          <legend>{d.name}</legend>
          {d.sites.map((s) => {
            const value = `${d.key}:${s.code}`;
            const id = `${idPrefix}-${d.key}-${s.code}`;
            return (
              <label key={value} htmlFor={id}>
                <input id={id} type="checkbox" name="site" value={value} defaultChecked={selected.includes(value)} />
                {s.name} <span className="muted">{s.code}</span>
              </label>
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}
