import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, found by letting the system pick one and closing it again. The
 * services then listen on it (a port taken in between makes that service fail to start, which
 * the demo reports by name).
 *
 * @returns the port
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
