// Stub: the workload model will live here: plain TypeScript, typed arrays and integer ids, no I/O. Nothing is modelled yet.
export {};
