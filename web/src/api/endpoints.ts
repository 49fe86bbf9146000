import type {
  ChangePasswordBody,
  LoginBody,
  Membership,
  MeResponse,
  PasswordResetConfirmBody,
  SignupBody,
  TotpSetupResponse,
  UpdateMeBody,
} from '../../../src/contracts/accounts';
import type { AdminPractitioner, CreatePractitionerBody } from '../../../src/contracts/admin';
import type {
  AcceptInvitationBody,
  CreatePracticeBody,
  Invitation,
  InvitationPreview,
  InviteMemberBody,
  Member,
  Practice,
  PracticeMembersResponse,
  UpdateMemberBody,
} from '../../../src/contracts/practices';
import { api } from './client';

const V1 = '/api/v1';
const segment = encodeURIComponent;

export const authApi = {
  signup: (body: SignupBody) => api.post<{ status: 'accepted' }>(`${V1}/auth/signup`, body),
  verifyEmail: (token: string) => api.post<void>(`${V1}/auth/verify-email`, { token }),
  resendVerification: (email: string) =>
    api.post<{ status: 'accepted' }>(`${V1}/auth/resend-verification`, { email }),
  login: (body: LoginBody) => api.post<MeResponse>(`${V1}/auth/login`, body, { quietUnauthenticated: true }),
  logout: () => api.post<void>(`${V1}/auth/logout`, undefined, { quietUnauthenticated: true }),
  requestPasswordReset: (email: string) =>
    api.post<{ status: 'accepted' }>(`${V1}/auth/password-reset/request`, { email }),
  confirmPasswordReset: (body: PasswordResetConfirmBody) =>
    api.post<void>(`${V1}/auth/password-reset/confirm`, body),
  setupTotp: () => api.post<TotpSetupResponse>(`${V1}/auth/totp/setup`),
  enableTotp: (code: string) => api.post<MeResponse>(`${V1}/auth/totp/enable`, { code }),
  verifyTotp: (code: string) => api.post<MeResponse>(`${V1}/auth/totp/verify`, { code }),
};

export const meApi = {
  get: (signal?: AbortSignal) =>
    api.get<MeResponse>(`${V1}/me`, { quietUnauthenticated: true, ...(signal ? { signal } : {}) }),
  update: (body: UpdateMeBody) => api.patch<MeResponse>(`${V1}/me`, body),
  changePassword: (body: ChangePasswordBody) => api.post<void>(`${V1}/me/password`, body),
};

export const adminApi = {
  listPractices: () => api.get<{ practices: Practice[] }>(`${V1}/admin/practices`),
  createPractice: (body: CreatePracticeBody) => api.post<Practice>(`${V1}/admin/practices`, body),
  listPractitioners: () => api.get<{ practitioners: AdminPractitioner[] }>(`${V1}/admin/practitioners`),
  createPractitioner: (body: CreatePractitionerBody) =>
    api.post<AdminPractitioner>(`${V1}/admin/practitioners`, body),
  verifyPractitioner: (userId: string) =>
    api.post<AdminPractitioner>(`${V1}/admin/practitioners/${segment(userId)}/verify`),
};

export const practicesApi = {
  members: (practiceId: string) =>
    api.get<PracticeMembersResponse>(`${V1}/practices/${segment(practiceId)}/members`),
  invite: (practiceId: string, body: InviteMemberBody) =>
    api.post<Invitation>(`${V1}/practices/${segment(practiceId)}/invitations`, body),
  revokeInvitation: (practiceId: string, invitationId: string) =>
    api.delete(`${V1}/practices/${segment(practiceId)}/invitations/${segment(invitationId)}`),
  updateMember: (practiceId: string, userId: string, body: UpdateMemberBody) =>
    api.patch<Member>(`${V1}/practices/${segment(practiceId)}/members/${segment(userId)}`, body),
  revokeMember: (practiceId: string, userId: string) =>
    api.delete(`${V1}/practices/${segment(practiceId)}/members/${segment(userId)}`),
};

export const invitationsApi = {
  preview: (token: string) => api.post<InvitationPreview>(`${V1}/invitations/preview`, { token }),
  accept: (body: AcceptInvitationBody) =>
    api.post<{ membership: Membership }>(`${V1}/invitations/accept`, body),
};
