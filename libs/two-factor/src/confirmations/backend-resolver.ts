import { Injectable, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { TwoFactorBackend } from '../method-api/backend.js';

/**
 * Finds the instance of a backend class: the provider the module registered for
 * it, or — for methods of a hand-built registry — one Nest creates (with its
 * dependencies injected) on first use and keeps.
 */
@Injectable()
export class BackendResolver {
  private readonly created = new Map<Type<TwoFactorBackend>, Promise<TwoFactorBackend>>();

  constructor(private readonly moduleRef: ModuleRef) {}

  resolve(backendClass: Type<TwoFactorBackend>): Promise<TwoFactorBackend> {
    let instance = this.created.get(backendClass);
    if (!instance) {
      instance = this.lookUp(backendClass);
      this.created.set(backendClass, instance);
    }
    return instance;
  }

  private async lookUp(backendClass: Type<TwoFactorBackend>): Promise<TwoFactorBackend> {
    try {
      return this.moduleRef.get(backendClass, { strict: false });
    } catch {
      return this.moduleRef.create(backendClass);
    }
  }
}
