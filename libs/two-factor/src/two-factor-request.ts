/** The request as the module sees it: whatever the host's HTTP adapter gives (Express or Fastify). */
export type TwoFactorRequest = Record<string, any>;
