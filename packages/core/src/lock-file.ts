import {
  type Stats,
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { type JtsErrorCode, JtsError } from './errors.js';

/** Who holds a lock file: what the file contains (one JSON line). */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** Linux: the kernel's boot id, so a lock left before a reboot is known to be dead. */
  readonly bootId?: string;
  /** Linux: the holder's start time in clock ticks since boot, so a reused pid is not taken for the holder. */
  readonly startTicks?: string;
  /** Random per lock: tells the holder the file is still its own. */
  readonly token: string;
  /** When the lock was taken (ISO 8601). */
  readonly since: string;
}

/** A stale lock that was taken over, and why it counted as stale. */
export interface LockTakeover {
  /** The previous holder, as far as its file could be read. */
  readonly previous: Partial<LockHolder> | undefined;
  readonly reason: string;
}

/** Options of {@link acquireLockFile}. */
export interface LockFileOptions {
  /** Path of the lock file; its directory must exist. */
  readonly path: string;
  /** What the lock guards, for messages, e.g. `the audit trail "audit" in /var/lib/jts/audit`. */
  readonly subject: string;
  /** Code of the error thrown while another writer holds the lock, e.g. `JTS_ERR_AUDIT_LOCKED`. */
  readonly code: JtsErrorCode;
  /** What to do about it, the end of that error's message. */
  readonly hint: string;
  /** A lock not refreshed for this long counts as stale; the holder refreshes it every third of it. Default 30000. */
  readonly staleMs?: number;
  /** Called once if the file stops being this holder's (removed, or taken over by another writer). */
  readonly onLost?: (why: string) => void;
}

/** A held lock. */
export interface LockFile {
  readonly path: string;
  /** Set when a stale lock was taken over to acquire this one. */
  readonly takeover: LockTakeover | undefined;
  /** Stops refreshing and removes the file if it is still this holder's. Idempotent. */
  release(): void;
}

// Locks held by this process, shared by every copy of @jts/core loaded in it (ESM and CommonJS).
const HELD_KEY = Symbol.for('jts.core.lock-files.v1');
const held: Set<string> =
  ((globalThis as Record<symbol, unknown>)[HELD_KEY] as Set<string> | undefined) ?? new Set<string>();
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
  return stat === undefined ? undefined : stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

/** Blocks the thread for `ms` (lock set-up is synchronous; used only while another writer takes over). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string | undefined): Partial<LockHolder> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return value !== null && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Why the holder is known to be gone, or undefined while it may still be writing. */
function goneBecause(holder: Partial<LockHolder> | undefined, ageMs: number, staleMs: number): string | undefined {
  if (holder !== undefined && typeof holder.pid === 'number' && holder.hostname === hostname()) {
    // Not in `held`, so not this process: an earlier one that had the same pid (a restarted container).
    if (holder.pid === process.pid) return 'left by an earlier process with the same pid on this host';
    const boot = bootId();
    if (boot !== undefined && holder.bootId !== undefined && holder.bootId !== boot)
      return 'left before the host restarted';
    if (!processRunning(holder.pid)) return `its process ${holder.pid} is not running`;
    if (holder.startTicks !== undefined) {
      const now = startTicks(holder.pid);
      if (now !== undefined && now !== holder.startTicks) return `pid ${holder.pid} now belongs to another process`;
    }
  }
  if (ageMs > staleMs) return `not refreshed for ${Math.round(ageMs)} ms (stale after ${staleMs} ms)`;
  return undefined;
}

/**
 * Takes an exclusive lock file for one writer of some on-disk state (an audit trail, a log spool),
 * so a second writer fails fast instead of corrupting it. The file is created with `O_EXCL` and
 * holds the holder's pid, host name, boot id, process start time and a random token. A lock whose
 * holder is known to be gone is taken over at once (same host: process not running, pid reused,
 * host restarted); any other lock only once its mtime is older than `staleMs` (another host, an
 * unreadable file, a hung holder). The holder refreshes the mtime, and checks the file is still
 * its own, every `staleMs / 3` (an unref'd timer). Advisory: only writers using it are kept out.
 *
 * @param options - the path, the messages and the staleness
 * @returns the held lock
 * @throws JtsError `options.code` while another writer holds it (the message names the holder);
 *   the file system's error when the file cannot be created (EACCES, ENOENT, ...)
 * @example
 * const lock = acquireLockFile({ path: join(dir, 'writer.lock'), subject: `the spool ${dir}`, code: 'JTS_ERR_SPOOL_LOCKED', hint: 'give each process its own directory' });
 * // ... write ...
 * lock.release();
 */
export function acquireLockFile(options: LockFileOptions): LockFile {
  const { path, subject } = options;
  const staleMs = options.staleMs ?? 30_000;
  if (held.has(path))
    throw new JtsError(options.code, `${subject} is already locked by this process (${path}): ${options.hint}`);
  const boot = bootId();
  const ticks = startTicks(process.pid);
  const self: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    ...(boot !== undefined && { bootId: boot }),
    ...(ticks !== undefined && { startTicks: ticks }),
    token: globalThis.crypto.randomUUID(),
    since: new Date().toISOString(),
  };
  /** Writes this holder's file at `target` if nothing is there; false when something is. */
  const create = (target = path): boolean => {
    let fd: number;
    try {
      fd = openSync(target, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      writeSync(fd, `${JSON.stringify(self)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  };
  let takeover: LockTakeover | undefined;
  for (let attempt = 0; !create(); attempt += 1) {
    if (attempt >= 20)
      throw new JtsError(options.code, `${subject}: other writers keep taking the lock ${path}: ${options.hint}`);
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      continue; // released meanwhile
    }
    const holder = parseHolder(readText(path));
    const reason = goneBecause(holder, Date.now() - stat.mtimeMs, staleMs);
    if (reason === undefined) {
      const who = holder ? `pid ${holder.pid} on ${holder.hostname}, since ${holder.since}` : 'an unknown process';
      throw new JtsError(
        options.code,
        `${subject} is locked by another writer (${who}; ${path}): ${options.hint} A lock whose holder is gone is taken over at once on the same host, otherwise once it is ${staleMs} ms old; delete it by hand only when no such writer runs.`,
      );
    }
    if (takeOver(stat)) {
      takeover = { previous: holder, reason };
      break;
    }
    sleepSync(5); // another writer is taking over: let it finish, then judge its lock
  }

  /**
   * Replaces the stale lock judged from `stat` by this holder's (a rename over it), under a second
   * exclusive file (`<path>.takeover`), so that of several writers finding the same stale lock only
   * one replaces it, and never after its holder refreshed it. A takeover file older than 10 s was left by a
   * writer that died while taking over, and is removed.
   */
  function takeOver(stat: Stats): boolean {
    const mutex = `${path}.takeover`;
    try {
      closeSync(openSync(mutex, 'wx', 0o644));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(mutex).mtimeMs > 10_000) unlinkSync(mutex);
      } catch {
        // Gone meanwhile.
      }
      return false;
    }
    try {
      let now: Stats;
      try {
        now = statSync(path);
      } catch {
        return false; // released meanwhile: the next attempt creates the lock
      }
      if (now.ino !== stat.ino || now.mtimeMs !== stat.mtimeMs) return false;
      // Replaced in one rename: the path never stands empty for a plain create to slip in.
      const replacement = `${path}.${self.token}`;
      try {
        create(replacement);
        renameSync(replacement, path);
      } catch (error) {
        rmSync(replacement, { force: true });
        throw error;
      }
      return true;
    } finally {
      try {
        unlinkSync(mutex);
      } catch {
        // Removed as abandoned by another writer; nothing to undo.
      }
    }
  }
  held.add(path);
  let done = false;
  const refresh = setInterval(
    () => {
      const current = parseHolder(readText(path));
      if (current?.token !== self.token) {
        done = true;
        clearInterval(refresh);
        held.delete(path);
        options.onLost?.(
          current ? `taken over by pid ${current.pid} on ${current.hostname}` : 'the lock file was removed',
        );
        return;
      }
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // Checked again at the next refresh.
      }
    },
    Math.max(10, Math.floor(staleMs / 3)),
  );
  refresh.unref();
  return {
    path,
    takeover,
    release() {
      if (done) return;
      done = true;
      clearInterval(refresh);
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
