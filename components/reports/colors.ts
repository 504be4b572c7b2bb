/** Chart colours: distinct hues that keep a 3:1 contrast against white (WCAG non-text contrast). */
export const DATABASE_COLORS = ['#0b63ce', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0f766e'];
export const SERIES_COLORS = [
  '#0b63ce', '#c2410c', '#15803d', '#7c3aed', '#be123c', '#0f766e', '#a16207', '#4338ca',
  '#b91c1c', '#047857', '#9333ea', '#1d4ed8', '#c026d3', '#854d0e', '#0369a1', '#4d7c0f',
];

export function colorAt(palette: readonly string[], index: number): string {
  return palette[index % palette.length]!;
}
