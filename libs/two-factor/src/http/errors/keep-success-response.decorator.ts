import { HttpStatus, RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { ApiResponse } from '@nestjs/swagger';

/** What `@nestjs/swagger` documents for a route without any response of its own: `@HttpCode`, else 201 for POST, else 200. */
function defaultStatus(handler: object): number {
  const code = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (code) return code;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK;
}

/**
 * Keeps a route's success response in the OpenAPI document when the module adds
 * error responses to it. Swagger documents a default success response (or the CLI
 * plugin's) only for a route with no response at all, so a route whose only responses
 * are our errors would lose it. Checked once the class is fully decorated (a microtask
 * later: decorators run bottom-up, `@Post`/`@HttpCode`/`@ApiOkResponse` may come after
 * ours); a route that documents a 2xx itself keeps exactly that.
 */
export function KeepSuccessResponse(): MethodDecorator & ClassDecorator {
  return (target: object, key?: string | symbol, descriptor?: TypedPropertyDescriptor<any>) => {
    // On a class, swagger merges the class's responses into each route's: nothing is lost there.
    if (!descriptor || key === undefined) return;
    queueMicrotask(() => {
      const handler = descriptor.value as object;
      const responses = (Reflect.getMetadata('swagger/apiResponse', handler) ?? {}) as Record<string, unknown>;
      if (Object.keys(responses).some((status) => /^2\d\d$/.test(status))) return;
      ApiResponse({ status: defaultStatus(handler), description: '' })(target, key, descriptor);
    });
  };
}
