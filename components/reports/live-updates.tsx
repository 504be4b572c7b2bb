'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { formatAgo } from '@/lib/reports/format';

async function fetchVersion(): Promise<string> {
  const response = await fetch('/api/data-version', { cache: 'no-store' });
  if (!response.ok) throw new Error('The data version is not available right now.');
  return ((await response.json()) as { version: string }).version;
}

/**
 * "Updated 3 minutes ago", and a fresh page whenever a sync commits new data: the data version is
 * polled (a few bytes every few seconds) and the server components are re-rendered only when it
 * moves, so figures, charts and markers never sit stale while a sync runs. Test hook: `live-updates`.
 */
export function LiveUpdates({ version, renderedAt }: { version: string; renderedAt: number }) {
  const router = useRouter();
  const shown = useRef(version);
  const [now, setNow] = useState(renderedAt);
  const { data } = useQuery({ queryKey: ['data-version'], queryFn: fetchVersion, refetchInterval: 5_000, refetchIntervalInBackground: false });

  useEffect(() => {
    shown.current = version;
  }, [version]);
  useEffect(() => {
    if (data && data !== shown.current) {
      shown.current = data;
      router.refresh();
    }
  }, [data, router]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <span className="live-updates" data-testid="live-updates" data-version={version}>
      Updated {formatAgo(renderedAt, Math.max(now, renderedAt))}; refreshes by itself when a sync brings new data.
    </span>
  );
}
