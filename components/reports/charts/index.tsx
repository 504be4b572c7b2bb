'use client';

import dynamic from 'next/dynamic';

/**
 * The charts, loaded in the browser only. A chart cannot measure its box on the server anyway
 * (it would render empty), and server-rendering Recharts (a Redux store and dozens of components
 * per chart) made up most of the overview's render time under load. The space is reserved so the
 * page does not jump; the numbers are on the page as tables regardless.
 */
const placeholder = (height: number) =>
  function ChartPlaceholder() {
    return <div className="chart-placeholder" style={{ height }} aria-hidden="true" />;
  };

export const RevenueBySiteChart = dynamic(() => import('./revenue-by-site-chart').then((m) => m.RevenueBySiteChart), {
  ssr: false,
  loading: placeholder(240),
});
export const DailyRevenueChart = dynamic(() => import('./daily-revenue-chart').then((m) => m.DailyRevenueChart), {
  ssr: false,
  loading: placeholder(360),
});
export const BusiestHoursChart = dynamic(() => import('./busiest-hours-chart').then((m) => m.BusiestHoursChart), {
  ssr: false,
  loading: placeholder(260),
});
export const SiteDailyChart = dynamic(() => import('./site-daily-chart').then((m) => m.SiteDailyChart), {
  ssr: false,
  loading: placeholder(280),
});
export const SiteCarsChart = dynamic(() => import('./site-cars-chart').then((m) => m.SiteCarsChart), {
  ssr: false,
  loading: placeholder(520),
});
