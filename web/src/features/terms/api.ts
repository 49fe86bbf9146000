import type { Locale } from '../../../../src/contracts/common';
import type {
  AcceptableTermsKind,
  TermsDocument,
  TermsKind,
  TermsStatus,
} from '../../../../src/contracts/terms';
import { api } from '../../api/client';

export type { AcceptableTermsKind, TermsDocument, TermsKind, TermsStatus };

export const termsApi = {
  current: (kind: TermsKind, locale: Locale) =>
    api.get<TermsDocument>(`/api/v1/terms/${kind}?locale=${locale}`, { quietUnauthenticated: true }),
  status: () => api.get<TermsStatus>('/api/v1/me/terms'),
  accept: (kind: AcceptableTermsKind, version: number) =>
    api.post<void>('/api/v1/me/terms/accept', { kind, version }),
};
