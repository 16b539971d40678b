import type { DestinationStream } from 'pino';
import { optionalRequire } from './optional-require.js';

type PrettyFactory = (options: Record<string, unknown>) => (line: unknown) => string;

// Escapes every C0 control, DEL and C1 control; in stack traces line feeds and tabs stay readable.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const visible = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

function neutralise(value: unknown, key: string): unknown {
  if (typeof value === 'string')
    return value.replace(key === 'stack_trace' ? CONTROL_EXCEPT_NEWLINE : CONTROL, visible);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => neutralise(item, key));
  const out: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) out[neutralise(name, '') as string] = neutralise(item, name);
  return out;
}

/**
 * A human-readable destination through `pino-pretty` (an optional peer, loaded here on demand).
 * JSON escaping protects the JSON lines; a pretty printer decodes them, so control characters
 * (ESC sequences, CR, C1) are made visible again before printing: a logged value cannot move the
 * cursor, recolour the terminal or fake a line.
 *
 * @param output - where the text goes (stdout's sonic-boom)
 * @returns the destination, or `undefined` when pino-pretty is not installed
 */
export function createPrettyDestination(output: DestinationStream, colorize: boolean): DestinationStream | undefined {
  const pretty = optionalRequire<{ prettyFactory?: PrettyFactory }>('pino-pretty');
  if (pretty?.prettyFactory === undefined) return undefined;
  const prettify = pretty.prettyFactory({
    colorize,
    levelKey: 'log\\.level',
    messageKey: 'message',
    timestampKey: '@timestamp',
    errorLikeObjectKeys: ['error'],
    ignore: 'process\\.pid,host\\.hostname,ecs\\.version,service\\.version,service\\.environment',
    translateTime: false,
  });
  return {
    write(line: string) {
      let text: string;
      try {
        text = prettify(neutralise(JSON.parse(line), ''));
      } catch {
        text = line;
      }
      output.write(text);
    },
  };
}
