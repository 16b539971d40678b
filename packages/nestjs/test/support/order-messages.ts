/**
 * A microservice controller for the message-context tests: a guard and handlers that report the
 * correlation ID they ran with, and an `@TraceOrder` service call inside each handler.
 */
import 'reflect-metadata';
import { type CanActivate, Controller, type ExecutionContext, Injectable, Module, UseGuards } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { correlationId } from '@jts/core';
import { JtsModule, type JtsModuleOptions } from '@jts/nestjs';
import { OrderService } from './orders-app.js';

/** What the guard and the handlers of each message saw, by message id. */
export interface Seen {
  readonly guard: Map<string, string | undefined>;
  readonly handler: Map<string, string | undefined>;
}

/**
 * The microservice module, with JtsModule given `options`.
 *
 * @param options - JtsModule options
 * @param seen - where the guard and handlers report
 */
export function orderMessagesModule(options: JtsModuleOptions, seen: Seen) {
  @Injectable()
  class MessageGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const data = context.switchToRpc().getData<{ id: string }>();
      seen.guard.set(data.id, correlationId());
      return true;
    }
  }

  @Controller()
  @UseGuards(MessageGuard)
  class OrderMessages {
    constructor(private readonly orders: OrderService) {}

    @MessagePattern('orders.get')
    async get(@Payload() data: { id: string }) {
      seen.handler.set(data.id, correlationId());
      return this.orders.submit(data.id);
    }

    @MessagePattern('orders.fail')
    fail(): never {
      throw new Error('ledger down');
    }

    @EventPattern('orders.created')
    async created(@Payload() data: { id: string }) {
      seen.handler.set(data.id, correlationId());
      await this.orders.submit(data.id);
    }
  }

  @Module({
    imports: [JtsModule.forRoot(options)],
    controllers: [OrderMessages],
    providers: [OrderService, MessageGuard],
  })
  class OrderMessagesModule {}
  return OrderMessagesModule;
}
