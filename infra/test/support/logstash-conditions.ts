import { getField, type LogstashEvent } from './logstash-event.js';

/**
 * Evaluates a Logstash conditional (`[a] == "x"`, `in`, `not in`, `=~`, `!~`, `<`, `>=`, `and`,
 * `or`, `!`, parentheses, a bare field for "exists and is not false") on an event.
 */
export function evaluateCondition(text: string, event: LogstashEvent): boolean {
  const tokens = [
    ...text.matchAll(
      /\s*("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|(?:\[[^\]"',\s]+\])+|\/(?:\\.|[^/\\])*\/|-?\d+(?:\.\d+)?|==|!=|=~|!~|<=|>=|<|>|!|\(|\)|\[|\]|,|\bnot in\b|\bin\b|\band\b|\bor\b|\bnand\b|\bxor\b)/gy,
    ),
  ].map((match) => match[1]!);
  if (tokens.join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) throw new Error(`cannot read condition ${text}`);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++]!;

  const operand = (): unknown => {
    const token = next();
    if (token.startsWith('"') || token.startsWith("'")) return token.slice(1, -1);
    if (token.startsWith('/')) return new RegExp(token.slice(1, -1));
    if (/^-?\d/.test(token)) return Number(token);
    if (token.startsWith('[') && token.length > 1 && token !== '[') return getField(event, token);
    if (token === '[') {
      const list: unknown[] = [];
      while (peek() !== ']') {
        list.push(operand());
        if (peek() === ',') next();
      }
      next();
      return list;
    }
    throw new Error(`unexpected ${token} in ${text}`);
  };
  const truthy = (value: unknown) => value !== undefined && value !== null && value !== false;

  const comparison = (): boolean => {
    if (peek() === '(') {
      next();
      const inner = disjunction();
      if (next() !== ')') throw new Error(`missing ) in ${text}`);
      return inner;
    }
    if (peek() === '!') {
      next();
      return !comparison();
    }
    const left = operand();
    const op = peek();
    if (op === undefined || op === ')' || op === 'and' || op === 'or') return truthy(left);
    next();
    const right = operand();
    switch (op) {
      case '==':
        return left === right || (typeof left === 'number' && Number(right) === left);
      case '!=':
        return left !== right;
      case '<':
        return Number(left) < Number(right);
      case '>':
        return Number(left) > Number(right);
      case '<=':
        return Number(left) <= Number(right);
      case '>=':
        return Number(left) >= Number(right);
      case '=~':
        return typeof left === 'string' && (right as RegExp).test(left);
      case '!~':
        return !(typeof left === 'string' && (right as RegExp).test(left));
      case 'in':
        return Array.isArray(right)
          ? right.includes(left)
          : typeof right === 'string' && typeof left === 'string' && right.includes(left);
      case 'not in':
        return !(Array.isArray(right)
          ? right.includes(left)
          : typeof right === 'string' && typeof left === 'string' && right.includes(left));
      default:
        throw new Error(`operator ${op} in ${text}`);
    }
  };
  const conjunction = (): boolean => {
    let result = comparison();
    while (peek() === 'and') {
      next();
      const right = comparison();
      result = result && right;
    }
    return result;
  };
  const disjunction = (): boolean => {
    let result = conjunction();
    while (peek() === 'or') {
      next();
      const right = conjunction();
      result = result || right;
    }
    return result;
  };
  const result = disjunction();
  if (position !== tokens.length) throw new Error(`trailing ${tokens.slice(position).join(' ')} in ${text}`);
  return result;
}
