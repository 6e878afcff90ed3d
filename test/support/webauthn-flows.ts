import { SoftAuthenticator } from 'nestjs-two-factor/testing';
import { API, type DemoHarness } from './demo-harness.js';
import { methodConfigId } from './flows.js';

/** The origin the WebAuthn suites configure and their software authenticators claim. */
export const ORIGIN = 'https://passkeys.example.com';
export const WEBAUTHN = { rpId: 'passkeys.example.com', origins: [ORIGIN] };

/** WebAuthn steps through the demo's HTTP API, answered by software authenticators with real keys. */
export function webauthnKit(h: () => DemoHarness) {
  const post = async (path: string, body: unknown, user: string, headers: Record<string, string> = {}) =>
    h()
      .http.post(`${API}/${path}`)
      .set(await h().auth(user))
      .set(headers)
      .send(body as object);

  /** A proof for adding a factor: a step-up with `key` on `userConfigId`, when the user has one. */
  const proof = async (user: string, prior?: { key: SoftAuthenticator; id: number }): Promise<Record<string, string>> =>
    prior ? { 'X-Two-Factor-Confirmation': await stepUp(user, prior.id, prior.key) } : {};

  /** Enrols `key` for `user` and proves it; returns the user config id and what create answered. */
  const enrol = async (user: string, key: SoftAuthenticator, prior?: { key: SoftAuthenticator; id: number }, mcId?: number) => {
    const created = await post(
      'user-config/own/create/',
      { method_config_id: mcId ?? (await methodConfigId(h(), 'webauthn')), config: { label: 'key' } },
      user,
      await proof(user, prior),
    );
    if (created.status !== 201) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
    const confirmed = await post(
      'user-config/own/confirm/',
      { id: created.body.item.id, confirmation_id: created.body.confirmation_id, data: key.register(created.body.enrollment.creation_options) },
      user,
    );
    if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    return { id: created.body.item.id as number, created };
  };

  /** Requests a confirmation for the factor; returns its id and the request options. */
  const request = async (user: string, userConfigId: number) => {
    const response = await post('confirmation/request/', { user_config_id: userConfigId }, user);
    if (response.status !== 201) throw new Error(`request answered ${response.status} ${JSON.stringify(response.body)}`);
    return { id: response.body.id as string, options: response.body.challenge.request_options, body: response.body };
  };

  const confirm = (user: string, id: string, data: unknown) => post('confirmation/confirm/', { id, data }, user);

  /** A full step-up with `key`; returns the confirmed confirmation's id. */
  const stepUp = async (user: string, userConfigId: number, key: SoftAuthenticator) => {
    const { id, options } = await request(user, userConfigId);
    const response = await confirm(user, id, key.assert(options));
    if (response.status !== 200) throw new Error(`confirm answered ${response.status} ${JSON.stringify(response.body)}`);
    return id;
  };

  const newKey = (options: Partial<ConstructorParameters<typeof SoftAuthenticator>[0]> = {}) => new SoftAuthenticator({ origin: ORIGIN, ...options });

  return { post, enrol, request, confirm, stepUp, newKey };
}
