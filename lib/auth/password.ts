/**
 * The password rule, one definition for the CLI, invitations and Better Auth's own limits. Long
 * enough to resist guessing under the throttle, and not a trivially repeated or obvious string.
 */
import { z } from 'zod';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
const MIN_DISTINCT_CHARACTERS = 4;

/** The reason a password is refused, as one sentence, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `The password is too short: use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `The password is too long: use at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) {
    return `The password is too weak: use at least ${MIN_DISTINCT_CHARACTERS} different characters.`;
  }
  const name = email?.split('@')[0]?.toLowerCase();
  if (name && name.length >= 3 && password.toLowerCase().includes(name)) return 'The password is too weak: it contains the email address.';
  return null;
}

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address, such as name@example.com.' }));
