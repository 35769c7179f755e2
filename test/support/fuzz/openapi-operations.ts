import type { AccessRule } from '../../../backend/src/auth/access.decorators.js';
import type { RouteEntry } from '../../../backend/src/auth/route-inventory.js';
import type { JsonSchema } from './schema-arbitraries.js';

export const writeMethods = ['post', 'put', 'patch', 'delete'] as const;
export type WriteMethod = (typeof writeMethods)[number];

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One write operation of the document, with what the fuzzer needs to call it. */
export interface FuzzOperation {
  /** `POST /api/incidents/{id}/transition` */
  key: string;
  method: WriteMethod;
  path: string;
  pathParams: string[];
  queryParams: { name: string; required: boolean; schema: JsonSchema }[];
  /** The JSON body schema, when the document names one. */
  bodySchema?: JsonSchema;
  /** Content types the document says the body may have (empty: not documented). */
  consumes: string[];
  /** How the route is protected (from the route inventory): decides the credential the fuzzer sends. */
  access: AccessRule;
}

/** `/api/incidents/{id}` → `/api/incidents/:id`, as Nest registers it. */
export const toRoutePath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ':$1');

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Every write operation of the document, joined with the route it documents. */
export function writeOperations(doc: OpenApiDocument, routes: RouteEntry[]): FuzzOperation[] {
  const byKey = new Map(routes.map((route) => [routeKey(route.method, route.path), route]));
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!(writeMethods as readonly string[]).includes(method)) continue;
      const route = byKey.get(routeKey(method, toRoutePath(path)));
      if (!route?.access)
        throw new Error(`${routeKey(method, path)} is in the OpenAPI document but not a registered route with an access rule`);
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      operations.push({
        key: routeKey(method, path),
        method: method as WriteMethod,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, required: p.required ?? false, schema: p.schema ?? { type: 'string' } })),
        bodySchema: content['application/json']?.schema,
        consumes: Object.keys(content),
        access: route.access,
      });
    }
  }
  return operations;
}

/**
 * Registered `/api` routes the document leaves out. Routes outside `/api`
 * (the Prometheus scrape at `/metrics`) are for machines and documented elsewhere.
 */
export function undocumentedRoutes(doc: OpenApiDocument, routes: RouteEntry[]): string[] {
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => routeKey(method, toRoutePath(path)))),
  );
  return routes
    .filter((route) => route.path.startsWith('/api/') && !documented.has(routeKey(route.method, route.path)))
    .map((route) => `${routeKey(route.method, route.path)} (${route.handler})`);
}
