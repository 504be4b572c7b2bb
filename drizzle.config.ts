import { defineConfig } from 'drizzle-kit';
import { databaseFileOf } from './lib/env';

// Two dialects, one schema each (issue 14): `npm run db:generate` runs drizzle-kit once per dialect,
// naming Postgres with DRIZZLE_DIALECT=postgres.
export default process.env.DRIZZLE_DIALECT === 'postgres'
  ? defineConfig({
      dialect: 'postgresql',
      schema: './db/postgres/schema.ts',
      out: './db/postgres/migrations',
    })
  : defineConfig({
      dialect: 'sqlite',
      schema: './db/schema.ts',
      out: './db/migrations',
      dbCredentials: { url: databaseFileOf(process.env.DATABASE_URL) },
    });
