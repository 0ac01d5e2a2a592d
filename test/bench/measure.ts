/** Benchmark helpers: interleaved timing in one process, and one `name: value unit` line per figure. */

export async function timeInterleaved<K extends string>(subjects: Record<K, () => unknown>, runs: number): Promise<Record<K, number[]>> {
  const names = Object.keys(subjects) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as unknown as Record<K, number[]>;
  for (let run = 0; run < runs; run++) {
    const order = run % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const start = performance.now();
      await subjects[name]();
      times[name].push(performance.now() - start);
    }
  }
  return times;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function report(name: string, value: number, unit: string): void {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  process.stdout.write(`${name}: ${value.toFixed(digits)} ${unit}\n`);
}
