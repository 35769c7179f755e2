import { Module } from '@nestjs/common';
import { QueueBoardController } from './queue-board.controller.js';
import { QueueSummary } from './queue-summary.js';

/** The queues seen by an admin: their depths (API) and Bull Board (mounted by mountQueueBoard). API only. */
@Module({
  controllers: [QueueBoardController],
  providers: [QueueSummary],
})
export class QueueBoardModule {}
