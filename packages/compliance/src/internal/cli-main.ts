import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { isJtsError } from '@jts/core';
import { type AuditCheckpoint, generateAuditKeyPair, isCheckpointShape } from '../checkpoint.js';
import { verifyAuditTrail } from '../verify-audit-trail.js';

/** Exit codes of `jts-audit` (documented in the guide and the errors reference). */
export const EXIT = { OK: 0, TAMPERED: 1, USAGE: 2, IO: 3, TORN: 4 } as const;

const USAGE = `Usage:
  jts-audit verify <files or directories...> --public-key <pem> [--public-key <pem>...] [--checkpoint <file>...] [--json]
  jts-audit keygen --out <prefix>        writes <prefix>.key.pem (keep secret) and <prefix>.pub.pem
  jts-audit keygen --out <directory>/    writes <directory>/audit.key.pem and <directory>/audit.pub.pem
  (missing directories are created, readable by the owner only)

Exit codes: 0 valid, 1 tampered or invalid, 2 usage error, 3 I/O error, 4 valid but a torn last line (crash) was found.
`;

interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Parses checkpoint files: one JSON checkpoint, a JSON array, or JSON lines (a `checkpointFile`). */
function readCheckpoints(path: string): AuditCheckpoint[] {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') return [];
  const parsed: unknown[] = text.startsWith('[')
    ? (JSON.parse(text) as unknown[])
    : text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as unknown);
  const checkpoints = parsed.map((item) =>
    (item as { payload?: unknown })?.payload && !isCheckpointShape(item)
      ? (item as { payload: unknown }).payload
      : item,
  );
  for (const checkpoint of checkpoints)
    if (!isCheckpointShape(checkpoint)) throw new SyntaxError(`${path} holds something that is not a checkpoint`);
  return checkpoints as AuditCheckpoint[];
}

/** `--out DIR/` (or an existing directory) names files `DIR/audit.*.pem`; anything else is a prefix. */
function keyPrefix(out: string): string {
  const isDirectory =
    out.endsWith('/') ||
    out.endsWith(sep) ||
    (() => {
      try {
        return statSync(out).isDirectory();
      } catch {
        return false;
      }
    })();
  return isDirectory ? join(out, 'audit') : out;
}

/**
 * Runs `jts-audit` with the given arguments.
 *
 * @returns the exit code
 */
export async function runAuditCli(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        'public-key': { type: 'string', multiple: true },
        checkpoint: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`jts-audit: ${(error as Error).message}\n${USAGE}`);
    return EXIT.USAGE;
  }
  const [command, ...files] = parsed.positionals;
  const values = parsed.values as {
    'public-key'?: string[];
    checkpoint?: string[];
    json?: boolean;
    out?: string;
    help?: boolean;
  };
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.OK;
  }
  if (command === 'keygen') {
    if (!values.out) {
      io.stderr(`jts-audit: keygen needs --out <prefix>\n${USAGE}`);
      return EXIT.USAGE;
    }
    const pair = generateAuditKeyPair();
    const prefix = keyPrefix(values.out);
    try {
      mkdirSync(dirname(prefix), { recursive: true, mode: 0o700 });
      writeFileSync(`${prefix}.key.pem`, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      writeFileSync(`${prefix}.pub.pem`, pair.publicKeyPem, { flag: 'wx' });
    } catch (error) {
      io.stderr(`jts-audit: ${(error as Error).message}\n`);
      return EXIT.IO;
    }
    io.stdout(
      `key id ${pair.keyId}: ${prefix}.key.pem (private, keep it secret), ${prefix}.pub.pem (give to auditors)\n`,
    );
    return EXIT.OK;
  }
  if (command !== 'verify' || files.length === 0 || !values['public-key']?.length) {
    io.stderr(
      `jts-audit: ${command === 'verify' ? 'verify needs files and --public-key' : `unknown command ${command ?? '(none)'}`}\n${USAGE}`,
    );
    return EXIT.USAGE;
  }
  let keys: Buffer[];
  let checkpoints: AuditCheckpoint[];
  try {
    keys = values['public-key'].map((path) => readFileSync(path));
    checkpoints = (values.checkpoint ?? []).flatMap(readCheckpoints);
  } catch (error) {
    io.stderr(`jts-audit: ${(error as Error).message}\n`);
    return error instanceof SyntaxError ? EXIT.USAGE : EXIT.IO;
  }
  let result: Awaited<ReturnType<typeof verifyAuditTrail>>;
  try {
    result = await verifyAuditTrail(files, keys, { trustedCheckpoint: checkpoints });
  } catch (error) {
    io.stderr(`jts-audit: ${(error as Error).message}\n`);
    return isJtsError(error) && error.code === 'JTS_ERR_INVALID_ARGUMENT' ? EXIT.USAGE : EXIT.IO;
  }
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else if (!result.ok) {
    const problem = result.problem!;
    io.stdout(
      `TAMPERED: first bad seq ${result.firstBadSeq} (${problem.kind}) at ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}\n`,
    );
    io.stdout(`valid before it: ${result.records} records up to seq ${result.lastSeq}\n`);
  } else {
    io.stdout(
      `OK: ${result.records} records (last seq ${result.lastSeq}), ${result.checkpoints} checkpoints verified, head ${result.headHash}\n`,
    );
    io.stdout(
      result.sealed
        ? 'sealed: the trail ends with a signed checkpoint\n'
        : `not sealed: ${result.uncheckpointed} records after the last checkpoint are covered by the hash chain only\n`,
    );
    if (checkpoints.length > 0) io.stdout(`${checkpoints.length} trusted checkpoint(s) matched\n`);
  }
  if (result.torn && result.ok) {
    io.stdout(
      `TORN: incomplete last line at ${result.torn.file} offset ${result.torn.offset} (${result.torn.bytes} bytes, would be seq ${result.torn.seq}): not counted\n`,
    );
    return EXIT.TORN;
  }
  return result.ok ? EXIT.OK : EXIT.TAMPERED;
}
