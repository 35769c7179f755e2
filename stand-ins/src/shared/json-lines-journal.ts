import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only file of JSON lines: every committed change is one line,
 * written synchronously before the HTTP answer goes out, so a stand-in that is
 * killed right after answering still has the change when it restarts. A
 * change that spans several objects is one line, so a crash never keeps half
 * of it. Without a path the journal keeps nothing (memory-only stand-in).
 */
export class JsonLinesJournal<Entry> {
  /** The file appended to, kept open between lines, and which file that is (see `openFile`). */
  private fd: number | undefined;
  private openedIno = 0;
  private openedDev = 0;

  constructor(private readonly path: string | undefined) {
    if (path) mkdirSync(dirname(path), { recursive: true });
  }

  get file(): string | undefined {
    return this.path;
  }

  append(entry: Entry): void {
    if (!this.path) return;
    const bytes = Buffer.from(JSON.stringify(entry) + '\n');
    const fd = this.openFile(this.path);
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
  }

  /**
   * Every complete entry in order. A torn last line (the process died while
   * writing it) is skipped: its change was never answered, so nobody relies on it.
   * It is also cut off the file, or the next entry appended would be glued to it
   * and lost at the following start.
   */
  readAll(): { entries: Entry[]; tornLines: number } {
    if (!this.path || !existsSync(this.path)) return { entries: [], tornLines: 0 };
    const text = readFileSync(this.path, 'utf8');
    if (text !== '' && !text.endsWith('\n')) truncateSync(this.path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    const entries: Entry[] = [];
    let tornLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as Entry);
      } catch {
        tornLines++;
      }
    }
    return { entries, tornLines };
  }

  clear(): void {
    if (this.path) writeFileSync(this.path, '');
  }

  /**
   * The descriptor to append to. The file is kept open: opening and closing it for
   * each line, as appendFileSync does, costs more than a stat, and the Stripe
   * stand-in writes three lines per refund. But a file kept open may have been
   * deleted or replaced meanwhile (`npm run stack -- reset` removes the stack's
   * folder), and lines written to it would be lost. So each append checks, with
   * that stat, that the path still names the open file, and otherwise opens
   * (creates) the file at the path again, as appendFileSync would.
   */
  private openFile(path: string): number {
    const atPath = statSync(path, { throwIfNoEntry: false });
    if (this.fd !== undefined && atPath?.ino === this.openedIno && atPath.dev === this.openedDev) return this.fd;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const fd = openSync(path, 'a');
    const opened = fstatSync(fd);
    this.fd = fd;
    this.openedIno = opened.ino;
    this.openedDev = opened.dev;
    return fd;
  }
}
