/**
 * A process that logs through @jts/log and then ends in the way argv[2] says; spawned by the
 * tests to check what reaches stdout or a file.
 *   node --import tsx logging-fixture.ts <mode> [file]
 * modes: stdout | pretty | sigterm | sigint | uncaught | rejection | exit | elasticsearch
 */
import { createLogger } from '../../src/index.js';

const [mode = 'stdout', file] = process.argv.slice(2);
if (mode === 'elasticsearch') {
  // Asks for shipping; prints what createLogger threw (the test hides @jts/log-elasticsearch).
  try {
    createLogger({ operations: false, elasticsearch: { url: 'http://127.0.0.1:9' } });
    process.stdout.write('no error\n');
  } catch (error) {
    process.stdout.write(
      `${JSON.stringify({ code: (error as { code?: string }).code, message: (error as Error).message })}\n`,
    );
  }
  process.exit(0);
}
const LINES = 2000;
const log = createLogger({
  serviceName: 'fixture',
  operations: false,
  ...(file ? { destination: { file } } : {}),
});

const hostile = 'evil\u001b[2J\u001b[31m\r\nFAKE LINE \u009b1m';
for (let index = 0; index < (mode === 'stdout' || mode === 'pretty' ? 3 : LINES); index++) {
  log.info({ seq: index, note: hostile }, mode === 'pretty' ? `pretty ${hostile}` : 'line');
}

switch (mode) {
  case 'sigterm':
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => {}, 10_000);
    break;
  case 'sigint':
    process.kill(process.pid, 'SIGINT');
    setTimeout(() => {}, 10_000);
    break;
  case 'uncaught':
    setImmediate(() => {
      throw new Error('boom');
    });
    break;
  case 'rejection':
    void Promise.reject(new Error('rejected'));
    break;
  case 'exit':
    process.exit(3);
    break;
  default:
    break;
}
