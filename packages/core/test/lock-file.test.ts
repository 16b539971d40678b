import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type LockFile, acquireLockFile } from '../src/internal-entry.js';

const dirs: string[] = [];
const locks: LockFile[] = [];
afterEach(() => {
  for (const lock of locks.splice(0)) lock.release();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lockPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jts-lock-'));
  dirs.push(dir);
  return join(dir, 'writer.lock');
}

const take = (path: string, staleMs?: number, onLost?: (why: string) => void) => {
  const lock = acquireLockFile({
    path,
    subject: 'The test store',
    code: 'JTS_ERR_TEST_LOCKED',
    hint: 'use another one.',
    ...(staleMs !== undefined && { staleMs }),
    ...(onLost && { onLost }),
  });
  locks.push(lock);
  return lock;
};
const holder = (fields: Record<string, unknown>) =>
  JSON.stringify({ token: 'theirs', since: '2026-01-01T00:00:00.000Z', ...fields });
const deadPid = () =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
const age = (path: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
};

describe('acquireLockFile', () => {
  it('creates the file with its holder, refuses a second holder in this process, and removes it on release', () => {
    const path = lockPath();
    const lock = take(path);
    expect(lock.takeover).toBeUndefined();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(() => take(path)).toThrow(
      expect.objectContaining({
        code: 'JTS_ERR_TEST_LOCKED',
        message: expect.stringContaining('already locked by this process'),
      }),
    );
    lock.release();
    lock.release();
    expect(existsSync(path)).toBe(false);
    take(path).release();
  });

  it('refuses a lock held by a live process of this host, naming it', () => {
    const path = lockPath();
    writeFileSync(path, holder({ pid: process.ppid, hostname: hostname() }));
    expect(() => take(path)).toThrow(
      expect.objectContaining({
        code: 'JTS_ERR_TEST_LOCKED',
        message: expect.stringMatching(
          new RegExp(`^The test store is locked by another writer \\(pid ${process.ppid} on .*use another one\\.`),
        ),
      }),
    );
  });

  it('takes over at once a lock whose process of this host has exited', () => {
    const path = lockPath();
    const pid = deadPid();
    writeFileSync(path, holder({ pid, hostname: hostname() }));
    const lock = take(path);
    expect(lock.takeover).toEqual({
      previous: expect.objectContaining({ pid }),
      reason: `its process ${pid} is not running`,
    });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
  });

  it('takes over a lock left by an earlier process with this pid (a restarted container)', () => {
    const path = lockPath();
    writeFileSync(path, holder({ pid: process.pid, hostname: hostname() }));
    expect(take(path).takeover?.reason).toBe('left by an earlier process with the same pid on this host');
  });

  it.runIf(existsSync('/proc/self/stat'))(
    'takes over a lock whose pid now belongs to another process, or from before a reboot',
    () => {
      const path = lockPath();
      writeFileSync(path, holder({ pid: process.ppid, hostname: hostname(), startTicks: '1' }));
      expect(take(path).takeover?.reason).toBe(`pid ${process.ppid} now belongs to another process`);
      locks.pop()?.release();
      writeFileSync(path, holder({ pid: process.ppid, hostname: hostname(), bootId: 'another-boot' }));
      expect(take(path).takeover?.reason).toBe('left before the host restarted');
    },
  );

  it('treats a lock from another host, or an unreadable one, as live until it is stale', () => {
    const path = lockPath();
    writeFileSync(path, holder({ pid: 1, hostname: 'elsewhere.invalid' }));
    expect(() => take(path, 60_000)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('pid 1 on elsewhere.invalid') }),
    );
    age(path, 61_000);
    expect(take(path, 60_000).takeover?.reason).toMatch(/^not refreshed for \d+ ms \(stale after 60000 ms\)$/);
    locks.pop()?.release();
    writeFileSync(path, 'not json');
    expect(() => take(path, 60_000)).toThrow(
      expect.objectContaining({ message: expect.stringContaining('an unknown process') }),
    );
    age(path, 61_000);
    expect(take(path, 60_000).takeover?.previous).toBeUndefined();
  });

  it('keeps its lock fresh, and reports once when another writer takes it; release then leaves the other lock alone', async () => {
    const path = lockPath();
    const lost: string[] = [];
    const lock = take(path, 60, (why) => lost.push(why));
    age(path, 10_000);
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 5));
    while (Date.now() - statSync(path).mtimeMs > 1000) await sleep(); // refreshed every 20 ms
    expect(lost).toEqual([]);
    writeFileSync(path, holder({ pid: 1, hostname: 'elsewhere.invalid' }));
    while (lost.length === 0) await sleep();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lost).toEqual(['taken over by pid 1 on elsewhere.invalid']);
    lock.release();
    expect(JSON.parse(readFileSync(path, 'utf8')).token).toBe('theirs');
  });
});

describe('acquireLockFile under a race', () => {
  const fixture = join(import.meta.dirname, 'fixtures/lock-race.ts');
  // Every process tries at the same moment; winners hold the lock until all have answered.
  const race = async (path: string, writers: number) => {
    const startAt = Date.now() + 4000; // every process started and waiting by then
    const children = Array.from({ length: writers }, () =>
      spawn(process.execPath, ['--import', 'tsx', fixture, path, String(startAt)], { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    // Watched from the start: a losing process may have exited before the outcomes are all in.
    const exits = children.map((child) => new Promise((resolve) => child.once('exit', resolve)));
    const outcomes = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            let err = '';
            child.stdout.on('data', (chunk: Buffer) => {
              out += chunk;
              if (out.includes('\n')) resolve(out.trim());
            });
            child.stderr.on('data', (chunk: Buffer) => (err += chunk));
            child.on('exit', (code) => reject(new Error(`exit ${code} before answering: ${err}`)));
          }),
      ),
    );
    for (const child of children) {
      child.stdin.on('error', () => undefined); // EPIPE from a process that has already exited
      child.stdin.end();
    }
    await Promise.all(exits);
    return outcomes;
  };

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const path = lockPath();
    writeFileSync(path, holder({ pid: 1, hostname: 'elsewhere.invalid' }));
    age(path, 120_000);
    const outcomes = await race(path, 6);
    expect(outcomes.filter((outcome) => outcome.startsWith('won'))).toEqual(['won takeover']);
    expect(outcomes.filter((outcome) => outcome === 'lost JTS_ERR_TEST_LOCKED')).toHaveLength(5);
    expect(existsSync(`${path}.takeover`)).toBe(false);
  }, 30_000);

  it('lets exactly one of several processes create a fresh lock', async () => {
    const outcomes = await race(lockPath(), 6);
    expect(outcomes.filter((outcome) => outcome.startsWith('won'))).toEqual(['won fresh']);
  }, 30_000);
});
