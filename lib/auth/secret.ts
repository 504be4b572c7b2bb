/**
 * The secret that signs session cookies. `AUTH_SECRET` when set; otherwise one generated on first
 * start and kept where every process of this archive finds it: on SQLite, beside the database file
 * with mode 0600, so restarts keep everyone signed in and other local users cannot read it; on
 * Postgres, in the database itself (app_state), because instances on several machines must share
 * it (issue 14). Never logged, never shown: errors name the file, not its content.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensureStoredAuthSecret } from '@/db/queries/auth-secret';
import { AUTH_SECRET_MIN_LENGTH, ConfigError, type AppConfig } from '@/lib/env';

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`The auth secret file ${file} cannot be read; check its owner and permissions.`, { cause: error });
  }
  if (text.length < AUTH_SECRET_MIN_LENGTH) {
    throw new ConfigError(`The auth secret file ${file} is damaged; delete it to generate a new one (everyone will have to sign in again).`);
  }
  // Tighten a file someone copied with looser permissions.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return text;
}

const generateSecret = () => crypto.randomBytes(32).toString('base64url');

function resolveFileSecret(file: string): string {
  const existing = readSecretFile(file);
  if (existing) return existing;
  const secret = generateSecret();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // `wx`: when two processes start at once, the second reads the first one's secret.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(`The auth secret file ${file} cannot be written; check the folder's permissions.`, { cause: error });
    }
    return readSecretFile(file)!;
  }
}

/** The secret to sign sessions with, generating and storing one when there is none yet. */
export async function resolveAuthSecret(config: Pick<AppConfig, 'authSecret' | 'authSecretFile' | 'storage'>): Promise<string> {
  if (config.authSecret) return config.authSecret;
  if (config.storage.dialect === 'postgres') return ensureStoredAuthSecret(generateSecret());
  return resolveFileSecret(config.authSecretFile);
}
