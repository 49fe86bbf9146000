import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenBodySchema } from '../../contracts/accounts';
import {
  AcceptPatientInvitationBodySchema,
  AcceptProfileClaimBodySchema,
  CreateRelativeBodySchema,
  ImportPreviewSchema,
  ImportQuerySchema,
  ImportResultSchema,
  MyPractitionersResponseSchema,
  OwnAccountBodySchema,
  PatientInvitationPreviewSchema,
  PracticePatientParamsSchema,
  PracticePatientsQuerySchema,
  PracticePatientsResponseSchema,
  ProfileClaimPreviewSchema,
  ProfileParamsSchema,
  RelativeSchema,
  RelativesResponseSchema,
  UpdateRelativeBodySchema,
  UpdateTagsBodySchema,
} from '../../contracts/care';
import { AcceptedResponseSchema } from '../../contracts/common';
import { PracticeParamsSchema } from '../../contracts/practices';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { CareService } from './care.service';
import type { PatientsService } from './patients.service';

const errors = errorResponses;
/** A 50,000-row consultation list is about 4 MB of CSV. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export async function registerPatientsRoutes(
  root: FastifyInstance,
  deps: { patients: PatientsService; care: CareService },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { patients, care } = deps;
  const user = { preHandler: requireAuth('user') };
  const patient = { preHandler: requireAuth('patient') };

  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );

  // ----- Relatives (patient side) -----
  app.get(
    '/api/v1/relatives',
    {
      ...patient,
      schema: {
        summary: 'Your profile and the relatives you manage',
        tags: ['relatives'],
        response: { 200: RelativesResponseSchema, ...errors },
      },
    },
    async (request) => ({
      profiles: await patients.list(authOf(request)),
    }),
  );
  app.post(
    '/api/v1/relatives',
    {
      ...patient,
      schema: {
        summary: 'Add a relative (a child, a dependent adult)',
        tags: ['relatives'],
        body: CreateRelativeBodySchema,
        response: { 201: RelativeSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await patients.createRelative(authOf(request), request.body, actorOf(request))),
  );
  app.patch(
    '/api/v1/relatives/:profileId',
    {
      ...patient,
      schema: {
        summary: "Correct a relative's details",
        tags: ['relatives'],
        params: ProfileParamsSchema,
        body: UpdateRelativeBodySchema,
        response: { 200: RelativeSchema, ...errors },
      },
    },
    async (request) =>
      patients.updateRelative(authOf(request), request.params.profileId, request.body, actorOf(request)),
  );
  app.delete(
    '/api/v1/relatives/:profileId',
    {
      ...patient,
      schema: {
        summary: 'Remove a relative without appointments or records',
        tags: ['relatives'],
        params: ProfileParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await patients.removeRelative(authOf(request), request.params.profileId, actorOf(request));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/relatives/:profileId/own-account',
    {
      ...patient,
      schema: {
        summary: 'Offer a teenager their own account (confidential mode)',
        tags: ['relatives'],
        params: ProfileParamsSchema,
        body: OwnAccountBodySchema,
        response: { 202: AcceptedResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await patients.offerOwnAccount(
        authOf(request),
        request.params.profileId,
        request.body.email,
        actorOf(request),
      );
      return reply.status(202).send({ status: 'accepted' });
    },
  );
  app.post(
    '/api/v1/profile-claims/preview',
    {
      schema: {
        summary: 'What an own-account link offers',
        tags: ['relatives'],
        body: TokenBodySchema,
        response: { 200: ProfileClaimPreviewSchema, ...errors },
      },
    },
    async (request) => patients.previewClaim(request.body.token),
  );
  app.post(
    '/api/v1/profile-claims/accept',
    {
      schema: {
        summary: 'Create your own account from the link a parent sent',
        tags: ['relatives'],
        body: AcceptProfileClaimBodySchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await patients.acceptClaim(request.body, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  // ----- My practitioners and invitations from a practice (patient side) -----
  app.get(
    '/api/v1/my-practitioners',
    {
      ...patient,
      schema: {
        summary: 'Practitioners you or your relatives have consulted',
        tags: ['relatives'],
        response: { 200: MyPractitionersResponseSchema, ...errors },
      },
    },
    async (request) => ({
      practitioners: await care.myPractitioners(authOf(request)),
    }),
  );
  app.post(
    '/api/v1/patient-invitations/preview',
    {
      schema: {
        summary: "What a practice's invitation is about",
        tags: ['patients'],
        body: TokenBodySchema,
        response: { 200: PatientInvitationPreviewSchema, ...errors },
      },
    },
    async (request) => care.previewInvitation(request.body.token),
  );
  app.post(
    '/api/v1/patient-invitations/accept',
    {
      ...patient,
      schema: {
        summary: "Link your account to a practice's record",
        tags: ['patients'],
        body: AcceptPatientInvitationBodySchema,
        response: { 200: z.object({ patientProfileId: z.uuid() }), ...errors },
      },
    },
    async (request) => care.acceptInvitation(authOf(request), request.body, actorOf(request)),
  );

  // ----- Practice patients, tags and import (practice side) -----
  app.get(
    '/api/v1/practices/:practiceId/patients',
    {
      ...user,
      schema: {
        summary: "The practice's patients",
        tags: ['patients'],
        params: PracticeParamsSchema,
        querystring: PracticePatientsQuerySchema,
        response: { 200: PracticePatientsResponseSchema, ...errors },
      },
    },
    async (request) =>
      care.listPatients(authOf(request), request.params.practiceId, request.query, actorOf(request)),
  );
  app.put(
    '/api/v1/practices/:practiceId/patients/:patientId/tags',
    {
      ...user,
      schema: {
        summary: "Set a patient's tags",
        tags: ['patients'],
        params: PracticePatientParamsSchema,
        body: UpdateTagsBodySchema,
        response: { 200: z.object({ tags: z.array(z.string()) }), ...errors },
      },
    },
    async (request) => ({
      tags: await care.updateTags(
        authOf(request),
        request.params.practiceId,
        request.params.patientId,
        request.body.tags,
        actorOf(request),
      ),
    }),
  );
  const csvBody = z.string().min(1).max(IMPORT_BODY_LIMIT);
  app.post(
    '/api/v1/practices/:practiceId/imports/preview',
    {
      ...user,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        summary: 'Check a CSV of past consultations without importing it',
        tags: ['patients'],
        params: PracticeParamsSchema,
        querystring: ImportQuerySchema,
        body: csvBody,
        response: { 200: ImportPreviewSchema, ...errors },
      },
    },
    async (request) =>
      care.previewImport(
        authOf(request),
        request.params.practiceId,
        request.query.practitionerId,
        request.body,
      ),
  );
  app.post(
    '/api/v1/practices/:practiceId/imports',
    {
      ...user,
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        summary: 'Import past consultations (all rows or none)',
        tags: ['patients'],
        params: PracticeParamsSchema,
        querystring: ImportQuerySchema,
        body: csvBody,
        response: { 200: ImportResultSchema, ...errors },
      },
    },
    async (request) =>
      care.commitImport(
        authOf(request),
        request.params.practiceId,
        request.query.practitionerId,
        request.body,
        actorOf(request),
      ),
  );
}
