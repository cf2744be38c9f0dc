// GET /openapi.json (Ballast's OpenAPI document, built from the controllers' parameter tables) and
// GET /docs (Swagger UI from the installed swagger-ui-dist package: no CDN, nothing fetched at run time).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Header, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { buildOpenApiDocument, DOCS_FILES, DOCS_INITIALIZER, type JsonObject } from './openapi-document.js';

// Relative URLs throughout, so the page also works behind a reverse proxy that adds a path prefix.
const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Ballast API</title>
    <link rel="stylesheet" type="text/css" href="docs/swagger-ui.css" />
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" sizes="32x32" />
    <link rel="icon" type="image/png" href="docs/favicon-16x16.png" sizes="16x16" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="docs/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script src="docs/${DOCS_INITIALIZER}" charset="UTF-8"></script>
  </body>
</html>
`;

// document.currentScript is only set while the script itself runs, so the URL is taken then:
// the document sits at ../openapi.json from /docs/ballast-initializer.js, whatever the prefix.
const INITIALIZER = `(function () {
  var script = document.currentScript;
  var specUrl = new URL('../openapi.json', script ? script.src : window.location.href).href;
  window.onload = function () {
    window.ui = SwaggerUIBundle({
      url: specUrl,
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  };
})();
`;

@Controller()
export class DocsController {
  private document: JsonObject | undefined;

  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  openapi(): JsonObject {
    this.document ??= buildOpenApiDocument({ version: ballastVersion() });
    return this.document;
  }

  @Get('docs')
  docs(@Req() request: Request, @Res() response: Response): void {
    // The page's links are relative to /docs; under /docs/ they would point one level too deep.
    if (request.path.endsWith('/')) {
      response.redirect(301, '../docs');
      return;
    }
    response.type('text/html').send(DOCS_PAGE);
  }

  @Get('docs/:file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    // Only the listed names: the parameter never becomes a path of its own.
    if (!DOCS_FILES.includes(file)) throw new NotFoundException(`No file ${file} under /docs`);
    if (file === DOCS_INITIALIZER) {
      response.type('application/javascript').send(INITIALIZER);
      return;
    }
    response.sendFile(join(swaggerUiDirectory(), file), { maxAge: '1h' });
  }
}

let swaggerUiDir: string | undefined;

/** The installed swagger-ui-dist package's folder (its absolute-path.js, without loading the 1.7 MB bundle). */
function swaggerUiDirectory(): string {
  swaggerUiDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/absolute-path.js'));
  return swaggerUiDir;
}

let version: string | undefined;

/** Ballast's version from its package.json, found from here in src/ and in dist/src/ alike. */
export function ballastVersion(): string {
  if (version !== undefined) return version;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'ballast' && pkg.version) return (version = pkg.version);
  }
  return (version = 'unknown');
}
