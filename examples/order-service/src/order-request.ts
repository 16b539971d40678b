import { z } from 'zod';

/**
 * The body of `POST /orders`. Validated with zod: the schema is the documentation, the TypeScript
 * type and the error messages at once, where hand-written checks would keep the three apart.
 */
export const orderRequestSchema = z.object({
  clientOrderId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/)
    .optional(),
  strategyId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  symbol: z.string().regex(/^[A-Z0-9.]{1,12}$/),
  side: z.enum(['buy', 'sell']),
  orderType: z.enum(['market', 'limit']),
  quantity: z.number().int().positive().max(1_000_000),
  /** Limit price, or the reference price of a market order. */
  price: z.number().positive().max(1_000_000),
  accountId: z.string().max(64).optional(),
});

/** A validated order request. */
export type OrderRequest = z.infer<typeof orderRequestSchema>;

/**
 * Validates a request body.
 *
 * @param body - the parsed JSON body
 * @returns the order, or the problems (`path: message`) to answer with a 400
 */
export function parseOrderRequest(body: unknown): { order: OrderRequest } | { problems: string[] } {
  const result = orderRequestSchema.safeParse(body);
  if (result.success) return { order: result.data };
  return { problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`) };
}
