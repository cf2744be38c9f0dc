// Seeded pseudo-random numbers for reproducible synthetic models and property tests.

/**
 * mulberry32: a tiny 32-bit seeded PRNG returning floats in [0, 1). Not cryptographic; good
 * enough for synthetic clusters and tests, and identical across runs and platforms for a seed.
 * @param seed Any number; only its low 32 bits (as an unsigned integer) matter.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
