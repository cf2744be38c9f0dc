// The REST API: Cruise Control's endpoints under /kafkacruisecontrol/ and Ballast's own
// /health, /ready and /metrics. The only module with controllers.
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AnalyzerModule } from '../analyzer/index.js';
import { DetectorModule } from '../detector/index.js';
import { ExecutorModule } from '../executor/index.js';
import { KafkaModule } from '../kafka/index.js';
import { MetricsService, registerApiMetrics } from '../metrics/index.js';
import { MonitorModule } from '../monitor/index.js';
import { OperationsModule } from '../operations/index.js';
import { RedisModule } from '../redis/index.js';
import { AdminController } from './admin.controller.js';
import { CRUISE_CONTROL_ENDPOINTS } from './endpoints.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { HealthController } from './health.controller.js';
import { KafkaClusterStateController } from './kafka-cluster-state.controller.js';
import { KafkaClusterStateService } from './kafka-cluster-state.service.js';
import { LoadController } from './load.controller.js';
import { LoadService } from './load.service.js';
import { ExecutionController } from './execution.controller.js';
import { OperationRequestService } from './operation-request.service.js';
import { ProposalsController } from './proposals.controller.js';
import { ReadinessService } from './readiness.service.js';
import { SamplingController } from './sampling.controller.js';
import { StateController } from './state.controller.js';
import { StateService } from './state.service.js';
import { LoadModelController } from './load-model.controller.js';
import { DocsController } from './openapi/docs.controller.js';
import { PermissionsController } from './permissions.controller.js';
import { ReviewController } from './review.controller.js';
import { ReviewInterceptor } from './review/review.interceptor.js';
import { ReviewService } from './review/review.service.js';
import { RightsizeController } from './rightsize.controller.js';
import { AuditLog } from './security/audit-log.js';
import { SecurityGuard } from './security/security.guard.js';
import { SecurityService } from './security/security.service.js';
import { UserTaskService } from './user-tasks/user-task.service.js';
import { UserTasksController } from './user-tasks/user-tasks.controller.js';

@Module({
  imports: [KafkaModule, RedisModule, MonitorModule, AnalyzerModule, ExecutorModule, DetectorModule, OperationsModule],
  controllers: [
    HealthController,
    StateController,
    KafkaClusterStateController,
    LoadController,
    SamplingController,
    ProposalsController,
    ExecutionController,
    AdminController,
    UserTasksController,
    LoadModelController,
    ReviewController,
    PermissionsController,
    RightsizeController,
    DocsController,
  ],
  providers: [
    ReadinessService,
    LoadService,
    StateService,
    KafkaClusterStateService,
    UserTaskService,
    ReviewService,
    OperationRequestService,
    SecurityService,
    AuditLog,
    // Authentication, authorization and the audit line run before any interceptor or handler.
    { provide: APP_GUARD, useClass: SecurityGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_INTERCEPTOR, useClass: ReviewInterceptor },
  ],
})
export class ApiModule implements NestModule {
  constructor(private readonly metrics: MetricsService) {}

  configure(consumer: MiddlewareConsumer): void {
    // ballast_api_* label requests by the API's own endpoint names: the API hands them to the
    // metrics here, so src/metrics needs nothing from src/api. Every path, unknown ones included.
    const middleware = registerApiMetrics(this.metrics.registry, CRUISE_CONTROL_ENDPOINTS);
    consumer.apply(middleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
