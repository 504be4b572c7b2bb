/**
 * An expected failure of a backup or a restore: its message is one sentence for the operator
 * (what is wrong and what was left untouched), printed as it is by the CLIs. Unexpected failures
 * stay ordinary errors, with their cause, for the log.
 */
export class BackupError extends Error {
  override name = 'BackupError';
}
