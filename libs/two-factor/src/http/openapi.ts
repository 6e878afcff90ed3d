import type { DocumentBuilder } from '@nestjs/swagger';

/** The security scheme the module's routes name: the one `DocumentBuilder.addBearerAuth()` defines by default. */
export const TWO_FACTOR_BEARER_SCHEME = 'bearer';

/** The module's OpenAPI tags with their descriptions. */
export const TWO_FACTOR_OPENAPI_TAGS: ReadonlyArray<{ name: string; description: string }> = [
  { name: 'two-factor: method configs', description: 'The second-factor methods users can enrol in.' },
  { name: 'two-factor: own user configs', description: "The signed-in user's own factors: enrol, confirm, change, remove." },
  { name: 'two-factor: confirmations', description: 'One-time confirmations: request one, answer it, check it. A confirmed one is a step-up proof.' },
  { name: 'two-factor: own remembered devices', description: 'Devices on which sign-in skips the second step: list and forget your own.' },
  { name: 'two-factor: sign-in', description: 'Password, then a second factor, then your session (mounted with the `signInRoutes` option).' },
];

/**
 * Adds what the module's routes refer to to a host's OpenAPI document: its tags with their
 * descriptions and, unless the host defines it itself, the bearer scheme.
 * @example SwaggerModule.createDocument(app, addTwoFactorOpenApi(new DocumentBuilder().setTitle('My API')).build())
 */
export function addTwoFactorOpenApi(builder: DocumentBuilder, options: { bearerScheme?: boolean } = {}): DocumentBuilder {
  for (const tag of TWO_FACTOR_OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  if (options.bearerScheme !== false) builder.addBearerAuth({ type: 'http', scheme: 'bearer' }, TWO_FACTOR_BEARER_SCHEME);
  return builder;
}

/** Names a route's OpenAPI operation under the module's own prefix, so it cannot clash with a host controller's. */
export function twoFactorOperationId(name: string): string {
  return `twoFactor_${name}`;
}
