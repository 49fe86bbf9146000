import { z } from 'zod';
import { LocaleSchema } from './common';

/** The texts a person may be asked to accept (patient messaging terms, practitioner terms), and the privacy notice. */
export const TermsKindSchema = z.enum(['patient', 'practitioner', 'privacy']);
export type TermsKind = z.infer<typeof TermsKindSchema>;

export const AcceptableTermsKindSchema = z.enum(['patient', 'practitioner']);
export type AcceptableTermsKind = z.infer<typeof AcceptableTermsKindSchema>;

export const TermsParamsSchema = z.object({ kind: TermsKindSchema });
export const TermsQuerySchema = z.object({ locale: LocaleSchema.default('fr') });

export const TermsDocumentSchema = z.object({
  kind: TermsKindSchema,
  version: z.number().int().min(1),
  publishedAt: z.number().int(),
  locale: LocaleSchema,
  /** Markdown subset: `#`/`##` headings, paragraphs and `- ` lists. */
  body: z.string(),
});
export type TermsDocument = z.infer<typeof TermsDocumentSchema>;

export const TermsStatusItemSchema = z.object({
  kind: AcceptableTermsKindSchema,
  currentVersion: z.number().int(),
  acceptedVersion: z.number().int().nullable(),
  acceptedAt: z.number().int().nullable(),
  /** True when the person must accept the current version before going on. */
  mustAccept: z.boolean(),
});
export const TermsStatusSchema = z.object({ terms: z.array(TermsStatusItemSchema) });
export type TermsStatus = z.infer<typeof TermsStatusSchema>;

export const AcceptTermsBodySchema = z.object({
  kind: AcceptableTermsKindSchema,
  /** The version the person read: accepting an older one than the current is refused. */
  version: z.number().int().min(1),
});
export type AcceptTermsBody = z.infer<typeof AcceptTermsBodySchema>;

export const PublishTermsBodySchema = z.object({
  kind: TermsKindSchema,
  version: z.number().int().min(2),
});
export type PublishTermsBody = z.infer<typeof PublishTermsBodySchema>;

export const TermsVersionListSchema = z.object({
  versions: z.array(
    z.object({
      kind: TermsKindSchema,
      version: z.number().int(),
      publishedAt: z.number().int(),
      current: z.boolean(),
    }),
  ),
  /** Versions whose texts exist in every language but are not published yet. */
  publishable: z.array(z.object({ kind: TermsKindSchema, version: z.number().int() })),
});
export type TermsVersionList = z.infer<typeof TermsVersionListSchema>;
