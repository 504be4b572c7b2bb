import type { NextConfig } from 'next';
import { getConfigOrExit } from './lib/env';

// Validate the environment once, before anything starts: a wrong variable stops `next build`,
// `next dev` and `next start` with one sentence that names it.
getConfigOrExit();

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native module: load it from node_modules at run time instead of bundling it.
  serverExternalPackages: ['better-sqlite3'],
  // The built app is served from this checkout; the migrations are read from db/migrations at run time.
  outputFileTracingIncludes: { '/*': ['./db/migrations/**/*'] },
  experimental: {
    // Washboard's forms post a few hundred bytes (an invitation with every site ticked: a few KB);
    // anything far larger is refused with 413 before the action runs.
    serverActions: { bodySizeLimit: '100kb' },
  },
};

export default nextConfig;
