// Stub: the load monitor will live here (metric samplers, windowed aggregation, capacities). Nothing is sampled yet.
import { Module } from '@nestjs/common';

@Module({})
export class MonitorModule {}
