import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveAuditFile, createAuditTrail } from '../../src/index.js';
import { tempDir } from '../support/temp.js';

const packageDir = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(packageDir, 'dist/cli.js');

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const sources = readdirSync(join(packageDir, 'src'), { recursive: true }).map(
    (name) => statSync(join(packageDir, 'src', String(name))).mtimeMs,
  );
  if (!existsSync(cli) || statSync(cli).mtimeMs < Math.max(...sources))
    execFileSync('npx', ['tsup'], { cwd: packageDir, stdio: 'ignore' });
}, 120_000);

describe('jts-audit CLI (built dist/cli.js)', () => {
  it('has a shebang so it runs as a bin', () => {
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['jts-audit']).toBe('./dist/cli.js');
  });

  it('keygen --out DIR/ writes DIR/audit.key.pem and DIR/audit.pub.pem, creating missing directories for the owner only', () => {
    const work = tempDir();
    const target = join(work, 'etc', 'jts', 'audit');
    const keygen = run('keygen', '--out', `${target}/`);
    expect(keygen.stderr).toBe('');
    expect(keygen.code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['audit.key.pem', 'audit.pub.pem']);
    expect(statSync(join(target, 'audit.key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(target).mode & 0o777).toBe(0o700);
    expect(keygen.stdout).toContain(join(target, 'audit.key.pem'));
    // An existing directory without the slash is a directory too; a prefix in a missing directory works.
    expect(run('keygen', '--out', join(work, 'etc')).code).toBe(0);
    expect(
      readdirSync(join(work, 'etc'))
        .filter((name) => name.endsWith('.pem'))
        .sort(),
    ).toEqual(['audit.key.pem', 'audit.pub.pem']);
    expect(run('keygen', '--out', join(work, 'new', 'desk')).code).toBe(0);
    expect(readdirSync(join(work, 'new')).sort()).toEqual(['desk.key.pem', 'desk.pub.pem']);
  });

  it('generates keys, verifies a real trail (live and .gz files), and exits 1 with the first bad seq when tampered', async () => {
    const work = tempDir();
    const prefix = join(work, 'desk');
    const keygen = run('keygen', '--out', prefix);
    expect(keygen.code).toBe(0);
    expect(statSync(`${prefix}.key.pem`).mode & 0o777).toBe(0o600);
    const dir = join(work, 'trail');
    const checkpoints = join(work, 'checkpoints.jsonl');
    const audit = createAuditTrail({
      directory: dir,
      signingKey: readFileSync(`${prefix}.key.pem`),
      maxFileBytes: 3000,
      checkpointEvery: 10,
      checkpointFile: checkpoints,
    });
    for (let index = 0; index < 40; index += 1)
      await audit.recordOrderEvent({ kind: 'filled', orderId: `o-${index}`, symbol: 'AAPL', filledQuantity: 10 });
    await audit.close();
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    await archiveAuditFile(join(dir, files[0]!));

    const ok = run('verify', dir, '--public-key', `${prefix}.pub.pem`, '--checkpoint', checkpoints);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ records/);
    expect(ok.stdout).toMatch(/sealed/);

    const json = run(
      'verify',
      ...readdirSync(dir)
        .filter((name) => name.includes('.jsonl'))
        .sort()
        .map((name) => join(dir, name)),
      '--public-key',
      `${prefix}.pub.pem`,
      '--json',
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, sealed: true });

    const target = join(dir, files[1]!);
    const lines = readFileSync(target, 'utf8').split('\n');
    const victim = JSON.parse(lines[2]!) as { seq: number };
    lines[2] = lines[2]!.replace('"filled_quantity":10', '"filled_quantity":11');
    writeFileSync(target, lines.join('\n'));
    const tampered = run('verify', dir, '--public-key', `${prefix}.pub.pem`);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`TAMPERED: first bad seq ${victim.seq} (hash_mismatch)`);
  });

  it('exits 1 on a rollback against a kept checkpoint, 4 on a torn last line, 2 on usage errors, 3 on I/O errors', async () => {
    const work = tempDir();
    const prefix = join(work, 'k');
    run('keygen', '--out', prefix);
    const dir = join(work, 'trail');
    const checkpoints = join(work, 'cp.jsonl');
    const audit = createAuditTrail({
      directory: dir,
      signingKey: readFileSync(`${prefix}.key.pem`),
      checkpointEvery: 5,
      checkpointFile: checkpoints,
    });
    for (let index = 0; index < 12; index += 1) await audit.record({ type: 'test.cli', payload: { index } });
    await audit.close();
    const file = join(dir, readdirSync(dir).find((name) => name.endsWith('.jsonl'))!);
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original.split('\n').slice(0, 8).join('\n')}\n`);
    const rollback = run('verify', file, '--public-key', `${prefix}.pub.pem`, '--checkpoint', checkpoints);
    expect(rollback.code).toBe(1);
    expect(rollback.stdout).toContain('TAMPERED: first bad seq 9 (rollback)');
    expect(run('verify', file, '--public-key', `${prefix}.pub.pem`).code).toBe(0);

    writeFileSync(file, original);
    appendFileSync(file, '{"hash":"ab');
    const torn = run('verify', file, '--public-key', `${prefix}.pub.pem`);
    expect(torn.code).toBe(4);
    expect(torn.stdout).toMatch(/TORN: incomplete last line .* \(11 bytes, would be seq 16\)/);

    expect(run('verify', file).code).toBe(2);
    expect(run('frobnicate').code).toBe(2);
    expect(run('verify', file, '--public-key', join(work, 'missing.pem')).code).toBe(3);
    const io = run('verify', join(work, 'no-such-file.jsonl'), '--public-key', `${prefix}.pub.pem`);
    expect(io.code).toBe(3);
    expect(io.stderr).toMatch(/Cannot read/);
  });
});
