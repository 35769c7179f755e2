/**
 * npm run bench -- stand-ins [--refunds 2000] [--messages 2000] [--actions 2000] [--rounds 5] [--only stripe,smtp,fulfilment]
 *                            [--against DIR] [--memory-only]
 *
 * The CPU the stand-ins spend per unit of a remediation's provider work — they share the
 * machine with the system under test in every bench, so what they burn is taken from it:
 *
 * - Stripe: one refund through the official SDK with an Idempotency-Key, and the two
 *   webhooks it sends (refund.created, charge.refunded), signed, to a receiver here that
 *   checks the signatures and answers 200. Its floor: a bare node:http server answering the
 *   same SDK requests with a refund-sized JSON.
 * - SMTP sink: one customer notice through a pooled nodemailer transport, as the backend's
 *   SmtpMailer sends it. Floor: smtp-server with the sink's options, discarding every message.
 * - Fulfilment: one cancel with an Idempotency-Key over kept-alive node:http, as the
 *   backend's HttpFulfilment sends it. Floor: the bare node:http server.
 *
 * Every server is a child process on a free port (never a stack's: this runs beside the bench
 * stack), and its CPU is read from /proc/<pid>/stat around the measured work only; what needs
 * setting up first (paid PaymentIntents, registered shipments) is not measured. Per server:
 * one round to warm up, then --rounds rounds, the servers taking turns; the figure is the
 * median round, and a ratio the median of the rounds' ratios. The machine is shared: expect
 * single rounds to vary by ±20 %, and compare builds only within one run (--against).
 * Stand-ins keep a journal (DATA_FILE) as in the stacks, unless --memory-only (as the remediate
 * bench starts them), and log at `warn` as there.
 *
 * BENCH_CPU_PROF=DIR writes each stand-in's V8 CPU profile (setup and warm-up included) to
 * DIR/<build>-<service>/ when it stops; open it in Chrome's DevTools.
 *
 * --against DIR also measures the stand-ins built in DIR (the `dist` folder of another
 * checkout's stand-ins, e.g. a copy of the last commit's build beside a `package.json` with
 * `"type": "module"` and a `node_modules` that resolves `smtp-server` and `mailparser`) in the
 * same rounds, for a before/after under the same conditions.
 *
 * Without the bench stack: `npm run build -w stand-ins && node --import
 * @swc-node/register/esm-register bench/stand-ins.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runBareHttp, runBareSmtp } from './lib/bare-servers.js';
import { freePort } from './lib/child-server.js';
import { option, repoRoot, report } from './lib/report.js';
import { fulfilmentApiKey, fulfilmentTarget } from './lib/stand-in-targets/fulfilment.js';
import { Servers } from './lib/stand-in-targets/servers.js';
import { smtpTarget } from './lib/stand-in-targets/smtp.js';
import { stripeApiKey, stripeTarget } from './lib/stand-in-targets/stripe.js';
import type { Target } from './lib/stand-in-targets/target.js';

const bareIndex = process.argv.indexOf('--bare');
if (bareIndex !== -1) {
  // A child of the run below: one floor server.
  const [kind, port, answer] = process.argv.slice(bareIndex + 1);
  if (kind === 'smtp') runBareSmtp(Number(port));
  else runBareHttp(Number(port), answer ?? '{}');
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

type Service = 'stripe' | 'smtp' | 'fulfilment';

function stringOption(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main() {
  const units: Record<Service, number> = {
    stripe: option('refunds', 2_000),
    smtp: option('messages', 2_000),
    fulfilment: option('actions', 2_000),
  };
  const rounds = option('rounds', 5);
  const only = (stringOption('only')?.split(',') ?? ['stripe', 'smtp', 'fulfilment']) as Service[];
  const against = stringOption('against');
  const journal = !process.argv.includes('--memory-only');
  const builds = [{ label: 'current', dist: join(repoRoot, 'stand-ins', 'dist') }];
  if (against) builds.push({ label: 'against', dist: resolve(against) });

  const dataDir = mkdtempSync(join(tmpdir(), 'rd-bench-stand-ins-'));
  const servers = new Servers(new URL(import.meta.url).pathname, dataDir, journal);
  const figures: Record<string, number | string | boolean> = {};
  try {
    for (const service of only) {
      const targets = await targetsFor(service, builds, servers);
      Object.assign(figures, await measure(service, targets, units[service], rounds));
      for (const target of targets) await target.stop();
      await servers.stopAll();
    }
    report('stand-ins', figures, [
      `CPU ms of the server process per unit of work, median of ${rounds} rounds (after a warm-up); floor: a bare server given the same traffic;`,
      "a ratio is the median of the rounds' ratios.",
      `stripe: per refund with its 2 signed webhooks; smtp: per message; fulfilment: per cancel. Journal ${journal ? 'on (DATA_FILE, as the stacks)' : 'off (--memory-only)'}.`,
      ...(against ? [`against: the stand-ins built in ${against}, measured in the same rounds.`] : []),
    ]);
  } finally {
    await servers.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The floor server and each build's stand-in of one service, in the order they are reported. */
async function targetsFor(service: Service, builds: { label: string; dist: string }[], servers: Servers): Promise<Target[]> {
  const targets: Target[] = [];
  if (service === 'stripe') {
    targets.push(await stripeTarget('floor', (port, answer) => servers.bare('http', port, answer)));
    for (const { label, dist } of builds) {
      const env = (port: number) => ({ PORT: String(port), STRIPE_SECRET_KEY: stripeApiKey, RATE_LIMIT_RPS: '0' });
      targets.push(await stripeTarget(label, (port) => servers.standIn(dist, service, env(port), label), true));
    }
  } else if (service === 'smtp') {
    targets.push(await smtpTarget('floor', (port) => servers.bare('smtp', port)));
    for (const { label, dist } of builds) {
      const env = async (port: number) => ({ SMTP_PORT: String(port), HTTP_PORT: String(await freePort()) });
      targets.push(await smtpTarget(label, async (port) => servers.standIn(dist, service, await env(port), label)));
    }
  } else {
    targets.push(await fulfilmentTarget('floor', (port, answer) => servers.bare('http', port, answer)));
    for (const { label, dist } of builds) {
      const env = (port: number) => ({ PORT: String(port), FULFILMENT_API_KEY: fulfilmentApiKey, RATE_LIMIT_RPS: '0' });
      targets.push(await fulfilmentTarget(label, (port) => servers.standIn(dist, service, env(port), label), true));
    }
  }
  return targets;
}

/**
 * A warm-up round, then `rounds` measured rounds, the targets' order rotated each round. Each
 * target's figure is its median round; a ratio is the median of the rounds' ratios, each taken
 * between runs a few seconds apart, so a busy spell on the shared machine moves both sides.
 */
async function measure(service: Service, targets: Target[], units: number, rounds: number): Promise<Record<string, number>> {
  const perRound = new Map<string, number[]>(targets.map((target) => [target.label, []]));
  for (const target of targets) await runOnce(target, units);
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
    for (const target of order) perRound.get(target.label)!.push(await runOnce(target, units));
    console.log(
      `${service} round ${round + 1}: ${targets.map(({ label }) => `${label} ${perRound.get(label)!.at(-1)!.toFixed(3)} ms`).join(', ')}`,
    );
  }
  const figures: Record<string, number> = {};
  for (const [label, values] of perRound) figures[`${service}_${label}_ms`] = median(values);
  const ratio = (over: string) => median(perRound.get('current')!.map((value, round) => value / perRound.get(over)![round]!));
  figures[`${service}_current_over_floor`] = ratio('floor');
  if (perRound.has('against')) figures[`${service}_current_over_against`] = ratio('against');
  return figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One round on one target: its setup, then the measured work and what it sets off (webhooks), in CPU ms per unit. */
async function runOnce(target: Target, units: number): Promise<number> {
  const work = await target.prepare(units);
  const before = target.cpuMs();
  await work.run();
  await work.settle();
  const used = target.cpuMs() - before;
  await work.check?.();
  return used / units;
}
