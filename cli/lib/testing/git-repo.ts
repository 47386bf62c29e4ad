/** Test helper: a throwaway git repository in the system temp dir (real git, no mocks). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class GitRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'flota-git-'));

  constructor() {
    this.git('init', '--quiet', '--initial-branch=main');
    this.git('config', 'user.email', 'ci@example.com');
    this.git('config', 'user.name', 'CI');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' });
  }

  write(path: string, content: string): this {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), content);
    return this;
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  commit(message: string): this {
    this.git('add', '-A');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this;
  }

  branch(name: string): this {
    this.git('checkout', '--quiet', '-b', name);
    return this;
  }

  checkout(name: string): this {
    this.git('checkout', '--quiet', name);
    return this;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A tiny fleet: tenants alpha (wave 1), bravo (wave 2), charlie (default wave), plus the usual top-level dirs. */
export function seedFleet(repo: GitRepo): GitRepo {
  return repo
    .write('tenants/_fleet.yaml', 'region: eu-west-1\n')
    .write('tenants/alpha.yaml', 'displayName: Alpha\nwave: 1\n')
    .write('tenants/bravo.yaml', 'displayName: Bravo\nwave: 2\n')
    .write('tenants/charlie.yaml', 'displayName: Charlie\n')
    .write('tenants/tenant.schema.json', '{}\n')
    .write('stacks/tenant-stack.ts', 'export {};\n')
    .write('functions/api/handler.ts', 'export {};\n')
    .write('dashboards/fleet.ts', 'export {};\n')
    .write('docs/delivery.md', '# Delivery\n')
    .write('.github/workflows/pr.yml', 'on: pull_request\n')
    .write('package-lock.json', '{}\n')
    .commit('initial fleet');
}
