import type { LoggerService } from '@nestjs/common';

/** Collects what the app logs, by level, so a test can count lines. */
export class LogCapture implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  errors(matching: RegExp): string[] {
    return this.lines.filter((line) => line.level === 'error' && matching.test(line.message)).map((line) => line.message);
  }
}
