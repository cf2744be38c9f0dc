// bootstrap, train, permissions, rightsize, review_board and review: strict parameters, and
// json=true answers that validate against Cruise Control's response schemas.
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { TwoStepVerificationDisabledError } from '../../../src/api/api.errors.js';
import {
  BOOTSTRAP_MESSAGE,
  LoadModelController,
  TRAIN_MESSAGE,
  bootstrapAnswer,
  trainAnswer,
} from '../../../src/api/load-model.controller.js';
import { PermissionsController, permissionsAnswer } from '../../../src/api/permissions.controller.js';
import { ReviewController } from '../../../src/api/review.controller.js';
import { RightsizeController, rightsizeAnswer } from '../../../src/api/rightsize.controller.js';
import { ReviewService } from '../../../src/api/review/review.service.js';
import type { BallastConfig } from '../../../src/config/index.js';
import { InvalidParameterError } from '../../../src/api/index.js';
import { responseValidator } from '../../support/openapi.js';

const validateBootstrap = responseValidator('bootstrapResult.yaml', 'BootstrapResult');
const validateTrain = responseValidator('trainResult.yaml', 'TrainResult');
const validatePermissions = responseValidator('userPermissions.yaml', 'UserPermissions');
const validateRightsize = responseValidator('rightsizeResult.yaml', 'RightsizeResult');

/** Two-step verification off, as by default. */
const reviewsOff = new ReviewService({
  api: { twoStepVerification: { enabled: false, reviewRetentionMs: 60_000, maxReviews: 25 } },
} as BallastConfig);
const request = { query: {}, ip: '10.0.0.7' } as unknown as Request;

function textResponse(): { res: Response; type: () => string | undefined } {
  let contentType: string | undefined;
  const res = {
    type(t: string) {
      contentType = t;
      return res;
    },
  };
  return { res: res as unknown as Response, type: () => contentType };
}

describe('GET /bootstrap and GET /train', () => {
  it('answer in the spec shape that nothing was done', () => {
    const { res } = textResponse();
    const controller = new LoadModelController();
    const bootstrap = controller.bootstrap({ json: 'true', start: '-1' }, res);
    expect(validateBootstrap(bootstrap), validateBootstrap.errors()).toBe(true);
    expect(bootstrap).toEqual({ version: 1, message: BOOTSTRAP_MESSAGE });
    const train = controller.train({ json: 'true', start: '1000', end: '2000' }, res);
    expect(validateTrain(train), validateTrain.errors()).toBe(true);
    expect(train).toEqual({ version: 1, message: TRAIN_MESSAGE });
  });

  it('answer plain text without json=true', () => {
    const text = textResponse();
    expect(new LoadModelController().train({}, text.res)).toBe(`${TRAIN_MESSAGE}\n`);
    expect(text.type()).toBe('text/plain');
  });

  it('reject unknown and malformed parameters, naming them', () => {
    expect(() => bootstrapAnswer({ begin: '1' })).toThrow(/Unrecognized parameter\(s\).*begin/);
    expect(() => bootstrapAnswer({ start: '-2' })).toThrow(/'start'/);
    expect(() => bootstrapAnswer({ clearmetrics: 'true' })).toThrow(/'clearmetrics' is not supported/);
    expect(() => bootstrapAnswer({ developer_mode: 'yes' })).toThrow(/'developer_mode' must be true or false/);
    expect(() => trainAnswer({ start: '2000', end: '1000' })).toThrow(/'end' \(1000\) must be after 'start'/);
    expect(() => trainAnswer({ clearmetrics: 'true' })).toThrow(/Unrecognized parameter\(s\).*clearmetrics/);
    expect(trainAnswer({ DoAs: 'alice', JSON: 'TRUE' }).json).toBe(true);
  });
});

describe('GET /permissions', () => {
  it('says security is disabled and every caller has every role', () => {
    const body = new PermissionsController().permissions({ json: 'true', reason: 'audit' }, textResponse().res);
    expect(validatePermissions(body), validatePermissions.errors()).toBe(true);
    expect(body).toMatchObject({ roles: ['VIEWER', 'USER', 'ADMIN'], message: expect.stringMatching(/disabled/) });
  });

  it('rejects unknown parameters', () => {
    expect(() => permissionsAnswer({ user: 'bob' })).toThrow(InvalidParameterError);
  });
});

describe('POST /rightsize', () => {
  it('answers in the spec shape that nothing was provisioned', () => {
    const body = new RightsizeController(reviewsOff).rightsize(
      { json: 'true', num_brokers_to_add: '2', partition_count: '12', topic: 'orders.*' },
      request,
      textResponse().res,
    );
    expect(validateRightsize(body), validateRightsize.errors()).toBe(true);
    expect(body).toMatchObject({
      numBrokersToAdd: 2,
      partitionCount: 12,
      topic: 'orders.*',
      provisionerState: expect.stringMatching(/no provisioner, so nothing was provisioned/),
    });
  });

  it('requires something to rightsize towards and validates values', () => {
    expect(() => rightsizeAnswer({})).toThrow(/'num_brokers_to_add' or 'partition_count' is required/);
    expect(() => rightsizeAnswer({ num_brokers_to_add: '0' })).toThrow(/'num_brokers_to_add' must be an integer/);
    expect(() => rightsizeAnswer({ partition_count: '3', topic: '(' })).toThrow(InvalidParameterError);
    expect(() => rightsizeAnswer({ num_brokers_to_add: '1', topic: 'a' })).toThrow(/'topic' goes with/);
    expect(() => rightsizeAnswer({ num_brokers_to_add: '1', brokers: '1' })).toThrow(/brokers/);
  });
});

describe('GET /review_board and POST /review', () => {
  const controller = new ReviewController(reviewsOff);
  const { res } = textResponse();

  it('refuse with the two-step verification error after validating parameters', () => {
    expect(() => controller.reviewBoard({ review_ids: '1,2', json: 'true' }, res)).toThrow(
      TwoStepVerificationDisabledError,
    );
    expect(() => controller.review({ approve: '1', discard: '2', reason: 'ok' }, res)).toThrow(
      /Attempt to access REVIEW endpoint without two-step verification/,
    );
  });

  it('name a bad parameter before saying two-step verification is off', () => {
    expect(() => controller.reviewBoard({ review_ids: 'x' }, res)).toThrow(InvalidParameterError);
    expect(() => controller.review({ approve: '1', reject: '2' }, res)).toThrow(/Unrecognized parameter\(s\).*reject/);
  });
});
