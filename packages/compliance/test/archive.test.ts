import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveAuditFile, createAuditTrail, verifyAuditTrail } from '../src/index.js';
import { keyPair, tempDir } from './support/temp.js';

describe('archiveAuditFile', () => {
  it('gzips closed files with a sha256sum manifest, and the chain still verifies across archives and live files', async () => {
    const dir = tempDir();
    const { privateKey, publicKey } = keyPair();
    const audit = createAuditTrail({ directory: dir, signingKey: privateKey, maxFileBytes: 1500 });
    for (let index = 0; index < 30; index += 1)
      await audit.record({ type: 'test.archive', payload: { index, text: 'y'.repeat(80) } });
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    expect(files.length).toBeGreaterThan(3);
    await expect(archiveAuditFile(join(dir, files.at(-1)!))).rejects.toMatchObject({
      code: 'JTS_ERR_INVALID_ARGUMENT',
    });
    const archived = [];
    for (const name of files.slice(0, 2)) archived.push(await archiveAuditFile(join(dir, name)));
    await audit.record({ type: 'test.archive', payload: { after: true } });
    await audit.close();
    expect(existsSync(join(dir, files[0]!))).toBe(false);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(
      archived.map((item) => `${item.sha256}  ${item.archive.split('/').pop()}\n`).join(''),
    );
    try {
      expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toMatch(/\.gz: OK/);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const result = await verifyAuditTrail(dir, publicKey);
    expect(result).toMatchObject({ ok: true, records: 30 + 1 + audit.stats().checkpoints });
    expect(result.files[0]!.file).toMatch(/\.jsonl\.gz$/);
    // The writer reopens a trail whose older files are archived.
    const again = createAuditTrail({ directory: dir, signingKey: privateKey });
    expect((await again.record({ type: 'test.archive' })).seq).toBe(result.lastSeq + 1);
    await again.close();
    expect((await verifyAuditTrail(dir, publicKey)).ok).toBe(true);
  });
});
