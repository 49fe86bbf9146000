import type { CloseAccountResponse, DataExport } from '../../../../src/contracts/data-rights';
import { api } from '../../api/client';

export type { CloseAccountResponse, DataExport };

export const dataRightsApi = {
  exports: () => api.get<{ exports: DataExport[] }>('/api/v1/me/exports'),
  requestExport: (password: string) => api.post<DataExport>('/api/v1/me/exports', { password }),
  exportStatus: (id: string) => api.get<DataExport>(`/api/v1/me/exports/${id}`),
  downloadPath: (id: string) => `/api/v1/me/exports/${id}/download`,
  closeAccount: (password: string) =>
    api.post<CloseAccountResponse>('/api/v1/me/close', { password, confirm: true }),
};
