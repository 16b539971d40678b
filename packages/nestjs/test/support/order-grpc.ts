/**
 * A gRPC microservice for the message-context tests: a guard and a `@GrpcMethod` handler that
 * report the correlation ID they ran with, and an `@TraceOrder` service call inside the handler.
 */
import 'reflect-metadata';
import { type CanActivate, Controller, type ExecutionContext, Injectable, Module, UseGuards } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import { correlationId } from '@jts/core';
import { JtsModule, type JtsModuleOptions } from '@jts/nestjs';
import type { Seen } from './order-messages.js';
import { OrderService } from './orders-app.js';

/** The proto file of the `jts.orders.Orders` service. */
export const ORDERS_PROTO = new URL('./orders.proto', import.meta.url).pathname;

/**
 * The gRPC module, with JtsModule given `options`.
 *
 * @param options - JtsModule options
 * @param seen - where the guard and the handler report
 */
export function orderGrpcModule(options: JtsModuleOptions, seen: Seen) {
  @Injectable()
  class GrpcGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      seen.guard.set(context.switchToRpc().getData<{ id: string }>().id, correlationId());
      return true;
    }
  }

  @Controller()
  @UseGuards(GrpcGuard)
  class OrdersGrpc {
    constructor(private readonly orders: OrderService) {}

    @GrpcMethod('Orders', 'Submit')
    async submit(data: { id: string }) {
      seen.handler.set(data.id, correlationId());
      return this.orders.submit(data.id);
    }
  }

  @Module({
    imports: [JtsModule.forRoot(options)],
    controllers: [OrdersGrpc],
    providers: [OrderService, GrpcGuard],
  })
  class OrderGrpcModule {}
  return OrderGrpcModule;
}
