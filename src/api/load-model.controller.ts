// Cruise Control's GET /bootstrap and GET /train. Both act on things Ballast does not have (a
// bootstrap mode of the load monitor, a linear regression CPU model): they validate the request
// and answer, in the spec's shape, that nothing was done and why.
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidParameterError } from './api.errors.js';
import { parseQuery } from './query-params.js';
import { BOOTSTRAP_PARAMS, TRAIN_PARAMS } from './endpoint-params.js';

export interface MessageJson {
  version: 1;
  message: string;
}

export const BOOTSTRAP_MESSAGE =
  'Nothing bootstrapped: Ballast has no bootstrap mode. Its load monitor samples the cluster continuously and restores its sample windows from Redis when it starts; it cannot load samples from before it was sampling.';

export const TRAIN_MESSAGE =
  "Nothing trained: Ballast has no linear regression CPU model. It divides each broker's measured CPU among its partitions in proportion to the bytes they serve, so there is nothing to train.";

/** GET /bootstrap after validation: the answer, in BootstrapResult's shape. */
export function bootstrapAnswer(query: Record<string, unknown>): { json: boolean; body: MessageJson } {
  const p = parseQuery('GET /kafkacruisecontrol/bootstrap', BOOTSTRAP_PARAMS, query);
  checkRange(p.start, p.end);
  if (p.clearmetrics) {
    throw new InvalidParameterError(
      'clearmetrics',
      "Parameter 'clearmetrics' is not supported: Ballast has no bootstrap mode, and clearing its sample windows is not offered",
    );
  }
  return { json: p.json, body: { version: 1, message: BOOTSTRAP_MESSAGE } };
}

/** GET /train after validation: the answer, in TrainResult's shape. */
export function trainAnswer(query: Record<string, unknown>): { json: boolean; body: MessageJson } {
  const p = parseQuery('GET /kafkacruisecontrol/train', TRAIN_PARAMS, query);
  checkRange(p.start, p.end);
  return { json: p.json, body: { version: 1, message: TRAIN_MESSAGE } };
}

function checkRange(startMs: number | undefined, endMs: number | undefined): void {
  if (startMs !== undefined && startMs >= 0 && endMs !== undefined && endMs <= startMs) {
    throw new InvalidParameterError('end', `Parameter 'end' (${endMs}) must be after 'start' (${startMs})`);
  }
}

/** A `{version, message}` answer as JSON, or its message as plain text. */
export function messageAnswer(answer: { json: boolean; body: MessageJson }, response: Response): MessageJson | string {
  if (answer.json) return answer.body;
  response.type('text/plain');
  return `${answer.body.message}\n`;
}

@Controller('kafkacruisecontrol')
export class LoadModelController {
  @Get('bootstrap')
  bootstrap(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ): MessageJson | string {
    return messageAnswer(bootstrapAnswer(query), response);
  }

  @Get('train')
  train(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) response: Response): MessageJson | string {
    return messageAnswer(trainAnswer(query), response);
  }
}
