import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule } from '../../src/app.module.js';
import type { DemoConfig } from '../../src/demo.config.js';
import { BenchModule } from './bench.module.js';

/**
 * The bench server's root: the bench routes, then the demo unchanged.
 *
 * BenchModule comes FIRST: Nest registers routes module by module in import order, and
 * Express walks its routes in that order on every request, so the floor is matched before
 * any of the demo's or the module's routes (a floor registered last paid ~10% more CPU for
 * the walk alone). The measured endpoints walk past the bench's few routes, as before.
 */
@Module({})
export class BenchAppModule {
  static forRoot(config: DemoConfig): DynamicModule {
    return { module: BenchAppModule, imports: [BenchModule, AppModule.forRoot(config)] };
  }
}
