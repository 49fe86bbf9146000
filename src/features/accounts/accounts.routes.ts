import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ChangePasswordBodySchema,
  EmailBodySchema,
  LoginBodySchema,
  type MeResponse,
  MeResponseSchema,
  PasswordResetConfirmBodySchema,
  SessionResponseSchema,
  SignupBodySchema,
  TokenBodySchema,
  TotpCodeBodySchema,
  TotpSetupResponseSchema,
  UpdateMeBodySchema,
} from '../../contracts/accounts';
import { AcceptedResponseSchema } from '../../contracts/common';
import { actorOf, authOf, requireAuth, type SessionCookie } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { PracticesService } from '../practices/practices.service';
import type { PractitionersService } from '../practitioners/practitioners.service';
import type { AccountsService } from './accounts.service';
import type { AuthContext, SessionsService } from './sessions.service';

export interface AccountsRoutesDeps {
  accounts: AccountsService;
  sessions: SessionsService;
  practices: PracticesService;
  practitioners: PractitionersService;
  cookie: SessionCookie;
}

const errors = errorResponses;
const accepted = { 202: AcceptedResponseSchema, ...errors };
const noContent = { 204: z.null(), ...errors };

export async function registerAccountsRoutes(root: FastifyInstance, deps: AccountsRoutesDeps): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { accounts, sessions, practices, practitioners, cookie } = deps;

  async function me(auth: AuthContext): Promise<MeResponse> {
    const [user, memberships, practitioner] = await Promise.all([
      accounts.getUser(auth.user.id),
      // Memberships tell which practices' data the user reaches: only after the second factor.
      auth.mfa === 'verified' ? practices.membershipsOf(auth.user.id) : [],
      auth.user.kind === 'staff' ? practitioners.profileOf(auth.user.id) : null,
    ]);
    return { user, mfa: auth.mfa, memberships, practitioner };
  }

  app.post(
    '/api/v1/auth/signup',
    {
      schema: {
        summary: 'Create a patient account',
        tags: ['auth'],
        body: SignupBodySchema,
        response: accepted,
      },
    },
    async (request, reply) => {
      await accounts.signup(request.body, actorOf(request));
      return reply.status(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        summary: 'Confirm an e-mail address',
        tags: ['auth'],
        body: TokenBodySchema,
        response: noContent,
      },
    },
    async (request, reply) => {
      await accounts.verifyEmail(request.body.token, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/resend-verification',
    {
      schema: {
        summary: 'Send the confirmation e-mail again',
        tags: ['auth'],
        body: EmailBodySchema,
        response: accepted,
      },
    },
    async (request, reply) => {
      await accounts.resendVerification(request.body.email);
      return reply.status(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        summary: 'Sign in',
        tags: ['auth'],
        body: LoginBodySchema,
        response: { 200: MeResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, context } = await sessions.login(
        request.body.email,
        request.body.password,
        actorOf(request),
        request.headers['user-agent'] ?? null,
      );
      cookie.set(reply, token);
      return me(context);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: { summary: 'Sign out', tags: ['auth'], response: noContent },
      preHandler: requireAuth('session'),
    },
    async (request, reply) => {
      await sessions.logout(authOf(request).sessionId, actorOf(request));
      cookie.clear(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/password-reset/request',
    {
      schema: {
        summary: 'Ask for a password reset link',
        tags: ['auth'],
        body: EmailBodySchema,
        response: accepted,
      },
    },
    async (request, reply) => {
      await accounts.requestPasswordReset(request.body.email);
      return reply.status(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        summary: 'Choose a new password from a reset or activation link',
        tags: ['auth'],
        body: PasswordResetConfirmBodySchema,
        response: noContent,
      },
    },
    async (request, reply) => {
      await accounts.confirmPasswordReset(request.body.token, request.body.password, actorOf(request));
      cookie.clear(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/totp/setup',
    {
      schema: {
        summary: 'Start two-step verification enrolment',
        tags: ['auth'],
        response: { 200: TotpSetupResponseSchema, ...errors },
      },
      preHandler: requireAuth('session'),
    },
    async (request) => {
      return sessions.setupTotp(authOf(request));
    },
  );

  app.post(
    '/api/v1/auth/totp/enable',
    {
      schema: {
        summary: 'Confirm two-step verification enrolment',
        tags: ['auth'],
        body: TotpCodeBodySchema,
        response: { 200: MeResponseSchema, ...errors },
      },
      preHandler: requireAuth('session'),
    },
    async (request) => {
      const context = await sessions.enableTotp(authOf(request), request.body.code, actorOf(request));
      return me(context);
    },
  );

  app.post(
    '/api/v1/auth/totp/verify',
    {
      schema: {
        summary: 'Enter the two-step verification code',
        tags: ['auth'],
        body: TotpCodeBodySchema,
        response: { 200: MeResponseSchema, ...errors },
      },
      preHandler: requireAuth('session'),
    },
    async (request) => {
      const context = await sessions.verifyTotp(authOf(request), request.body.code, actorOf(request));
      return me(context);
    },
  );

  app.get(
    '/api/v1/session',
    {
      schema: {
        summary: 'Whether this device is signed in, and as whom',
        description:
          'The signed-in user as `GET /api/v1/me` gives it, or `null` when signed out: an app opening asks this rather than meeting a 401.',
        tags: ['account'],
        response: { 200: SessionResponseSchema, ...errors },
      },
    },
    async (request) => ({ me: request.auth ? await me(request.auth) : null }),
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        summary: 'The signed-in user',
        tags: ['account'],
        response: { 200: MeResponseSchema, ...errors },
      },
      preHandler: requireAuth('session'),
    },
    async (request) => me(authOf(request)),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        summary: 'Update language or name',
        tags: ['account'],
        body: UpdateMeBodySchema,
        response: { 200: MeResponseSchema, ...errors },
      },
      preHandler: requireAuth('user'),
    },
    async (request) => {
      const auth = authOf(request);
      await accounts.updateProfile(auth.user.id, request.body);
      return me(auth);
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        summary: 'Change password',
        tags: ['account'],
        body: ChangePasswordBodySchema,
        response: noContent,
      },
      preHandler: requireAuth('user'),
    },
    async (request, reply) => {
      const auth = authOf(request);
      await accounts.changePassword(
        auth.user.id,
        auth.sessionId,
        request.body.currentPassword,
        request.body.newPassword,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );
}
