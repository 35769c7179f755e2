import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS, type AccessRule } from './access.decorators.js';

export interface RouteEntry {
  method: string;
  path: string;
  handler: string;
  access: AccessRule | undefined;
}

/**
 * Every HTTP route the app registers, with its access declaration. The
 * route-inventory test walks this list, so a new route without a matrix entry
 * cannot slip through.
 */
@Injectable()
export class RouteInventory {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteEntry[] {
    const routes: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as Function | undefined;
      if (!type) continue;
      const base = normalise(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of this.scanner.getAllMethodNames(type.prototype)) {
        const handler = type.prototype[name] as Function;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const paths = [Reflect.getMetadata(PATH_METADATA, handler)].flat() as string[];
        for (const path of paths) {
          routes.push({
            method: RequestMethod[method],
            path: `/${[base, normalise(path)].filter(Boolean).join('/')}`,
            handler: `${type.name}.${name}`,
            access: this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS, [handler, type]),
          });
        }
      }
    }
    return routes;
  }
}

function normalise(path: string | undefined) {
  return (path ?? '').replace(/^\/+|\/+$/g, '');
}
