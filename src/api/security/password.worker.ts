// The password thread's entry point (see password-verifier.ts): compares a password with a bcrypt
// hash, synchronously, since this thread has nothing else to do.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import type { VerifyReply, VerifyRequest } from './password-verifier.js';

const port = parentPort!;

port.on('message', ({ id, password, hash }: VerifyRequest) => {
  let reply: VerifyReply;
  try {
    reply = { id, matches: bcrypt.compareSync(password, hash) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
