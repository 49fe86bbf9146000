import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { PracticeParamsSchema } from '../../contracts/practices';
import { AuditExportQuerySchema, KeyRotationStatusSchema } from '../../contracts/security';
import type { KeyRotation } from '../../platform/crypto/key-rotation';
import type { Keyring } from '../../platform/crypto/keyring';
import { actorOf, authOf, requireAuth } from '../../platform/http/auth';
import { errorResponses } from '../../platform/http/error-responses';
import type { AuditExportService } from './audit-export.service';

const errors = errorResponses;

export async function registerAuditRoutes(
  root: FastifyInstance,
  deps: { auditExport: AuditExportService; keys: Keyring; keyRotation: KeyRotation },
): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { auditExport, keys, keyRotation } = deps;

  app.get(
    '/api/v1/practices/:practiceId/audit.csv',
    {
      preHandler: requireAuth('user'),
      schema: {
        summary: "Export the practice's audit trail over a range of days (CSV, practice administrators)",
        tags: ['audit'],
        params: PracticeParamsSchema,
        querystring: AuditExportQuerySchema,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const { filename, lines } = await auditExport.exportPracticeCsv(
        authOf(request),
        request.params.practiceId,
        request.query,
        actorOf(request),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(lines) as never);
    },
  );

  app.get(
    '/api/v1/admin/key-rotation',
    {
      preHandler: requireAuth('admin'),
      schema: {
        summary: 'Progress of the latest key rotation (missive rotate-keys)',
        tags: ['admin'],
        response: { 200: KeyRotationStatusSchema, ...errors },
      },
    },
    async () => ({
      rotation: await keyRotation.progress(),
      activeDataKeyId: keys.activeKeyId,
      masterKeyId: keys.masterKeyId,
    }),
  );
}
