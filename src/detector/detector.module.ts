// Stub: the anomaly detector will live here (broker/disk failures, goal violations, self-healing under the N-1 budget). Nothing is detected yet.
import { Module } from '@nestjs/common';

@Module({})
export class DetectorModule {}
