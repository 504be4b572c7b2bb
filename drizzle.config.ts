import { defineConfig } from 'drizzle-kit';
import { databaseFileOf } from './lib/env';

export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.ts',
  out: './db/migrations',
  dbCredentials: { url: databaseFileOf(process.env.DATABASE_URL) },
});
