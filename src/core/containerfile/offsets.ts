/**
 * Maps offsets in a derived text (an instruction's logical line with its continuations joined, a RUN body) back to
 * offsets in the file, so that every word found in the derived text gets an exact range in the file.
 */
export class OffsetMap {
  private readonly derivedStarts: number[] = [];
  private readonly fileStarts: number[] = [];
  private length = 0;

  /** `emptyAt`: where every offset maps while nothing is appended (an empty derived text still has a position). */
  constructor(private readonly emptyAt = 0) {}

  /** Appends `count` characters of the derived text that come from the file at `fileOffset`. */
  append(fileOffset: number, count: number): void {
    if (count <= 0) return;
    const last = this.derivedStarts.length - 1;
    if (last >= 0 && this.fileStarts[last]! + (this.length - this.derivedStarts[last]!) === fileOffset) {
      this.length += count;
      return;
    }
    this.derivedStarts.push(this.length);
    this.fileStarts.push(fileOffset);
    this.length += count;
  }

  toFile(derivedOffset: number): number {
    const starts = this.derivedStarts;
    if (starts.length === 0) return this.emptyAt;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= derivedOffset) low = mid;
      else high = mid - 1;
    }
    return this.fileStarts[low]! + (derivedOffset - starts[low]!);
  }

  /** For an exclusive end offset: map the last character, then step past it. */
  endToFile(derivedEnd: number): number {
    return derivedEnd <= 0 ? this.toFile(0) : this.toFile(derivedEnd - 1) + 1;
  }

  /** The map of the derived text from `derivedFrom` on, renumbered from 0. */
  sliceFrom(derivedFrom: number): OffsetMap {
    const sliced = new OffsetMap(this.toFile(derivedFrom));
    for (let index = 0; index < this.derivedStarts.length; index++) {
      const start = this.derivedStarts[index]!;
      const end = this.derivedStarts[index + 1] ?? this.length;
      if (end <= derivedFrom) continue;
      const skip = Math.max(0, derivedFrom - start);
      sliced.append(this.fileStarts[index]! + skip, end - start - skip);
    }
    return sliced;
  }
}

/** A text derived from the file, with the map back to it. */
export interface MappedText {
  readonly text: string;
  readonly map: OffsetMap;
}
