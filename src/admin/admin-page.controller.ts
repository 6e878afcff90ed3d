import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminAssetsDirectory } from './admin-assets.js';

/** Scripts only from the demo itself: the form library is served from node_modules, never a CDN. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

const read = (file: string) => readFileSync(file, 'utf8');
let cache: Record<string, string> | undefined;

/** The files, read once on first use. */
function files(): Record<string, string> {
  if (!cache) {
    const assets = adminAssetsDirectory(dirname(fileURLToPath(import.meta.url)));
    cache = {
      html: read(join(assets, 'admin.html')),
      script: read(join(assets, 'admin.js')),
      style: read(join(assets, 'admin.css')),
      jsonEditor: read(createRequire(import.meta.url).resolve('@json-editor/json-editor/dist/jsoneditor.js')),
    };
  }
  return cache;
}

/**
 * The demo's admin page: lists method configs and edits each through a form
 * that @json-editor/json-editor renders from the method's JSON schema. The page
 * is public; everything it shows comes from the admin API, which only lets `admin` in.
 */
@ApiExcludeController()
@Controller('admin')
export class AdminPageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', CSP)
  page(): string {
    return files().html;
  }

  @Get('admin.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return files().script;
  }

  @Get('admin.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  style(): string {
    return files().style;
  }

  @Get('vendor/jsoneditor.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  jsonEditor(): string {
    return files().jsonEditor;
  }
}
