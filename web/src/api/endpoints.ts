import type { z } from 'zod';
import type {
  ChangePasswordBody,
  LoginBody,
  Membership,
  MeResponse,
  PasswordResetConfirmBody,
  SessionResponse,
  SignupBody,
  TotpSetupResponse,
  UpdateMeBody,
} from '../../../src/contracts/accounts';
import type { AdminPractitioner, CreatePractitionerBody } from '../../../src/contracts/admin';
import type {
  AcceptProfileClaimBodySchema,
  AgendaResponseSchema,
  Appointment,
  BookAppointmentBody,
  CreateRelativeBodySchema,
  DirectoryEntry,
  ImportPreview,
  ImportResultSchema,
  MyPractitioner,
  PatientInvitationPreviewSchema,
  PracticePatientsResponseSchema,
  ProfileClaimPreviewSchema,
  Relative,
  Schedule,
  SlotsResponseSchema,
  UpdateScheduleBody,
} from '../../../src/contracts/care';
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
import { api, type UploadPhase, uploadText } from './client';

// Types only: `import type` keeps zod and the schemas out of the bundle.
export type SlotsResponse = z.infer<typeof SlotsResponseSchema>;
export type Slot = SlotsResponse['slots'][number];
export type AgendaResponse = z.infer<typeof AgendaResponseSchema>;
export type AgendaAppointment = AgendaResponse['appointments'][number];
export type PracticePatientsResponse = z.infer<typeof PracticePatientsResponseSchema>;
export type ImportResult = z.infer<typeof ImportResultSchema>;
export type RelativeBody = z.input<typeof CreateRelativeBodySchema>;
export type PatientInvitationPreview = z.infer<typeof PatientInvitationPreviewSchema>;
export type ProfileClaimPreview = z.infer<typeof ProfileClaimPreviewSchema>;
export type AcceptProfileClaimBody = z.infer<typeof AcceptProfileClaimBodySchema>;

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
  /** The signed-in user, or null when this device is signed out. */
  current: async (signal?: AbortSignal) =>
    (await api.get<SessionResponse>(`${V1}/session`, signal ? { signal } : {})).me,
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

// ---------- Care: booking, relatives, practitioners (patient side) ----------

export type DirectoryFilters = { q?: string; specialty?: string; city?: string };

/** "?a=1&b=2" from the defined, non-empty values (none: ""). */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const bookingApi = {
  directory: (filters: DirectoryFilters) =>
    api.get<{ practitioners: DirectoryEntry[] }>(`${V1}/directory/practitioners${query(filters)}`),
  slots: (practitionerId: string, practiceId: string, from: string, days: number) =>
    api.get<SlotsResponse>(
      `${V1}/directory/practitioners/${segment(practitionerId)}/slots${query({ practiceId, from, days })}`,
    ),
  book: (body: BookAppointmentBody) => api.post<Appointment>(`${V1}/appointments`, body),
  mine: () => api.get<{ appointments: Appointment[] }>(`${V1}/appointments`),
  cancel: (appointmentId: string, reason?: string) =>
    api.post<Appointment>(`${V1}/appointments/${segment(appointmentId)}/cancel`, reason ? { reason } : {}),
};

export const relativesApi = {
  list: () => api.get<{ profiles: Relative[] }>(`${V1}/relatives`),
  create: (body: RelativeBody) => api.post<Relative>(`${V1}/relatives`, body),
  update: (profileId: string, body: Partial<RelativeBody>) =>
    api.patch<Relative>(`${V1}/relatives/${segment(profileId)}`, body),
  remove: (profileId: string) => api.delete(`${V1}/relatives/${segment(profileId)}`),
  offerOwnAccount: (profileId: string, email: string) =>
    api.post<{ status: 'accepted' }>(`${V1}/relatives/${segment(profileId)}/own-account`, { email }),
  myPractitioners: () => api.get<{ practitioners: MyPractitioner[] }>(`${V1}/my-practitioners`),
};

export const patientLinksApi = {
  previewInvitation: (token: string) =>
    api.post<PatientInvitationPreview>(`${V1}/patient-invitations/preview`, { token }),
  acceptInvitation: (
    body: { token: string } & ({ patientProfileId: string } | { createRelative: 'child' | 'dependent' }),
  ) => api.post<{ patientProfileId: string }>(`${V1}/patient-invitations/accept`, body),
  previewClaim: (token: string) => api.post<ProfileClaimPreview>(`${V1}/profile-claims/preview`, { token }),
  acceptClaim: (body: AcceptProfileClaimBody) => api.post<void>(`${V1}/profile-claims/accept`, body),
};

// ---------- Care: agenda, opening hours, patients (practice side) ----------

const practicePath = (practiceId: string) => `${V1}/practices/${segment(practiceId)}`;
const schedulePath = (practiceId: string, practitionerId: string) =>
  `${practicePath(practiceId)}/practitioners/${segment(practitionerId)}/schedule`;

export const agendaApi = {
  agenda: (practiceId: string, from: string, days: 1 | 7, practitionerId?: string) =>
    api.get<AgendaResponse>(`${practicePath(practiceId)}/agenda${query({ from, days, practitionerId })}`),
  attendance: (practiceId: string, appointmentId: string, status: 'attended' | 'no_show') =>
    api.post<Appointment>(`${practicePath(practiceId)}/appointments/${segment(appointmentId)}/attendance`, {
      status,
    }),
  cancel: (practiceId: string, appointmentId: string, reason: string) =>
    api.post<Appointment>(`${practicePath(practiceId)}/appointments/${segment(appointmentId)}/cancel`, {
      reason,
    }),
  updateSettings: (practiceId: string, cancellationDeadlineHours: number) =>
    api.patch<Practice>(`${practicePath(practiceId)}/settings`, { cancellationDeadlineHours }),
  schedule: (practiceId: string, practitionerId: string) =>
    api.get<Schedule>(schedulePath(practiceId, practitionerId)),
  saveSchedule: (practiceId: string, practitionerId: string, body: UpdateScheduleBody) =>
    api.put<Schedule>(schedulePath(practiceId, practitionerId), body),
  addClosure: (
    practiceId: string,
    practitionerId: string,
    body: { startsOn: string; endsOn: string; label: string },
  ) => api.post<Schedule>(`${schedulePath(practiceId, practitionerId)}/exceptions`, body),
  removeClosure: (practiceId: string, practitionerId: string, exceptionId: string) =>
    api.delete<Schedule>(`${schedulePath(practiceId, practitionerId)}/exceptions/${segment(exceptionId)}`),
};

export type PatientsQuery = { q?: string; tag?: string; offset: number; limit: number };

export const practicePatientsApi = {
  list: (practiceId: string, filters: PatientsQuery) =>
    api.get<PracticePatientsResponse>(`${practicePath(practiceId)}/patients${query(filters)}`),
  setTags: (practiceId: string, patientId: string, tags: string[]) =>
    api.put<{ tags: string[] }>(`${practicePath(practiceId)}/patients/${segment(patientId)}/tags`, { tags }),
  previewImport: (
    practiceId: string,
    practitionerId: string,
    csv: string,
    onProgress: (phase: UploadPhase) => void,
  ) =>
    uploadText<ImportPreview>(
      `${practicePath(practiceId)}/imports/preview${query({ practitionerId })}`,
      csv,
      CSV,
      onProgress,
    ),
  commitImport: (
    practiceId: string,
    practitionerId: string,
    csv: string,
    onProgress: (phase: UploadPhase) => void,
  ) =>
    uploadText<ImportResult>(
      `${practicePath(practiceId)}/imports${query({ practitionerId })}`,
      csv,
      CSV,
      onProgress,
    ),
};

const CSV = 'text/csv; charset=utf-8';
