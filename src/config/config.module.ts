// Makes the configuration loaded at boot injectable everywhere.
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BallastConfig } from './ballast-config.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: BallastConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: BallastConfig, useValue: config }],
      exports: [BallastConfig],
    };
  }
}
