/**
 * Next.js calls `register()` once when a server instance starts: the one clear entry point for the
 * web process's side effects (migrations, the session secret and demo users, registering databases,
 * the demo simulator and the sync scheduler).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startRuntime } = await import('./lib/server/runtime');
  const { startAuth } = await import('./lib/auth/startup');
  await startRuntime();
  await startAuth();
}
