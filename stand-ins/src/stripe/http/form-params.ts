/**
 * Parses Stripe's form encoding (what the SDK sends in POST bodies and GET
 * query strings) into nested values: `metadata[order_id]=7` becomes
 * `{ metadata: { order_id: '7' } }`, and `expand[0]=a` / `expand[]=a` become
 * arrays. Every leaf stays a string, as on the wire; the endpoint decides
 * what is an integer or a boolean, so it can answer Stripe's errors for bad ones.
 */
export type Param = string | ParamList | ParamMap;
export type ParamList = Param[];
export interface ParamMap {
  [key: string]: Param;
}

export function parseFormParams(encoded: string): ParamMap {
  const root: ParamMap = {};
  if (!encoded) return root;
  for (const pair of encoded.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decode(rawKey);
    const value = decode(rawValue);
    assign(root, keyPath(key), value);
  }
  return root;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** `a[b][0][]` -> ['a', 'b', '0', '']. A key without brackets is one segment. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  const rest = key.slice(open);
  const segment = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  while ((match = segment.exec(rest)) !== null) path.push(match[1]!);
  return path;
}

const isIndex = (segment: string) => segment === '' || /^\d+$/.test(segment);

function assign(container: ParamMap | ParamList, path: string[], value: string): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(container)) {
    const index = head === '' ? container.length : Number(head);
    if (rest.length === 0) {
      container[index] = value;
      return;
    }
    // `items[0][price]=…&items[0][quantity]=…` must land in the same element.
    const existing = container[index];
    const child = typeof existing === 'object' ? existing : isIndex(rest[0]!) ? [] : {};
    container[index] = child;
    assign(child, rest, value);
    return;
  }
  if (rest.length === 0) {
    container[head] = value;
    return;
  }
  const existing = container[head];
  const child = typeof existing === 'object' ? existing : isIndex(rest[0]!) ? [] : {};
  container[head] = child;
  assign(child, rest, value);
}
