/**
 * Collects WHERE conditions and their positional parameters for hand-written
 * list queries, so values are always bound, never spliced into SQL.
 */
export class SqlFilter {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Binds a value and returns its placeholder (`$3`). */
  bind(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition built from placeholders: `filter.where(p => \`o.currency = ${p(currency)}\`)`. */
  where(build: (bind: (value: unknown) => string) => string): this {
    this.conditions.push(build((value) => this.bind(value)));
    return this;
  }

  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
