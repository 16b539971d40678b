import { describe, expect, it } from 'vitest';
import { auditKeyId } from '../src/checkpoint.js';
import { ChainVerifier } from '../src/internal/chain-verifier.js';
import { verifyAuditTrail } from '../src/index.js';
import { buildMemoryTrail, prng } from './support/build-trail.js';
import { MUTATION_KINDS, type Mutation, createMutator } from './support/mutations.js';
import { keyPair } from './support/temp.js';

const RECORDS = 100_000;
const MUTATIONS = 10_000;

describe('mutation test: random tampering of a 100,000-record trail', () => {
  const { privateKey, publicKey } = keyPair();
  const foreign = keyPair().privateKey;
  const trail = buildMemoryTrail(RECORDS, privateKey, { every: 1000, seed: 7 });
  const keyIds = [auditKeyId(publicKey)];

  // The bytes before a mutation are those of the clean trail, verified once in full below; each
  // tampered trail is verified from that point with the same verifier, resumed from its state.
  const verifyMutation = (mutation: Mutation) => {
    const verifier = new ChainVerifier(
      [publicKey],
      keyIds,
      [trail.seal],
      trail.states[mutation.fromLine] ?? trail.states.at(-1),
    );
    if (mutation.fromLine >= trail.states.length) throw new Error('mutation past the end');
    for (const [index, piece] of mutation.pieces.entries()) verifier.feed(`piece-${index}`, piece);
    return verifier.finish();
  };

  it('has no false alarm on the clean trail (in full and resumed anywhere) nor on other clean trails', async () => {
    const full = await verifyAuditTrail({ name: 'clean', data: trail.data }, publicKey, {
      trustedCheckpoint: trail.seal,
    });
    expect(full).toMatchObject({
      ok: true,
      records: trail.records.length,
      checkpoints: trail.checkpoints.length,
      sealed: true,
      torn: undefined,
    });
    const random = prng(11);
    for (let sample = 0; sample < 10; sample += 1) {
      const line = Math.floor(random() * trail.records.length);
      const verifier = new ChainVerifier([publicKey], keyIds, [trail.seal], trail.states[line]);
      verifier.feed('suffix', trail.data.subarray(trail.offsets[line]));
      expect(verifier.finish()).toMatchObject({ ok: true, lastSeq: trail.records.length });
    }
    for (let seed = 100; seed < 110; seed += 1) {
      const other = buildMemoryTrail(500 + seed * 7, privateKey, { every: 1 + (seed % 97), seed });
      expect(
        (
          await verifyAuditTrail({ name: `clean-${seed}`, data: other.data }, publicKey, {
            trustedCheckpoint: other.checkpoints,
          })
        ).ok,
      ).toBe(true);
    }
  });

  it('detects 100% of 10,000 random tamperings and names the first bad seq', () => {
    const random = prng(2026);
    const mutate = createMutator(trail, random, foreign);
    const byKind = new Map<string, { total: number; detected: number }>();
    const missed: string[] = [];
    for (let index = 0; index < MUTATIONS; index += 1) {
      const kind = MUTATION_KINDS[index % MUTATION_KINDS.length]!;
      const mutation = mutate(kind);
      const result = verifyMutation(mutation);
      const tally = byKind.get(kind) ?? { total: 0, detected: 0 };
      tally.total += 1;
      if (!result.ok && result.firstBadSeq === mutation.expectedSeq) tally.detected += 1;
      else if (missed.length < 5)
        missed.push(
          `${kind} line ${mutation.fromLine}: ok=${result.ok} first bad ${result.firstBadSeq} (${result.problem?.kind}) expected ${mutation.expectedSeq}`,
        );
      byKind.set(kind, tally);
    }
    expect(missed).toEqual([]);
    const total = [...byKind.values()].reduce((sum, tally) => sum + tally.total, 0);
    const detected = [...byKind.values()].reduce((sum, tally) => sum + tally.detected, 0);
    expect(total).toBe(MUTATIONS);
    expect(detected).toBe(MUTATIONS);
    expect(byKind.size).toBe(MUTATION_KINDS.length);
  });

  it('gives the same verdict when a tampered trail is verified from scratch as one buffer', async () => {
    const random = prng(77);
    const mutate = createMutator(trail, random, foreign);
    for (const kind of MUTATION_KINDS) {
      const mutation = mutate(kind);
      const whole = Buffer.concat([
        trail.data.subarray(0, trail.offsets[mutation.fromLine] ?? trail.data.length),
        ...mutation.pieces,
      ]);
      expect(whole.equals(trail.data)).toBe(false);
      const result = await verifyAuditTrail({ name: 'whole', data: whole }, publicKey, {
        trustedCheckpoint: trail.seal,
      });
      expect({ kind, ok: result.ok, seq: result.firstBadSeq }).toEqual({ kind, ok: false, seq: mutation.expectedSeq });
      expect(result.problem?.kind).toBe(verifyMutation(mutation).problem?.kind);
    }
  });
});
