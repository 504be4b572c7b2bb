'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';

/**
 * Client-side providers for the whole app. TanStack Query serves the widgets that poll (the /sync
 * page's gauges and progress); report pages stream from the server and do not use it.
 */
export function Providers({ children }: { children: React.ReactNode }) {
  // One client per browser tab, created on first render (not at import: the module also runs on the server).
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 5_000, refetchOnWindowFocus: true, retry: 1 },
        },
      }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
