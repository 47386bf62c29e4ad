/**
 * The few git queries flota's delivery commands need, as a thin wrapper over the git CLI (execFileSync, no shell).
 * Errors say which ref was missing and how to make it available in CI.
 */
import { execFileSync } from 'node:child_process';

export type FileStatus = 'added' | 'modified' | 'deleted';

export interface FileChange {
  readonly status: FileStatus;
  /** Path relative to the repository root, forward slashes. */
  readonly path: string;
}

export class GitError extends Error {
  override readonly name = 'GitError';
}

function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GitError('git is not installed or not on PATH: install it (apt-get install git, brew install git) or run flota where git is available');
    }
    const stderr = (error as { stderr?: string }).stderr?.trim();
    if (stderr !== undefined && /not a git repository/i.test(stderr)) {
      throw new GitError(`${cwd} is not inside a git repository: run 'flota changed' from a checkout of the fleet repository`);
    }
    throw new GitError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** Resolves a ref to a commit id, or throws naming the ref and the usual CI cause (a shallow clone). */
export function resolveCommit(cwd: string, ref: string): string {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch (error) {
    if (error instanceof GitError && /^git is not installed|is not inside a git repository/.test(error.message)) throw error;
    throw new GitError(
      `git ref '${ref}' is not a commit in ${cwd}. In CI, check out with full history (actions/checkout fetch-depth: 0) ` +
        `and pass a ref that exists, e.g. origin/main.`,
    );
  }
}

/**
 * Files changed between the merge base of `base` and `head`, and `head` (`git diff base...head`: what a pull request
 * shows). Renames are reported as a deletion plus an addition, because for tenant files a rename IS a new tenant id.
 */
export function changedFiles(cwd: string, base: string, head: string): FileChange[] {
  const baseCommit = resolveCommit(cwd, base);
  const headCommit = resolveCommit(cwd, head);
  const output = git(cwd, ['diff', '--name-status', '--no-renames', '-z', `${baseCommit}...${headCommit}`]);
  const fields = output.split('\0').filter((field) => field !== '');
  const changes: FileChange[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const code = fields[index] ?? '';
    const path = fields[index + 1] ?? '';
    const status: FileStatus = code.startsWith('A') ? 'added' : code.startsWith('D') ? 'deleted' : 'modified';
    changes.push({ status, path });
  }
  return changes;
}

/** Full messages of the commits reachable from head but not from base (`git log base..head`). */
export function commitMessages(cwd: string, base: string, head: string): string[] {
  const output = git(cwd, ['log', '--format=%B%x00', `${resolveCommit(cwd, base)}..${resolveCommit(cwd, head)}`]);
  return output
    .split('\0')
    .map((message) => message.trim())
    .filter((message) => message !== '');
}

/** Paths of the files under `directory` at `ref` (non-recursive listing is not needed: the manifest dir is flat). */
export function listFilesAt(cwd: string, ref: string, directory: string): string[] {
  const output = git(cwd, ['ls-tree', '-r', '-z', '--name-only', resolveCommit(cwd, ref), '--', directory]);
  return output.split('\0').filter((path) => path !== '');
}

/** Content of one file at `ref`. */
export function readFileAt(cwd: string, ref: string, path: string): string {
  return git(cwd, ['show', `${resolveCommit(cwd, ref)}:${path}`]);
}
