import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { FULFILMENT_PROVIDER } from './fulfilment-provider.js';
import { HttpFulfilment } from './http-fulfilment.js';

/** The fulfilment provider over HTTP at FULFILMENT_API_BASE (docs/fulfilment-api.md). */
@Module({
  providers: [
    {
      provide: FULFILMENT_PROVIDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new HttpFulfilment(config.fulfilmentApiBase, config.fulfilmentApiKey),
    },
  ],
  exports: [FULFILMENT_PROVIDER],
})
export class FulfilmentModule {}
