import { defineConfig } from 'drizzle-kit';

// drizzle-kit generates the committed SQL migrations; the server applies them at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
});
