import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Permission } from '../auth/access.decorators.js';
import { QueueSummary } from './queue-summary.js';

@ApiTags('system')
@Controller('api/queue-board')
export class QueueBoardController {
  constructor(private readonly summary: QueueSummary) {}

  /** The queues and their depths; the board itself is at `path` (same permission). */
  @Get()
  @Permission('queue-board.show')
  read() {
    return this.summary.read();
  }
}
