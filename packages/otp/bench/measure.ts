/** One contender in a throughput comparison: `run(i)` performs one operation. */
export interface Contender {
  name: string;
  run: (iteration: number) => unknown;
}

export interface Measurement {
  name: string;
  /** Median over the rounds, operations per second. */
  opsPerSecond: number;
  rounds: number[];
}

/**
 * Median ops/s of each contender, from one process: a warm-up per contender, then `rounds`
 * rounds in which every contender runs `iterations` operations in turn (round-robin, so drift
 * of the machine's speed falls on all of them alike).
 */
export function measure(
  contenders: Contender[],
  { warmup = 20_000, rounds = 9, iterations = 20_000 } = {},
): Measurement[] {
  let sink = 0;
  for (const contender of contenders) {
    for (let i = 0; i < warmup; i++) if (contender.run(i)) sink++;
  }
  const samples = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((contender, index) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) if (contender.run(i)) sink++;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      samples[index]?.push(iterations / seconds);
    });
  }
  if (sink < 0) console.log(sink); // keeps the results observable to the optimiser
  return contenders.map((contender, index) => {
    const rounds = samples[index] ?? [];
    const sorted = [...rounds].sort((a, b) => a - b);
    return {
      name: contender.name,
      opsPerSecond: sorted[Math.floor(sorted.length / 2)] ?? 0,
      rounds,
    };
  });
}
