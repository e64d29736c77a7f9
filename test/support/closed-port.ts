// A local port known to be closed: one the system just gave a server, which then let it
// go. A fixed "surely closed" port (9, discard) may have something listening on it.
import { createServer } from 'node:net';

/** An http://127.0.0.1:PORT endpoint on which nothing listens. */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
