import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only file of JSON lines: every committed change is one line,
 * written synchronously before the HTTP answer goes out, so a stand-in that is
 * killed right after answering still has the change when it restarts. A
 * change that spans several objects is one line, so a crash never keeps half
 * of it. Without a path the journal keeps nothing (memory-only stand-in).
 */
export class JsonLinesJournal<Entry> {
  constructor(private readonly path: string | undefined) {
    if (path) mkdirSync(dirname(path), { recursive: true });
  }

  get file(): string | undefined {
    return this.path;
  }

  append(entry: Entry): void {
    if (this.path) appendFileSync(this.path, JSON.stringify(entry) + '\n');
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
}
