import { Injectable, type CanActivate, type ExecutionContext, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TwoFactorSetupError } from '../../errors/setup.errors.js';

/**
 * A guard that works in any module of the host, whatever it imports.
 *
 * `@UseGuards(SomeGuard)` makes Nest build the guard in the module of the
 * controller that uses it, so its dependencies (the module's services) would
 * have to be visible there: only `isGlobal` or importing the configured
 * `TwoFactorModule.forRoot(…)` itself made that so. This stand-in depends on
 * nothing but its module's `ModuleRef` (always there) and hands each request
 * to the one guard instance `TwoFactorModule` provides, found across the app.
 */
export function locatedGuard(guard: Type<CanActivate>): Type<CanActivate> {
  @Injectable()
  class LocatedGuard implements CanActivate, OnModuleInit {
    private target?: CanActivate;

    constructor(private readonly moduleRef: ModuleRef) {}

    /** Fails the app's start, not a request, when no TwoFactorModule is there. */
    onModuleInit(): void {
      this.resolve();
    }

    canActivate(context: ExecutionContext): ReturnType<CanActivate['canActivate']> {
      return this.resolve().canActivate(context);
    }

    private resolve(): CanActivate {
      if (this.target) return this.target;
      try {
        this.target = this.moduleRef.get(guard, { strict: false });
      } catch {
        throw new TwoFactorSetupError(`${guard.name} needs TwoFactorModule.forRoot(…) (or forRootAsync) imported somewhere in the app.`);
      }
      return this.target;
    }
  }
  Object.defineProperty(LocatedGuard, 'name', { value: `Located${guard.name}` });
  return LocatedGuard;
}
