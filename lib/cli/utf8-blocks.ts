// Text turned into UTF-8 in blocks, for `compliance scan --format json`: the command
// writes its output through one (each block to stdout), and each scan task (scan-task.ts)
// writes its part's findings through one (the blocks handed to the main thread).

/** Size of the blocks: under what an allocator maps on its own, so that the memory of one is reused for the next. */
const BLOCK_BYTES = 1 << 16;

/** Strings joined before they are encoded: one encoding call per few dozen findings. */
const JOIN_CHARS = 8192;

/**
 * `text` as UTF-8 in memory of its own: a block may be moved to another thread, and
 * Buffer.from may give a slice of a pool that cannot be moved (and holds others' bytes).
 */
function ownBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * Text sent on in blocks of UTF-8. Strings are joined a few kilobytes at a time and each
 * join encoded straight into the block: one encoding call per finding cost twice as much
 * (the call, not the bytes), and one string of all the findings would be flattened and
 * then encoded again, which cost more than writing the findings' text. A block is sent
 * when full and not touched again (a worker's are moved to another thread, so each is in
 * memory of its own).
 */
export class Utf8Blocks {
  private block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
  private used = 0;
  private joined = '';
  private readonly send: (bytes: Uint8Array) => void;

  constructor(send: (bytes: Uint8Array) => void) {
    this.send = send;
  }

  write(text: string): void {
    this.joined += text;
    if (this.joined.length >= JOIN_CHARS) this.encode();
  }

  private encode(): void {
    const text = this.joined;
    if (text.length === 0) return;
    this.joined = '';
    // at most 3 UTF-8 bytes per UTF-16 code unit
    if (this.room(text.length * 3)) this.used += this.block.write(text, this.used);
    else this.send(ownBytes(text));
  }

  /**
   * `text` straight into the block when each of its characters is printable ASCII (one
   * UTF-8 byte each) other than `"` and `\\`, so that it is also a JSON string's inside as
   * it is; false, with nothing written, when one is not (or when it is longer than half a
   * block). No string is joined and nothing is encoded: on a file dense with findings,
   * their JSON text joined and encoded cost more than the masks, and made two thirds of
   * the scan's garbage.
   */
  plain(text: string): boolean {
    const n = text.length;
    if (this.joined.length > 0) this.encode();
    if (n > this.block.length - this.used) {
      if (n > BLOCK_BYTES >> 1) return false;
      this.sendBlock();
    }
    const block = this.block;
    const at = this.used;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return false;
      block[at + i] = c;
    }
    this.used = at + n;
    return true;
  }

  /** A few bytes (JSON's constant parts), copied straight into the block; more than half a block, as writeBytes(). */
  small(bytes: Uint8Array): void {
    if (bytes.length > BLOCK_BYTES >> 1) return this.writeBytes(bytes);
    if (this.joined.length > 0) this.encode();
    if (bytes.length > this.block.length - this.used) this.sendBlock();
    this.block.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** A non-negative integer's decimal digits, straight into the block. */
  digits(n: number): void {
    let k = 1;
    for (let p = 10; p <= n; p *= 10) k++;
    if (this.joined.length > 0) this.encode();
    if (k > this.block.length - this.used) this.sendBlock();
    const block = this.block;
    let at = this.used + k;
    this.used = at;
    do {
      block[--at] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  /** UTF-8 bytes, sent after the text before them (a large run as it is, not copied). */
  writeBytes(bytes: Uint8Array): void {
    this.encode();
    if (bytes.length < BLOCK_BYTES >> 1 && this.room(bytes.length)) {
      this.block.set(bytes, this.used);
      this.used += bytes.length;
    } else {
      this.sendBlock();
      this.send(bytes);
    }
  }

  /** Room for `bytes` in the block (sending it on when full); false when they are more than a block holds. */
  private room(bytes: number): boolean {
    if (bytes <= this.block.length - this.used) return true;
    this.sendBlock();
    return bytes <= this.block.length;
  }

  private sendBlock(): void {
    if (this.used === 0) return;
    this.send(this.block.subarray(0, this.used));
    this.block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
    this.used = 0;
  }

  flush(): void {
    this.encode();
    this.sendBlock();
  }
}
