// A TCP proxy in front of a real Redis that can hold back writes of one key: once closed, a client
// chunk carrying `SET <key>` (and everything after it on that connection) waits until the gate
// opens. Lets an e2e test stop a service between two of its own steps — "after it sent X to Kafka
// but before it wrote Y to Redis" — without guessing at timings.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class RedisWriteGate {
  private closedFor: string | null = null;
  private readonly held: (() => void)[] = [];
  private heldSinceMs: number | null = null;
  private readonly sockets = new Set<Socket>();

  private readonly server: Server;
  url = '';

  private constructor(private readonly target: URL) {
    this.server = createServer((client) => this.pipe(client, target.hostname, Number(target.port)));
  }

  /** Listens on a free loopback port and forwards to `redisUrl` (redis://host:port). */
  static async start(redisUrl: string): Promise<RedisWriteGate> {
    const gate = new RedisWriteGate(new URL(redisUrl));
    await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
    gate.url = `redis://127.0.0.1:${(gate.server.address() as { port: number }).port}`;
    return gate;
  }

  /** From now on, a `SET key` waits (with what follows it on its connection) until open(). */
  close(key: string): void {
    this.closedFor = key;
  }

  /** Lets everything held through, in order. */
  open(): void {
    this.closedFor = null;
    this.heldSinceMs = null;
    for (const release of this.held.splice(0)) release();
  }

  /** How long a write has been held, ms; 0 when none is. */
  heldForMs(): number {
    return this.heldSinceMs === null ? 0 : Date.now() - this.heldSinceMs;
  }

  async stop(): Promise<void> {
    this.open();
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private pipe(client: Socket, host: string, port: number): void {
    const upstream = connect(port, host);
    this.sockets.add(client).add(upstream);
    let holding = false;
    const queue: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      if (!holding && this.closedFor !== null && isSetOf(chunk, this.closedFor)) {
        holding = true;
        this.heldSinceMs ??= Date.now();
        this.held.push(() => {
          holding = false;
          for (const c of queue.splice(0)) upstream.write(c);
        });
      }
      if (holding) queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  }
}

/** Whether a RESP chunk holds a `SET key …` command (ioredis sends the name in any case). */
function isSetOf(chunk: Buffer, key: string): boolean {
  const text = chunk.toString('latin1');
  return new RegExp(
    `\\$3\\r\\nset\\r\\n\\$${Buffer.byteLength(key)}\\r\\n${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r\\n`,
    'i',
  ).test(text);
}
