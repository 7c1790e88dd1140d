/** "Did you mean …?" helpers for manifest problems: pure, no I/O. */

/** Levenshtein distance, case-insensitive (typos in keys and verbs are often just case). */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length];
}

/** The closest candidate within a distance proportional to the word's length, or undefined. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const normalised = word.replace(/[\s_-]/g, '').toLowerCase();
  const exact = candidates.find((candidate) => candidate.replace(/[\s_-]/g, '').toLowerCase() === normalised);
  if (exact) return exact;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
