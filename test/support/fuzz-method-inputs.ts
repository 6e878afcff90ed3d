import fc from 'fast-check';
import { API } from './demo-harness.js';
import { extraKey, hostileValue, toJson } from './fuzz-requests.js';

/** The keys the built-in methods read from a user config or from confirmation data. */
const METHOD_KEYS = ['code', 'email', 'phone', 'label', 'regenerate', 'count', 'digits', 'codes'];

/** A generated object for a method: its own keys and strangers, with hostile values. */
const methodObject = fc.array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...METHOD_KEYS) }, { weight: 1, arbitrary: extraKey }), hostileValue), {
  maxLength: 4,
});

/** A request that reaches a method's own validation: real ids, generated `config` or `data`. */
export interface MethodInput {
  method: 'post' | 'patch';
  path: string;
  body: string;
  signedIn: boolean;
}

/**
 * Requests that pass the module's own body checks and reach the backends: create
 * and update with a real method config and a generated config, request with
 * generated data, and confirm (a factor's or a pending confirmation) with generated data.
 */
export function methodInput(ids: { methodConfigIds: number[]; factorId: number; confirmationId: string }): fc.Arbitrary<MethodInput> {
  const methodConfig = fc.constantFrom(...ids.methodConfigIds);
  return fc.oneof(
    fc.tuple(methodConfig, methodObject).map(([id, config]) => ({
      method: 'post' as const,
      path: `${API}/user-config/own/create/`,
      body: `{"method_config_id":${id},"config":${toJson(config)}}`,
      signedIn: true,
    })),
    methodObject.map((config) => ({
      method: 'patch' as const,
      path: `${API}/user-config/own/${ids.factorId}/update/`,
      body: `{"config":${toJson(config)}}`,
      signedIn: true,
    })),
    fc.tuple(methodConfig, methodObject, fc.boolean()).map(([id, data, signedIn]) => ({
      method: 'post' as const,
      path: `${API}/confirmation/request/`,
      body: `{"method_config_id":${id},"data":${toJson(data)}}`,
      signedIn,
    })),
    methodObject.map((data) => ({
      method: 'post' as const,
      path: `${API}/confirmation/confirm/`,
      body: `{"id":"${ids.confirmationId}","data":${toJson(data)}}`,
      signedIn: true,
    })),
    methodObject.map((data) => ({
      method: 'post' as const,
      path: `${API}/user-config/own/confirm/`,
      body: `{"id":${ids.factorId},"confirmation_id":"${ids.confirmationId}","data":${toJson(data)}}`,
      signedIn: true,
    })),
  );
}
