// Stub: the executor will live here (BullMQ jobs, throttles, restart-safe execution). Nothing is executed yet.
import { Module } from '@nestjs/common';

@Module({})
export class ExecutorModule {}
