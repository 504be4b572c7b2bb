/** Where the e2e suite's server keeps its SQLite file and log: the config starts it there, specs read them. */
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? './test-results/e2e/washboard.db';
export const E2E_SERVER_LOG = './test-results/e2e-auth/server.log';
