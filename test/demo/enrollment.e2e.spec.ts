import { TEST_HTTP_ADAPTER } from '../support/harness.js';
import { randomBytes } from 'node:crypto';
import { DEMO_ADMIN_ID } from '../../src/auth/demo-users.service.js';
import { API, bootDemo, type DemoHarness } from '../support/demo-harness.js';
import { enrolDummy, methodConfigId } from '../support/flows.js';
import { login } from '../support/sign-in.js';
import { DATABASE_KINDS } from '../support/test-database.js';

const PROFILE = '/api/v1/account/profile';
const GRACE_SECONDS = 3600;
const user = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

describe.each(DATABASE_KINDS)(`required factors on %s, ${TEST_HTTP_ADAPTER}`, (kind) => {
  describe("the demo's policy: admin must enrol, with no grace period", () => {
    let h: DemoHarness;
    beforeAll(async () => {
      h = await bootDemo(kind);
    });
    afterAll(() => h.close());

    it('admin without a factor: 403 two_factor_enrollment_required listing the methods to enrol', async () => {
      const signedIn = await login(h, 'admin').expect(200);
      const response = await h.http.get(PROFILE).set('Authorization', `Bearer ${signedIn.body.access_token}`).expect(403);
      expect(response.body.code).toBe('two_factor_enrollment_required');
      const methods = response.body.details.methods.map((item: { method: string }) => item.method).sort();
      expect(methods).toEqual(['backup_codes', 'dummy', 'email', 'sms', 'totp', 'webauthn']);
      expect(response.body.details.methods[0]).toEqual({ method_config_id: expect.any(Number), method: expect.any(String), title: expect.any(String) });
    });

    it('users the policy does not name go through, with no deadline header', async () => {
      const response = await h.http
        .get(PROFILE)
        .set(await h.auth('alice'))
        .expect(200);
      expect(response.body).toEqual({ id: '1', username: 'alice' });
      expect(response.headers['x-two-factor-enrollment-deadline']).toBeUndefined();
    });

    it('anonymous callers are 401', async () => {
      expect((await h.http.get(PROFILE).expect(401)).body.code).toBe('unauthenticated');
    });

    it("the module's own routes stay open so admin can enrol; then the route lets admin through and sign-in asks for the factor", async () => {
      const auth = { Authorization: `Bearer ${(await login(h, 'admin').expect(200)).body.access_token}` };
      // An enrolment that is not yet confirmed does not count.
      const pending = await h.http
        .post(`${API}/user-config/own/create/`)
        .set(auth)
        .send({ method_config_id: await methodConfigId(h, 'dummy'), config: { code: 'admin-code' } })
        .expect(201);
      await h.http.get(PROFILE).set(auth).expect(403);
      await h.http
        .post(`${API}/user-config/own/confirm/`)
        .set(auth)
        .send({ id: pending.body.item.id, confirmation_id: pending.body.confirmation_id, data: { code: 'admin-code' } })
        .expect(200);
      expect((await h.http.get(PROFILE).set(auth).expect(200)).body).toEqual({ id: DEMO_ADMIN_ID, username: 'admin' });
      expect((await login(h, 'admin').expect(200)).body.two_factor_required).toBe(true);
    });
  });

  describe('a policy with a grace period and a choice of methods', () => {
    let h: DemoHarness;
    beforeAll(async () => {
      h = await bootDemo(kind, {
        twoFactor: {
          enrollment: {
            // The id says since when the user has been required to enrol (seconds ago), e.g. "since-7200-ab12cd34".
            required: (userId: string) => {
              const since = /^since-(\d+)-/.exec(userId);
              return since ? new Date(Date.now() - Number(since[1]) * 1000) : null;
            },
            gracePeriodSeconds: GRACE_SECONDS,
            methods: ['dummy', 'totp'],
          },
        },
      });
    });
    afterAll(() => h.close());

    it('within the grace period the user goes through, told the deadline', async () => {
      const id = user('since-60');
      const response = await h.http
        .get(PROFILE)
        .set(await h.auth(id))
        .expect(200);
      const deadline = Date.parse(response.headers['x-two-factor-enrollment-deadline']);
      expect(Math.abs(deadline - (Date.now() - 60_000 + GRACE_SECONDS * 1000))).toBeLessThan(10_000);
    });

    it('5 seconds before the deadline: through; 5 seconds after: 403', async () => {
      await h.http
        .get(PROFILE)
        .set(await h.auth(user(`since-${GRACE_SECONDS - 5}`)))
        .expect(200);
      const response = await h.http
        .get(PROFILE)
        .set(await h.auth(user(`since-${GRACE_SECONDS + 5}`)))
        .expect(403);
      expect(response.body.code).toBe('two_factor_enrollment_required');
    });

    it('details.methods lists only the methods the policy accepts', async () => {
      const response = await h.http
        .get(PROFILE)
        .set(await h.auth(user('since-7200')))
        .expect(403);
      expect(response.body.details.methods.map((item: { method: string }) => item.method).sort()).toEqual(['dummy', 'totp']);
    });

    it('a factor of another method does not count; one of an accepted method does', async () => {
      const id = user('since-7200');
      const auth = await h.auth(id);
      await h.http
        .post(`${API}/user-config/own/create/`)
        .set(auth)
        .send({ method_config_id: await methodConfigId(h, 'backup_codes'), config: {} })
        .expect(201);
      await h.http.get(PROFILE).set(auth).expect(403);
      // Backup codes are confirmed at once, yet not an accepted method. A user with a dummy factor goes through.
      const other = user('since-7200');
      await enrolDummy(h, other, 'accepted-code');
      await h.http
        .get(PROFILE)
        .set(await h.auth(other))
        .expect(200);
    });
  });
});
