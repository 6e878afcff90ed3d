import { Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Server } from 'node:http';
import { BenchController } from './bench.controller.js';
import { benchPool } from './pool-sampler.js';
import { benchRequests } from './statement-counter.js';

/**
 * The bench server's own routes (bench-app.module.ts; see docs/operations/benchmarks.md): the floor
 * and stats routes, and a count of the HTTP requests received. Unless
 * `BENCH_LOG=1`, it also turns the app's log level down to warnings and errors
 * so that no per-request log line is written while the benchmark runs. On
 * PostgreSQL it samples the connection pool (pool-sampler.ts).
 */
@Module({ controllers: [BenchController] })
export class BenchModule implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    if (process.env.BENCH_LOG !== '1') Logger.overrideLogger(['warn', 'error']);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    server?.on('request', () => {
      benchRequests.count++;
    });
    benchPool.start(this.dataSource);
  }

  onModuleDestroy(): void {
    benchPool.stop();
  }
}
