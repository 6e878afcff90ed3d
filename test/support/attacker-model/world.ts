import { JwtService } from '@nestjs/jwt';
import type { Response, Test } from 'supertest';
import { API, type DemoHarness } from '../demo-harness.js';
import { availableIds, type AttackerModel, type ObservedFactor } from './model.js';
import { Violation } from './violation.js';

export const ADMIN = `${API}/admin`;
export const LOGIN = '/api/v1/auth/login';
export const STEP_UP = '/api/v1/account/sensitive-action';
/** The victim: the demo's alice, the one user whose password and session the attacker holds. */
export const VICTIM = { id: '1', username: 'alice', password: 'demo-password' };
/** docs/reference/rest-api.md (admin API): the admin's "remove two-factor for a user". */
export const REMOVE_TWO_FACTOR_ROUTE = `${API}/admin/user/{userId}/two-factor/remove`;

export type Headers = Record<string, string>;

/**
 * The real side of the model run: the demo app, the sessions, and a trace of every
 * request of the current sequence (printed with a violation, resolved to real ids).
 */
export class World {
  /** The victim's bearer session; the attacker holds the very same token. */
  victim: Headers;
  admin: Headers;
  /** Whether the demo serves the remove-two-factor route (docs/reference/rest-api.md) (the suite asserts it does). */
  removeRouteServed: boolean;
  trace: string[] = [];
  /** Every broken invariant of a census run, by name: how often, and the first one's trace. */
  census: Map<string, { count: number; first: string }> | null = null;

  constructor(readonly h: DemoHarness) {}

  async init(): Promise<void> {
    // Listening once: supertest would otherwise open (and close) a server for every request.
    await this.h.app.listen(0, '127.0.0.1');
    const jwt = this.h.app.get(JwtService);
    // Signed directly: the login route would ask the victim for a second factor once they have one.
    this.victim = { Authorization: `Bearer ${await jwt.signAsync({ sub: VICTIM.id, username: VICTIM.username })}` };
    this.admin = { Authorization: `Bearer ${await jwt.signAsync({ sub: '3', username: 'admin' })}` };
    const document = (await this.h.http.get('/docs-json').expect(200)).body as { paths: Record<string, unknown> };
    this.removeRouteServed = Object.keys(document.paths).some((path) => path.replace(/\/$/, '') === REMOVE_TWO_FACTOR_ROUTE);
  }

  get http(): DemoHarness['http'] {
    return this.h.http;
  }

  /** Sends `call`, notes it in the trace; a 5xx is a violation of its own (never a 500). */
  async send(what: string, call: Test): Promise<Response> {
    const response = await call;
    const code = typeof response.body?.code === 'string' ? ` ${response.body.code}` : '';
    this.trace.push(`    ${what} → ${response.status}${code}`);
    if (response.status >= 500) this.fail(new Violation('server error', `${what} answered ${response.status}: ${response.text.slice(0, 300)}`));
    return response;
  }

  /**
   * A broken invariant: thrown, so fast-check shrinks the sequence. In a census
   * (ATTACKER_MODEL_CENSUS) it is counted with the trace so far and the sequence goes on.
   */
  fail(violation: Violation): void {
    if (!this.census) throw violation;
    this.trace.push(`    !! ${violation.message}`);
    const seen = this.census.get(violation.invariant);
    if (seen) seen.count++;
    else this.census.set(violation.invariant, { count: 1, first: `${violation.message}\n${this.trace.join('\n')}` });
  }

  note(line: string): void {
    this.trace.push(line);
  }

  /** The victim's factors as the admin API lists them (every status, active or not). */
  async observeFactors(): Promise<Map<number, ObservedFactor>> {
    const response = await this.http.get(`${ADMIN}/user/${VICTIM.id}/user-config/list/`).set(this.admin);
    if (response.status !== 200) throw new Violation('observation failed', `admin list answered ${response.status}: ${response.text.slice(0, 300)}`);
    return new Map((response.body as ObservedFactor[]).map((factor) => [factor.id, factor]));
  }

  /** The ids of the victim's remembered devices. */
  async observeDevices(): Promise<string[]> {
    const response = await this.http.get(`${API}/device/own/list/`).set(this.victim);
    if (response.status !== 200) throw new Violation('observation failed', `device list answered ${response.status}`);
    return (response.body as Array<{ id: string }>).map((device) => device.id);
  }

  /** A one-line summary of the model after a step, for the trace. */
  summary(model: AttackerModel): string {
    const factors = [...model.factors.values()].map((factor) => {
      const seen = model.observed.get(factor.id);
      const state = seen ? `${seen.status}${seen.is_active ? '' : ',off'}${seen.is_available ? ',available' : ''}` : 'gone';
      return `${factor.label}(${factor.keyedBy}${factor.lost ? ',lost' : ''}:${state})`;
    });
    const devices = model.devices.filter((device) => device.live).map((device) => device.label);
    return `    = two-factor ${model.twoFactorOn ? 'on' : 'off'}; ${factors.join(' ') || 'no factors'}; live devices [${devices.join(' ')}]; available ${availableIds(model).length}`;
  }
}
