import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { round } from './stats';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/**
 * User plus system CPU time, in milliseconds, from a `stat` file of /proc (Linux): a process's
 * (`/proc/<pid>/stat`, all its threads) or one thread's (`/proc/<pid>/task/<tid>/stat`).
 */
export function cpuMsOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / clockTicks();
}

/** CPU milliseconds of every running PostgreSQL process of this machine, by pid. */
function postgresProcesses(): Map<number, number> {
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      found.set(Number(entry), cpuMsOf(`/proc/${entry}/stat`));
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** Where the CPU time of a measured window went, in milliseconds per operation. */
export interface CpuPerOperation {
  /** The server process, all its threads (with SQLite, the database's work is here). */
  server: number;
  /** Of which the server's main thread, the one that answers requests. */
  requestThread: number;
  /** The PostgreSQL server's processes; 0 with SQLite, which runs inside the server. */
  database: number;
  /** This process, which generates the load. */
  loadGenerator: number;
  /** All of the above. */
  total: number;
  /**
   * Operations per second the machine's cores could do at this cost if they did nothing else and every
   * part ran in parallel: an upper bound for the machine, whatever the server's design.
   */
  ceilingPerSecond: number;
}

/**
 * Measures the CPU time the server, the database and the load generator spend over a window, from /proc,
 * so that a throughput can be set against what the machine's cores can give.
 */
export class CpuMeter {
  readonly #serverPid: number;
  readonly #withPostgres: boolean;
  #start: { readings: Readings; self: NodeJS.CpuUsage } | undefined;

  constructor(serverPid: number, withPostgres: boolean) {
    this.#serverPid = serverPid;
    this.#withPostgres = withPostgres;
  }

  /** The server's CPU time (all threads, and its request thread) and PostgreSQL's processes', now. */
  #read(): Readings {
    return {
      server: cpuMsOf(`/proc/${this.#serverPid}/stat`),
      thread: cpuMsOf(`/proc/${this.#serverPid}/task/${this.#serverPid}/stat`),
      postgres: this.#withPostgres ? postgresProcesses() : new Map(),
    };
  }

  start(): void {
    this.#start = { readings: this.#read(), self: process.cpuUsage() };
  }

  /** The window's CPU time divided by the operations done in it; `null` if the meter is not readable. */
  stop(operations: number): CpuPerOperation | null {
    if (!this.#start || operations <= 0) return null;
    const { readings: before, self: selfBefore } = this.#start;
    const after = this.#read();
    const server = after.server - before.server;
    const thread = after.thread - before.thread;
    let database = 0;
    // A backend that started during the window counts from zero; one that ended is lost (rare: the
    // server keeps its connections open).
    for (const [pid, ms] of after.postgres) database += ms - (before.postgres.get(pid) ?? 0);
    const self = process.cpuUsage(selfBefore);
    const loadGenerator = (self.user + self.system) / 1_000;
    const total = server + database + loadGenerator;
    return {
      server: round(server / operations, 3),
      requestThread: round(thread / operations, 3),
      database: round(database / operations, 3),
      loadGenerator: round(loadGenerator / operations, 3),
      total: round(total / operations, 3),
      ceilingPerSecond: round((availableParallelism() * 1_000 * operations) / total),
    };
  }
}

interface Readings {
  server: number;
  thread: number;
  postgres: Map<number, number>;
}
