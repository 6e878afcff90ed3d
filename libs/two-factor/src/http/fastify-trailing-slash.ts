import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TWO_FACTOR_ROUTE_PREFIX } from '../options/two-factor.constants.js';

/** Marks a route this class added, so its own `onRoute` hook does not answer it again. */
const TWIN = Symbol('two-factor trailing-slash twin');

interface FastifyRoute {
  url: string;
  method: string | string[];
  config?: Record<PropertyKey, unknown>;
  [option: string]: unknown;
}

interface FastifyLike {
  addHook(name: 'onRoute', hook: (this: FastifyLike, route: FastifyRoute) => void): unknown;
  route(route: FastifyRoute): unknown;
  hasRoute(route: { url: string; method: string | string[] }): boolean;
}

/**
 * The seed's paths end in a slash and clients send both spellings. Express matches both by
 * default; Fastify matches exactly. On Fastify, so that the host need not set
 * `ignoreTrailingSlash`, every route of the module is registered a second time under its
 * other spelling. `install()` runs from the module's `configure()`: late enough that the app's
 * adapter is known (even for `Test.createTestingModule(…).createNestApplication(adapter)`), and
 * before Nest registers the routes.
 */
@Injectable()
export class FastifyTrailingSlash {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(TWO_FACTOR_ROUTE_PREFIX) private readonly routePrefix: string,
  ) {}

  install(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    // The host already made Fastify ignore the slash: a twin would be a duplicate route.
    if ((adapter as { getRouteMatchingOptions?: () => { ignoreTrailingSlash?: boolean } }).getRouteMatchingOptions?.().ignoreTrailingSlash) return;
    const prefix = this.routePrefix.replace(/^\/+|\/+$/g, '');
    const ours = (url: string) => prefix === '' || `${url}/`.includes(`/${prefix}/`);
    (adapter.getInstance() as FastifyLike).addHook('onRoute', function (route) {
      if (route.config?.[TWIN] || !ours(route.url) || route.url === '/') return;
      const url = route.url.endsWith('/') ? route.url.slice(0, -1) : `${route.url}/`;
      if (this.hasRoute({ url, method: route.method })) return;
      this.route({ ...route, url, config: { ...route.config, [TWIN]: true } });
    });
  }
}
