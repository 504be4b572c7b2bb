/**
 * "Columns": which of a table's optional columns to show, as a plain GET form (no script needed;
 * the choice lands in the URL as `cols=a,b`, so a view with extra columns is a link like any
 * other). Every column is in the CSV whatever is chosen here.
 */
export interface ChoosableColumn {
  key: string;
  label: string;
}

export function ColumnChooser({
  action,
  columns,
  visible,
  keep,
  anchor,
}: {
  /** The page's path. */
  action: string;
  columns: readonly ChoosableColumn[];
  /** Keys shown now. */
  visible: readonly string[];
  /** The page's other query parameters, carried over. */
  keep: URLSearchParams;
  /** Fragment to return to (the table's section). */
  anchor?: string;
}) {
  const hidden = [...keep.entries()].filter(([name]) => name !== 'cols');
  return (
    <details className="column-chooser">
      <summary>
        Columns <span className="muted">({visible.length} of {columns.length})</span>
      </summary>
      <form method="get" action={anchor ? `${action}#${anchor}` : action}>
        {hidden.map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <fieldset>
          <legend className="visually-hidden">Columns to show</legend>
          {columns.map((c) => (
            <label key={c.key}>
              <input type="checkbox" name="cols" value={c.key} defaultChecked={visible.includes(c.key)} /> {c.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="secondary">
          Show these columns
        </button>
      </form>
    </details>
  );
}

/** The `cols` parameter (repeated or comma-separated) read against the allowed keys, or the defaults. */
export function chosenColumns(raw: string | string[] | undefined, allowed: readonly string[], defaults: readonly string[]): string[] {
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim());
  const chosen = allowed.filter((k) => values.includes(k));
  return chosen.length ? chosen : [...defaults];
}
