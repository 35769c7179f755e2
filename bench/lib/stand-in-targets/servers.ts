import { join, resolve } from 'node:path';
import { bareReadyLine } from '../bare-servers.js';
import { startChildServer, type ChildServer } from '../child-server.js';
import { repoRoot } from '../report.js';

/** What each stand-in logs once it listens. */
const readyLines = {
  stripe: 'stripe stand-in listening',
  smtp: 'smtp sink listening',
  fulfilment: 'fulfilment stand-in listening',
};

/** Starts the measured servers as child processes, and stops them. */
export class Servers {
  private readonly started: ChildServer[] = [];
  private readonly profileDir = process.env.BENCH_CPU_PROF;

  constructor(
    /** The bench script, which runs a floor server when given `--bare` (bare-servers.ts). */
    private readonly benchScript: string,
    private readonly dataDir: string,
    private readonly journal: boolean,
  ) {}

  async bare(kind: 'http' | 'smtp', port: number, answer = '{}'): Promise<ChildServer> {
    const args = ['--import', '@swc-node/register/esm-register', this.benchScript, '--bare', kind, String(port), answer];
    return this.keep(await startChildServer(args, {}, bareReadyLine, repoRoot));
  }

  /** A stand-in of the build in `dist`, logging at `warn` as in the remediate bench, with a journal unless --memory-only. */
  async standIn(dist: string, name: keyof typeof readyLines, env: Record<string, string>, label: string): Promise<ChildServer> {
    const profile = this.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(this.profileDir, `${label}-${name}`)}`] : [];
    const dataFile: Record<string, string> = this.journal ? { DATA_FILE: join(this.dataDir, `${label}-${name}.jsonl`) } : {};
    const server = await startChildServer(
      [...profile, join(dist, name, 'main.js')],
      { LOG_LEVEL: 'warn', ...dataFile, ...env },
      `"msg":"${readyLines[name]}"`,
      repoRoot,
    );
    return this.keep(server);
  }

  async stopAll(): Promise<void> {
    for (const server of this.started.splice(0)) await server.stop();
  }

  private keep(server: ChildServer): ChildServer {
    this.started.push(server);
    return server;
  }
}
