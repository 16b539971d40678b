// Checkpoints signed by a key the trail never holds: a loopback signing service stands in for a
// KMS or HSM (Ed25519 signatures over HTTP), with faults: failing, hanging, signing with another key.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JtsDiagnostic, onDiagnostic } from '@jts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuditSigner, createAuditTrail, verifyAuditTrail } from '../../src/index.js';
import { keyPair, tempDir } from '../support/temp.js';

type Mode = 'ok' | 'fail' | 'hang' | 'wrong-key';
interface Kms {
  mode: Mode;
  requests: number;
  readonly signer: AuditSigner;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A signing service holding `privateKey`; its signer is what an application would pass. */
async function startKms(privateKey: KeyObject, publicKey: KeyObject): Promise<Kms> {
  const other = generateKeyPairSync('ed25519').privateKey;
  const kms = { mode: 'ok' as Mode, requests: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      kms.requests += 1;
      if (kms.mode === 'hang') return;
      if (kms.mode === 'fail') return void response.writeHead(503).end('unavailable');
      const key = kms.mode === 'wrong-key' ? other : privateKey;
      response.end(sign(null, Buffer.concat(chunks), key).toString('base64'));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sign`;
  const signer: AuditSigner = {
    publicKey,
    async sign(data) {
      const answer = await fetch(url, { method: 'POST', body: data });
      if (!answer.ok) throw new Error(`signing service answered ${answer.status}`);
      return Buffer.from(await answer.text(), 'base64');
    },
  };
  return Object.assign(kms, { signer, close: async () => undefined });
}

describe('createAuditTrail({ signer })', () => {
  it('signs every checkpoint through the external signer; the trail verifies with its public key', async () => {
    const { privateKey, publicKey } = keyPair();
    const kms = await startKms(privateKey, publicKey);
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signer: kms.signer, checkpointEvery: 10, checkpointIntervalMs: 0 });
    expect(audit.publicKey.equals(publicKey)).toBe(true);
    await Promise.all(
      Array.from({ length: 25 }, (_, index) => audit.record({ type: 'test.signed', payload: { index } })),
    );
    await audit.close();
    const result = await verifyAuditTrail(directory, publicKey);
    expect(result).toMatchObject({ ok: true, records: 28, checkpoints: 3, sealed: true, uncheckpointed: 0 });
    expect(kms.requests).toBe(3);
    expect(audit.stats().checkpointSignFailures).toBe(0);
  });

  it('leaves checkpoints out while the signer fails or hangs, keeps every record, reports it, and checkpoints again once it is back', async () => {
    const { privateKey, publicKey } = keyPair();
    const kms = await startKms(privateKey, publicKey);
    const directory = tempDir();
    const seen: JtsDiagnostic[] = [];
    const stop = onDiagnostic((event) => seen.push(event));
    try {
      const audit = createAuditTrail({
        directory,
        signer: kms.signer,
        checkpointEvery: 5,
        checkpointIntervalMs: 0,
        signerTimeoutMs: 300,
      });
      kms.mode = 'fail';
      const receipts = await Promise.all(
        Array.from({ length: 12 }, (_, index) => audit.record({ type: 'test.unsigned', payload: { index } })),
      );
      expect(receipts.map((receipt) => receipt.seq)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));
      expect(audit.stats()).toMatchObject({ recorded: 12, notDurable: 0, checkpoints: 0 });
      expect(audit.stats().checkpointSignFailures).toBeGreaterThanOrEqual(1);
      expect(seen.some((event) => event.event === 'checkpoint_sign_failed' && /503/.test(event.message ?? ''))).toBe(
        true,
      );
      await expect(audit.checkpoint()).rejects.toMatchObject({
        code: 'JTS_ERR_AUDIT_CHECKPOINT_FAILED',
        message: expect.stringContaining('503'),
      });
      kms.mode = 'hang';
      await expect(audit.checkpoint()).rejects.toMatchObject({
        code: 'JTS_ERR_AUDIT_CHECKPOINT_FAILED',
        message: expect.stringContaining('within 300 ms'),
      });
      // After failures, automatic checkpoints pause (1 s, doubling): this record does not wait for the signer.
      const asked = kms.requests;
      await audit.record({ type: 'test.while_hanging' });
      expect(kms.requests).toBe(asked);
      kms.mode = 'ok';
      const checkpoint = await audit.checkpoint();
      expect(checkpoint).toMatchObject({ count: 13 });
      await audit.close();
      const result = await verifyAuditTrail(directory, publicKey);
      expect(result).toMatchObject({ ok: true, records: 14, checkpoints: 1, sealed: true, uncheckpointed: 0 });
    } finally {
      stop();
    }
  });

  it('backs timed checkpoints off while the signer is down, and resumes them once it is back', async () => {
    const { privateKey, publicKey } = keyPair();
    const kms = await startKms(privateKey, publicKey);
    kms.mode = 'fail';
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signer: kms.signer, checkpointIntervalMs: 20, signerTimeoutMs: 300 });
    await audit.record({ type: 'test.one' });
    while (audit.stats().checkpointSignFailures === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 400)); // 20 timer ticks, within the first 1 s pause
    expect(kms.requests).toBe(1);
    kms.mode = 'ok';
    while (audit.stats().checkpoints === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await audit.close();
    expect(await verifyAuditTrail(directory, publicKey)).toMatchObject({
      ok: true,
      records: 2,
      checkpoints: 1,
      sealed: true,
    });
  });

  it('refuses a signature that does not verify with the signer public key', async () => {
    const { privateKey, publicKey } = keyPair();
    const kms = await startKms(privateKey, publicKey);
    const directory = tempDir();
    const audit = createAuditTrail({ directory, signer: kms.signer, checkpointIntervalMs: 0 });
    await audit.record({ type: 'test.one' });
    kms.mode = 'wrong-key';
    await expect(audit.checkpoint()).rejects.toMatchObject({
      code: 'JTS_ERR_AUDIT_CHECKPOINT_FAILED',
      message: expect.stringContaining('does not verify'),
    });
    kms.mode = 'ok';
    await audit.close();
    expect(await verifyAuditTrail(directory, publicKey)).toMatchObject({
      ok: true,
      records: 2,
      checkpoints: 1,
      sealed: true,
    });
  });

  it('rejects a signer without an Ed25519 public key or a sign function, and a signer beside a signingKey', () => {
    const directory = tempDir();
    const { privateKey, publicKey } = keyPair();
    const signer: AuditSigner = { publicKey, sign: (data) => sign(null, data, privateKey) };
    expect(() => createAuditTrail({ directory, signer, signingKey: privateKey })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringContaining('not both') }),
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => createAuditTrail({ directory, signer: { ...signer, publicKey: rsa } })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringContaining('Ed25519') }),
    );
    expect(() => createAuditTrail({ directory, signer: { publicKey } as unknown as AuditSigner })).toThrow(
      expect.objectContaining({ code: 'JTS_ERR_INVALID_OPTION', message: expect.stringContaining('signer.sign') }),
    );
    // A synchronous signer works too.
    const audit = createAuditTrail({ directory, signer, checkpointIntervalMs: 0 });
    return audit.close();
  });
});
