import type { FastifyInstance } from 'fastify';
import { AppError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests sent by a browser from another site. Browsers send Origin on such
 * requests and Sec-Fetch-Site where supported; clients that are not browsers send neither and are not
 * exposed to cross-site request forgery.
 */
export function installSameOriginCheck(app: FastifyInstance, publicOrigin: string): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin) throw new AppError('MISSIVE_CROSS_ORIGIN');
    const site = request.headers['sec-fetch-site'];
    if (site === 'cross-site') throw new AppError('MISSIVE_CROSS_ORIGIN');
  });
}
