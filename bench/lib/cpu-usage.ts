import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by part of the stack, read from /proc (Linux): every process on the machine is put in
 * one group by its command line, and its user + system time summed. Between two snapshots this
 * says what one order costs each part — on a machine whose CPU is the limit, the figure that
 * decides the rate, and what capacity planning needs.
 */
export type CpuGroup =
  'postgres' | 'redis' | 'worker' | 'api_and_bench' | 'stripe_stand_in' | 'fulfilment_stand_in' | 'smtp_sink' | 'other';

export interface CpuSnapshot {
  /** CPU milliseconds used so far by the processes alive now, per group. */
  byGroup: Record<CpuGroup, number>;
  /** The same per process: a difference counts only processes alive at its end (see cpuPerUnit). */
  byPid: Map<number, { group: CpuGroup; ms: number }>;
  /** The machine's busy, idle and stolen milliseconds (all cores) since boot; stolen: taken by the host from this VM. */
  machine: { busyMs: number; idleMs: number; stealMs: number };
}

const ticksPerSecond = 100; // USER_HZ: 100 on every Linux build Node runs on

function groupOf(pid: number, command: string, benchPid: number, parentOf: Map<number, number>): CpuGroup {
  if (/^postgres(:|\s|$)/.test(command) || command.includes('/postgres ')) return 'postgres';
  if (command.includes('redis-server')) return 'redis';
  if (command.includes('dist/worker.js')) return 'worker';
  // `node stand-ins/dist/<name>/main.js`
  if (command.includes('stand-ins/dist/stripe/')) return 'stripe_stand_in';
  if (command.includes('stand-ins/dist/fulfilment/')) return 'fulfilment_stand_in';
  if (command.includes('stand-ins/dist/smtp/')) return 'smtp_sink';
  // The bench process runs the API (and its webhooks) in-process; its helpers are its children.
  for (let p: number | undefined = pid; p && p > 1; p = parentOf.get(p)) if (p === benchPid) return 'api_and_bench';
  return 'other';
}

export function cpuSnapshot(benchPid = process.pid): CpuSnapshot {
  const processes: { pid: number; ms: number; command: string }[] = [];
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // Fields after the command name (which may hold spaces): state ppid … utime(12th) stime(13th).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      parentOf.set(pid, Number(fields[1]));
      processes.push({ pid, ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond, command });
    } catch {
      // Gone between the listing and the read.
    }
  }
  const byGroup: Record<CpuGroup, number> = {
    postgres: 0,
    redis: 0,
    worker: 0,
    api_and_bench: 0,
    stripe_stand_in: 0,
    fulfilment_stand_in: 0,
    smtp_sink: 0,
    other: 0,
  };
  const byPid = new Map<number, { group: CpuGroup; ms: number }>();
  for (const { pid, ms, command } of processes) {
    const group = groupOf(pid, command, benchPid, parentOf);
    byGroup[group] += ms;
    byPid.set(pid, { group, ms });
  }
  const [, ...cpu] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu.map(Number) as number[];
  const toMs = (ticks: number) => (ticks * 1000) / ticksPerSecond;
  return {
    byGroup,
    byPid,
    machine: { busyMs: toMs(user! + nice! + system! + irq! + softirq!), idleMs: toMs(idle! + iowait!), stealMs: toMs(steal!) },
  };
}

/**
 * CPU milliseconds per unit of work (e.g. per order) between two snapshots, per group and in all; and
 * the machine's idle share and the share the host stole (a VM's runs vary with it).
 */
export function cpuPerUnit(
  before: CpuSnapshot,
  after: CpuSnapshot,
  units: number,
): { perUnit: Record<string, number>; idleShare: number; stealShare: number } {
  const used = cpuUsedBetween(before, after);
  const perUnit: Record<string, number> = {};
  let total = 0;
  for (const group of Object.keys(used) as CpuGroup[]) {
    perUnit[group] = used[group] / units;
    total += used[group];
  }
  perUnit.total = total / units;
  const busy = after.machine.busyMs - before.machine.busyMs;
  const idle = after.machine.idleMs - before.machine.idleMs;
  const steal = after.machine.stealMs - before.machine.stealMs;
  const all = busy + idle + steal;
  return { perUnit, idleShare: idle / all, stealShare: steal / all };
}

/**
 * CPU milliseconds each group used between two snapshots, process by process: one that started in
 * between counts from zero; one that ended in between (a pooled database connection closed, a
 * short-lived helper) is missing from `after` and not counted — subtracting group totals instead
 * would take its whole past off the others.
 */
export function cpuUsedBetween(before: CpuSnapshot, after: CpuSnapshot): Record<CpuGroup, number> {
  const used = Object.fromEntries(Object.keys(after.byGroup).map((group) => [group, 0])) as Record<CpuGroup, number>;
  for (const [pid, now] of after.byPid) used[now.group] += now.ms - (before.byPid.get(pid)?.ms ?? 0);
  return used;
}
