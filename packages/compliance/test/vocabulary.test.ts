import type { OperationName, RedactionPolicy } from '@jts/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { AuditTrail, AuditTrailOptions } from '../src/index.js';

// The option names of docs/reference/options.md, checked on the exported types (by `tsc`, which
// type-checks the tests): a rename or an old name coming back fails the typecheck.
describe('@jts/compliance follows the one vocabulary', () => {
  it('lifecycle: close() and flush() resolve to void', () => {
    expectTypeOf<AuditTrail['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<AuditTrail['flush']>().toEqualTypeOf<() => Promise<void>>();
  });

  it('shared options have the table types, and the old names are gone', () => {
    expectTypeOf<AuditTrailOptions['redaction']>().toEqualTypeOf<RedactionPolicy | false | undefined>();
    expectTypeOf<AuditTrailOptions['operations']>().toEqualTypeOf<readonly OperationName[] | false | undefined>();
    expectTypeOf<AuditTrailOptions['flushOnExit']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<AuditTrailOptions['closeTimeoutMs']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AuditTrailOptions['env']>().toEqualTypeOf<NodeJS.ProcessEnv | undefined>();
    expectTypeOf<'environment'>().not.toMatchTypeOf<keyof AuditTrailOptions>();
    expectTypeOf<'auditOrderSubmissions'>().not.toMatchTypeOf<keyof AuditTrailOptions>();
  });
});
