/** Request and send limits that backends and the module share. */
export interface RateLimits {
  /**
   * Counts one event under `key` in a fixed window of `windowSeconds`.
   * @throws RateLimitedError (429 `rate_limited`, with Retry-After) when this event is beyond `max`.
   */
  hit(key: string, max: number, windowSeconds: number): Promise<void>;
}
