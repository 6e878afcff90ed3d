import { TwoFactorSetupError } from '../errors/setup.errors.js';
import { TwoFactorBackend } from './backend.js';
import type { MethodDescriptor } from './method-descriptor.js';

/**
 * The methods an app offers, by key. The module builds one from `forRoot({ methods })`
 * and makes it injectable; more can be built by hand (see `ConfirmerService.withRegistry`).
 */
export class MethodRegistry {
  private readonly byKey = new Map<string, MethodDescriptor>();

  constructor(methods: readonly MethodDescriptor<any, any>[] = []) {
    for (const method of methods) this.register(method);
  }

  /**
   * Adds a method and returns it.
   * @throws TwoFactorSetupError when the key is taken or the backend is not a `TwoFactorBackend`.
   */
  register<D extends MethodDescriptor<any, any>>(method: D): D {
    if (!method || typeof method.key !== 'string' || method.key === '') {
      throw new TwoFactorSetupError('A method descriptor needs a non-empty string `key`; build it with defineMethod().');
    }
    if (this.byKey.has(method.key)) {
      throw new TwoFactorSetupError(`Duplicate method key "${method.key}": each method may be registered once.`);
    }
    if (typeof method.backend !== 'function' || !(method.backend.prototype instanceof TwoFactorBackend)) {
      throw new TwoFactorSetupError(`Method "${method.key}": \`backend\` must be a class extending TwoFactorBackend.`);
    }
    this.byKey.set(method.key, method);
    return method;
  }

  get(key: string): MethodDescriptor | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The registered keys, in registration order. */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  all(): MethodDescriptor[] {
    return [...this.byKey.values()];
  }
}
