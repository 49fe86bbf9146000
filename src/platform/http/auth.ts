import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config';
import type { Locale } from '../../contracts/common';
import type { AuthContext } from '../../features/accounts/sessions.service';
import type { Actor } from '../../features/audit/audit.service';
import { AppError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** Resolved by the auth hook from the session cookie; null when signed out. */
    auth: AuthContext | null;
  }
}

export interface SessionCookie {
  name: string;
  set(reply: FastifyReply, token: string): void;
  clear(reply: FastifyReply): void;
}

export function sessionCookie(config: Config): SessionCookie {
  // The __Host- prefix pins the cookie to this origin (Secure, Path=/, no Domain) when served over TLS.
  const name = config.secureCookies ? '__Host-missive_session' : 'missive_session';
  const options = {
    path: '/',
    httpOnly: true,
    secure: config.secureCookies,
    sameSite: 'lax' as const,
    maxAge: Math.floor(config.session.absoluteTimeoutMs / 1000),
  };
  return {
    name,
    set: (reply, token) => void reply.setCookie(name, token, options),
    clear: (reply) => void reply.clearCookie(name, { path: '/' }),
  };
}

/** Builds the audit actor of a request. */
export function actorOf(request: FastifyRequest): Actor {
  const user = request.auth?.user;
  const ua = request.headers['user-agent'];
  return {
    userId: user?.id ?? null,
    role: user ? user.kind : 'anonymous',
    ip: request.ip ?? null,
    userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null,
  };
}

export function installAuth(
  app: FastifyInstance,
  options: { cookie: SessionCookie; authenticate: (token: string) => Promise<AuthContext | null> },
): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[options.cookie.name];
    if (!token || !(request.url.startsWith('/api/') || request.url.startsWith('/fhir/'))) return;
    const auth = await options.authenticate(token);
    if (!auth) options.cookie.clear(reply);
    // Set only where the screen's language differs from the account's, which is the usual case's fallback.
    const screenLocale = auth && localeOfHeader(request.headers['accept-language']);
    request.auth =
      auth && screenLocale && screenLocale !== auth.user.locale ? { ...auth, screenLocale } : auth;
  });
}

/** The first language of an Accept-Language header, when it is one Missive speaks ("it-IT,it;q=0.9" → "it"). */
export function localeOfHeader(header: string | undefined): Locale | undefined {
  const first = header?.split(',', 1)[0]?.split(';', 1)[0]?.trim().split('-', 1)[0]?.toLowerCase();
  return first === 'fr' || first === 'it' || first === 'en' ? first : undefined;
}

export type AccessLevel =
  /** Signed in, second factor possibly pending: session info, sign-out and TOTP enrolment/verification. */
  | 'session'
  /** Signed in with the second factor satisfied: everything that touches patient data. */
  | 'user'
  | 'patient'
  | 'admin';

/** Route guard: deny by default, with the precise reason a signed-in user must act on. */
export function requireAuth(level: AccessLevel) {
  return async (request: FastifyRequest) => {
    const auth = request.auth;
    if (!auth) throw new AppError('MISSIVE_UNAUTHENTICATED');
    if (level === 'session') return;
    if (auth.mfa === 'enrolment_required') throw new AppError('MISSIVE_MFA_ENROLMENT_REQUIRED');
    if (auth.mfa === 'required') throw new AppError('MISSIVE_MFA_REQUIRED');
    if (level === 'patient' && auth.user.kind !== 'patient') throw new AppError('MISSIVE_NOT_FOUND');
    if (level === 'admin' && auth.user.kind !== 'admin') throw new AppError('MISSIVE_NOT_FOUND');
  };
}

/** The signed-in context of a guarded route. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('MISSIVE_UNAUTHENTICATED');
  return request.auth;
}
