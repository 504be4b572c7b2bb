/**
 * `npm run users -- <command>`: accounts from the command line (the first owner, and any change
 * without the web app).
 *
 *   add --email E --role owner|manager|viewer [--sites washu/JOLIET,icon/DENVER]
 *   list
 *   remove --email E
 *   set-password --email E
 *
 * Passwords are read from standard input when it is not a terminal (`echo "$PW" | npm run users …`),
 * and prompted for twice, hidden, when it is. Refusals print one sentence and exit 1; a command line
 * that cannot be read exits 2. Every change is written to the audit log as "command line".
 */
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '@/db';
import { listUsers } from '@/db/queries/users';
import { recordAudit } from '@/lib/auth/audit';
import { ROLE_LABELS } from '@/lib/auth/roles';
import { addUser, formatSiteList, parseRole, parseSiteList, removeUserByEmail, setPassword, UserInputError } from '@/lib/auth/users';
import { getConfigOrExit } from '@/lib/env';

const USAGE = `Usage:
  npm run users -- add --email E --role owner|manager|viewer [--sites washu/JOLIET,icon/DENVER]
  npm run users -- list
  npm run users -- remove --email E
  npm run users -- set-password --email E
Passwords come from standard input, or are asked for twice when it is a terminal.`;

class UsageError extends Error {}

/** Reads a line from a terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          done();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          done();
          reject(new UsageError('Cancelled.'));
          return;
        }
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    const done = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    input.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  // The first line: `echo` and here-strings add a newline that is not part of the password.
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = await readStdin();
    if (!password) throw new UserInputError('No password on standard input: pipe one in, or run the command in a terminal to be asked.');
    return password;
  }
  const first = await promptHidden('Password: ');
  const second = await promptHidden('Repeat the password: ');
  if (first !== second) throw new UserInputError('The two passwords are not the same; nothing was changed.');
  return first;
}

function requireEmail(email: string | undefined): string {
  if (!email) throw new UsageError('--email is required.');
  return email;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  let values: { email?: string; role?: string; sites?: string };
  try {
    values = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, sites: { type: 'string' } } }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  getConfigOrExit();
  getDb();

  switch (command) {
    case 'add': {
      const email = requireEmail(values.email);
      if (!values.role) throw new UsageError('--role is required (owner, manager or viewer).');
      const role = parseRole(values.role);
      const sites = parseSiteList(values.sites ?? '');
      const password = await readPassword();
      await addUser({ email, role, sites, password });
      const access = role === 'owner' ? 'owner' : `${role} of ${formatSiteList(sites)}`;
      await recordAudit({ actor: { cli: true }, action: 'user-added', detail: `Added ${email.toLowerCase()} as ${access}.` });
      console.log(`Added ${email.toLowerCase()} (${access}). They can sign in now.`);
      return;
    }
    case 'list': {
      const users = await listUsers();
      if (!users.length) {
        console.log('No users yet. Add the first owner with: npm run users -- add --email you@example.com --role owner');
        return;
      }
      for (const u of users) {
        const sites = u.role === 'owner' ? 'all sites' : formatSiteList(u.sites) || 'no sites';
        const status = u.hasPassword ? '' : u.invitationExpiresAt ? ' (invited, no password yet)' : ' (no password)';
        console.log(`${u.email}\t${ROLE_LABELS[u.role]}\t${sites}${u.isDemo ? '\tdemo' : ''}${status}`);
      }
      return;
    }
    case 'remove': {
      const email = await removeUserByEmail(requireEmail(values.email));
      await recordAudit({ actor: { cli: true }, action: 'user-removed', detail: `Removed ${email}.` });
      console.log(`Removed ${email}; their sessions have ended.`);
      return;
    }
    case 'set-password': {
      const email = requireEmail(values.email);
      const password = await readPassword();
      await setPassword(email, password);
      await recordAudit({ actor: { cli: true }, action: 'password-set', detail: `Set the password of ${email.toLowerCase()}.` });
      console.log(`Password set for ${email.toLowerCase()}; their other sessions have ended.`);
      return;
    }
    default:
      throw new UsageError(command ? `"${command}" is not a users command.` : 'Name a command.');
  }
}

try {
  await main(process.argv.slice(2));
  await closeDb();
} catch (error) {
  await closeDb();
  if (error instanceof UserInputError) {
    console.error(error.message);
    process.exit(1);
  }
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error('The users command failed unexpectedly:', error instanceof Error ? error.message : String(error));
  process.exit(1);
}
