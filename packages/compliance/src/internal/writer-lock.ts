import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { JtsError } from '@jts/core';

/** Who holds a trail's writer lock: what `<prefix>.lock` contains. */
export interface WriterLockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** Linux: the kernel's boot id, so a lock left before a reboot is known to be dead. */
  readonly bootId?: string;
  /** Linux: the holder's start time in clock ticks since boot, so a reused pid is not taken for the holder. */
  readonly startTicks?: string;
  readonly token: string;
  readonly since: string;
}

/** Why a lock was taken over. */
export interface WriterLockTakeover {
  readonly previous: Partial<WriterLockHolder> | undefined;
  readonly reason: string;
}

/** A held writer lock. */
export interface WriterLock {
  readonly path: string;
  /** Set when a stale lock was taken over to acquire this one. */
  readonly takeover: WriterLockTakeover | undefined;
  /** Stops refreshing and removes the lock file (if it is still ours). */
  release(): void;
}

export interface WriterLockOptions {
  /** A lock not refreshed for this long is stale (its holder is dead or hung). The holder refreshes every third of it. */
  readonly staleMs: number;
  /** Called once if the lock file stops being ours (removed or taken over by another writer). */
  readonly onLost: (why: string) => void;
}

// Locks this process holds, shared by every copy of the package loaded in it (ESM and CommonJS).
const HELD_KEY = Symbol.for('jts.compliance.writer-locks.v1');
const held: Set<string> = ((globalThis as Record<symbol, unknown>)[HELD_KEY] as Set<string> | undefined) ?? new Set<string>();
(globalThis as Record<symbol, unknown>)[HELD_KEY] = held;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

const bootId = (): string | undefined => readText('/proc/sys/kernel/random/boot_id');

/** Field 22 of /proc/<pid>/stat (start time since boot), read after the command name, which may hold spaces. */
function startTicks(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string | undefined): Partial<WriterLockHolder> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<WriterLockHolder>;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Why the holder is known to be gone, or undefined when it may still be writing. */
function deadHolder(holder: Partial<WriterLockHolder> | undefined, ageMs: number, staleMs: number): string | undefined {
  if (holder !== undefined && typeof holder.pid === 'number' && holder.hostname === hostname()) {
    if (holder.pid === process.pid) return 'left by an earlier process with the same pid on this host';
    const boot = bootId();
    if (boot !== undefined && holder.bootId !== undefined && holder.bootId !== boot) return 'left before the host restarted';
    if (!processAlive(holder.pid)) return `its process ${holder.pid} is not running`;
    if (holder.startTicks !== undefined) {
      const now = startTicks(holder.pid);
      if (now !== undefined && now !== holder.startTicks) return `pid ${holder.pid} now belongs to another process`;
    }
  }
  if (ageMs > staleMs) return `not refreshed for ${Math.round(ageMs)} ms (stale after ${staleMs} ms)`;
  return undefined;
}

/**
 * Takes the one-writer lock of a trail: `<directory>/<prefix>.lock`, created exclusively. A second
 * writer (another process, or a second trail on the same directory in this one) fails fast with
 * `JTS_ERR_AUDIT_LOCKED` instead of forking the chain. A lock whose holder is known to be dead
 * (same host: process gone, pid reused, host rebooted) or that was not refreshed for `staleMs` is
 * taken over, and the takeover is reported. The holder refreshes the file's mtime and checks it is
 * still the owner every `staleMs / 3`.
 *
 * @internal
 */
export function acquireWriterLock(directory: string, prefix: string, options: WriterLockOptions): WriterLock {
  const path = join(directory, `${prefix}.lock`);
  if (held.has(path)) {
    throw new JtsError('JTS_ERR_AUDIT_LOCKED', `createAuditTrail: the trail ${prefix} in ${directory} is already open in this process; close() it first, or use another directory or filePrefix`);
  }
  const self: WriterLockHolder = {
    pid: process.pid,
    hostname: hostname(),
    ...(bootId() !== undefined && { bootId: bootId() }),
    ...(startTicks(process.pid) !== undefined && { startTicks: startTicks(process.pid) }),
    token: randomUUID(),
    since: new Date().toISOString(),
  };
  let takeover: WriterLockTakeover | undefined;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(self)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (attempt >= 3) throw new JtsError('JTS_ERR_AUDIT_LOCKED', `createAuditTrail: other writers keep taking the lock ${path}; two writers would fork the chain`);
    }
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      continue; // released meanwhile: try again
    }
    const holder = parseHolder(readText(path));
    const reason = deadHolder(holder, Date.now() - stat.mtimeMs, options.staleMs);
    if (reason === undefined) {
      const who = holder ? `pid ${holder.pid} on ${holder.hostname}, since ${holder.since}` : 'an unknown process';
      throw new JtsError(
        'JTS_ERR_AUDIT_LOCKED',
        `createAuditTrail: another writer holds the trail ${prefix} in ${directory} (${who}); two writers would fork the chain. Give each process its own directory or filePrefix. If that writer is gone, the lock is taken over once it is ${options.staleMs} ms old, or delete ${path}.`,
      );
    }
    // Move the stale lock aside; if what moved is not what was judged (a racing writer replaced it), put it back.
    const aside = `${path}.stale-${self.token}`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    if (statSync(aside).ino !== stat.ino) {
      try {
        linkSync(aside, path);
      } catch {
        // Another lock is in place already; the one moved aside belonged to a writer that lost a race.
      }
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
    takeover = { previous: holder, reason };
  }
  held.add(path);
  let lost = false;
  const refresh = setInterval(
    () => {
      const current = parseHolder(readText(path));
      if (current?.token !== self.token) {
        lost = true;
        clearInterval(refresh);
        held.delete(path);
        options.onLost(current ? `taken over by pid ${current.pid} on ${current.hostname}` : 'the lock file was removed');
        return;
      }
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // Checked again at the next refresh.
      }
    },
    Math.max(10, Math.floor(options.staleMs / 3)),
  ).unref();
  return {
    path,
    takeover,
    release() {
      clearInterval(refresh);
      if (lost) return;
      held.delete(path);
      if (parseHolder(readText(path))?.token === self.token) {
        try {
          unlinkSync(path);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
