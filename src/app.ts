import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config';
import { registerAccountsRoutes } from './features/accounts/accounts.routes';
import { registerAppointmentsRoutes } from './features/appointments/appointments.routes';
import { registerAuditRoutes } from './features/audit/audit.routes';
import { registerCampaignsRoutes } from './features/campaigns/campaigns.routes';
import { registerDataRightsRoutes } from './features/data-rights/data-rights.routes';
import { registerFhirRoutes } from './features/fhir/fhir.routes';
import { registerMessagingRoutes } from './features/messaging/messaging.routes';
import { registerNotificationsRoutes } from './features/notifications/notifications.routes';
import { registerPatientsRoutes } from './features/patients/patients.routes';
import { registerPracticesRoutes } from './features/practices/practices.routes';
import { registerAdminRoutes } from './features/practitioners/admin.routes';
import { registerRealtimeRoutes } from './features/realtime/realtime.routes';
import { registerSafetyRoutes } from './features/safety/safety.routes';
import { registerTermsRoutes } from './features/terms/terms.routes';
import type { EventBus } from './platform/bus/bus';
import type { Clock } from './platform/clock/clock';
import type { KeyRotation } from './platform/crypto/key-rotation';
import type { Keyring } from './platform/crypto/keyring';
import type { Store } from './platform/db/store';
import { installAuth, sessionCookie } from './platform/http/auth';
import { installErrorHandler, sendNotFound } from './platform/http/error-handler';
import { installInputGuard } from './platform/http/input-guard';
import {
  createMemoryCounter,
  createRedisCounter,
  installRateLimits,
  type RateCounter,
  rateRules,
} from './platform/http/rate-limit';
import { installSameOriginCheck } from './platform/http/same-origin';
import { uuidv7 } from './platform/ids';
import type { Mailer } from './platform/mail/mailer';
import type { Outbox } from './platform/outbox/outbox';
import { createServices, type Services } from './services';

export interface AppDeps {
  config: Config;
  store: Store;
  bus: EventBus;
  keys: Keyring;
  keyRotation: KeyRotation;
  outbox: Outbox;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  /** The feature services, when the caller already built them (main.ts shares one graph with its jobs). */
  services?: Services;
  /** Called when a campaign is created, so that the sending job looks at once. */
  onCampaignCreated?: () => void;
  /** Request counters for rate limits; by default in Redis when configured, else in memory. */
  rateCounter?: RateCounter;
  /** WebSocket heartbeat period (tests shorten it). */
  heartbeatMs?: number;
  /** Directory of the built web app; omitted in API-only tests. */
  webRoot?: string | undefined;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  hasBody: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app registered: tests enumerate them so that no route escapes validation or access checks. */
    registeredRoutes: RegisteredRoute[];
  }
}

/** The version the FHIR CapabilityStatement reports. */
const APP_VERSION = '0.1.0';

export const DEFAULT_WEB_ROOT = resolve(import.meta.dirname, '../web/dist');

/** Builds the whole HTTP application from its dependencies. Does not listen: main.ts or tests do. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, store, keys, outbox, clock, logger } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    return503OnClosing: true,
  });
  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        registeredRoutes.push({ method, url: route.url, hasBody: Boolean(route.schema?.body) });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  // OpenAPI 3.1 generated from the same zod schemas that validate requests and responses.
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Missive API',
        version: '1',
        description:
          'Secure messaging between patients and their own practitioners. Errors are `{ error: { code, message, requestId, issues? } }`.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'missive_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  installInputGuard(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/') || request.url.startsWith('/fhir/'))
      reply.header('cache-control', 'no-store');
  });

  // The security headers are the same on every response: the middleware is built once (its Fastify plugin
  // builds it again for each request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // HSTS only makes sense when the public URL is served over TLS.
    hsts: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
  await app.register(fastifyCookie);

  const cookie = sessionCookie(config);
  const services =
    deps.services ??
    createServices({ config, store, keys, outbox, mailer: deps.mailer, bus: deps.bus, clock, logger });
  const { accounts, sessions, practices, practitioners, patients, care, schedules, appointments } = services;
  // The VAPID keys are generated on the very first start (and shared by every instance through the store).
  await services.push.ready();

  installSameOriginCheck(app, config.publicOrigin);
  installAuth(app, { cookie, authenticate: sessions.authenticate });
  // Shared across instances through Redis when configured, so a script cannot multiply its budget.
  const rateCounter =
    deps.rateCounter ??
    (config.redisUrl ? createRedisCounter(config.redisUrl, logger) : createMemoryCounter());
  if (!deps.rateCounter) app.addHook('onClose', () => rateCounter.close());
  installRateLimits(app, { counter: rateCounter, clock, rules: rateRules(config) });

  let draining = false;
  app.addHook('onClose', async () => {
    draining = true;
  });
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (draining) return reply.status(503).send({ status: 'draining' });
    try {
      await store.ping();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'store_unavailable' });
    }
  });

  await registerAccountsRoutes(app, { accounts, sessions, practices, practitioners, cookie });
  await registerPracticesRoutes(app, { practices });
  await registerAdminRoutes(app, { store, practices, practitioners });
  await registerAuditRoutes(app, { auditExport: services.auditExport, keys, keyRotation: deps.keyRotation });
  await registerAppointmentsRoutes(app, { appointments, schedules, practices });
  await registerPatientsRoutes(app, { patients, care });
  await registerMessagingRoutes(app, {
    terms: services.terms,
    settings: services.messagingSettings,
    conversations: services.conversations,
    inbox: services.inbox,
    triage: services.triage,
    attachments: services.attachments,
  });
  await registerSafetyRoutes(app);
  await registerTermsRoutes(app, { terms: services.terms });
  await registerDataRightsRoutes(app, { exports: services.exports, closure: services.closure, cookie });
  await registerNotificationsRoutes(app, { notifications: services.notifications, push: services.push });
  await registerCampaignsRoutes(app, {
    campaigns: services.campaigns,
    onCreated: () => deps.onCampaignCreated?.(),
  });

  await registerFhirRoutes(app, {
    fhir: services.fhir,
    baseUrl: `${config.publicOrigin}/fhir/R4`,
    version: APP_VERSION,
    startedAt: clock.now(),
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: false,
    uiConfig: { docExpansion: 'list', deepLinking: false },
  });
  await registerRealtimeRoutes(app, {
    bus: deps.bus,
    sessions,
    practices,
    access: services.access,
    sync: services.sync,
    presence: services.presence,
    publicOrigin: config.publicOrigin,
    cookieName: cookie.name,
    heartbeatMs: deps.heartbeatMs,
  });

  const webRoot = deps.webRoot;
  const serveWeb = Boolean(webRoot && existsSync(join(webRoot, 'index.html')));
  if (serveWeb) {
    const assets = join(webRoot!, 'assets') + sep;
    const page = join(webRoot!, 'index.html');
    await app.register(fastifyStatic, {
      root: webRoot!,
      wildcard: false,
      index: false,
      // Each file's caching is decided below, from its path (the compressed copy's, when one is sent).
      cacheControl: false,
      // The build writes Brotli and gzip copies of its text files (web/compress-assets.ts); a cache between
      // the server and the browser must keep each encoding apart.
      preCompressed: true,
      setHeaders: (res, path) => {
        res.setHeader('vary', 'Accept-Encoding');
        res.setHeader(
          'cache-control',
          // The build names every file under assets/ after its content: a file never changes under its
          // name, so the browser keeps it without asking again (a new release names new files in a new page).
          path.startsWith(assets)
            ? 'public, max-age=31536000, immutable'
            : // The page names the assets of one release: for any route or by its own name, it is checked
              // again on every load, so that a new release is seen at once.
              path.startsWith(page)
              ? 'no-cache'
              : 'public, max-age=3600',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // The single-page app handles its own routes: any other GET that wants HTML gets index.html.
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if (
      serveWeb &&
      request.method === 'GET' &&
      wantsHtml &&
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/fhir/')
    ) {
      return reply.sendFile('index.html');
    }
    return sendNotFound(request, reply);
  });

  return app;
}
