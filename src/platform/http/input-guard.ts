import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

/**
 * Where a string with a NUL character (U+0000) sits in a parsed body, query or params, or null. PostgreSQL
 * text cannot hold one (the query fails), and no real name, message or search contains one. Iterative, so
 * that deeply nested input cannot exhaust the stack.
 */
export function findNul(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => {
        stack.push([item, path ? `${path}.${index}` : String(index)]);
      });
    } else if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) {
          const clean = key.replaceAll('\u0000', '');
          return path ? `${path}.${clean}` : clean;
        }
        stack.push([item, path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

/** Refuses input with NUL characters as a validation error, before any handler or query sees it. */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts: [string, unknown][] = [
      ['', request.body],
      ['query', request.query],
      ['params', request.params],
    ];
    for (const [part, value] of parts) {
      const at = findNul(value);
      if (at === null) continue;
      // Named as the error handler names schema issues: body fields as they are, query and params prefixed.
      const path = [part, at].filter(Boolean).join('.') || part || 'body';
      throw new AppError('MISSIVE_VALIDATION', [{ path, reason: 'nul_character' }]);
    }
  });
}
