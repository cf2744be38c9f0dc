// Stub: Ballast's goals will live here, one per file (Cruise Control's names and thresholds). No goal exists yet.
export {};
