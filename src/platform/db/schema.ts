/**
 * Table types of the store. Portable across SQLite and PostgreSQL: ids are UUIDv7 strings made by the
 * application, times are integer epoch milliseconds, booleans are 0/1 integers, JSON is text and binary
 * data is a blob/bytea column.
 */
export interface Database {
  users: UserRow;
  practitioners: PractitionerRow;
  practices: PracticeRow;
  practice_members: PracticeMemberRow;
  practice_invitations: PracticeInvitationRow;
  patient_profiles: PatientProfileRow;
  sessions: SessionRow;
  email_tokens: EmailTokenRow;
  login_throttle: LoginThrottleRow;
  data_keys: DataKeyRow;
  audit_log: AuditLogRow;
  audit_head: AuditHeadRow;
  practitioner_schedules: PractitionerScheduleRow;
  schedule_exceptions: ScheduleExceptionRow;
  appointments: AppointmentRow;
  practice_patients: PracticePatientRow;
  care_relationships: CareRelationshipRow;
  patient_invitations: PatientInvitationRow;
  profile_claims: ProfileClaimRow;
  outbox: OutboxRow;
  messaging_settings: MessagingSettingsRow;
  message_templates: MessageTemplateRow;
  conversations: ConversationRow;
  messages: MessageRow;
  attachments: AttachmentRow;
  read_markers: ReadMarkerRow;
  renewals: RenewalRow;
  notification_preferences: NotificationPreferencesRow;
  notification_log: NotificationLogRow;
  digest_log: DigestLogRow;
  web_push_keys: WebPushKeysRow;
  push_subscriptions: PushSubscriptionRow;
  push_log: PushLogRow;
  live_connections: LiveConnectionRow;
  campaigns: CampaignRow;
  campaign_recipients: CampaignRecipientRow;
  campaign_optouts: CampaignOptoutRow;
  key_rotations: KeyRotationRow;
  audit_anchor: AuditAnchorRow;
  terms_versions: TermsVersionRow;
  terms_acceptances: TermsAcceptanceRow;
  data_exports: DataExportRow;
  campaign_attachments: CampaignAttachmentRow;
}

export interface UserRow {
  id: string;
  email: string;
  password_hash: string | null;
  first_name: string;
  last_name: string;
  kind: 'patient' | 'staff' | 'admin';
  locale: 'fr' | 'it' | 'en';
  country: 'FR' | 'IT';
  email_verified_at: number | null;
  totp_secret: Uint8Array | null;
  totp_enrolled_at: number | null;
  totp_last_step: number | null;
  failed_logins: number;
  locked_until: number | null;
  is_demo: number;
  created_at: number;
  updated_at: number;
  /** Set when the account was closed: the row remains as a nameless tombstone while the practice retains records. */
  closed_at: number | null;
}

export interface PractitionerRow {
  user_id: string;
  rpps: string;
  specialty: string;
  verified_at: number | null;
  verified_by: string | null;
  created_at: number;
}

export interface PracticeRow {
  id: string;
  name: string;
  address: string;
  postcode: string;
  city: string;
  country: 'FR' | 'IT';
  time_zone: 'Europe/Paris' | 'Europe/Rome';
  phone: string | null;
  is_demo: number;
  created_at: number;
  /** Patients may cancel an appointment until this many hours before it. */
  cancellation_deadline_hours: number;
}

export interface PracticeMemberRow {
  practice_id: string;
  user_id: string;
  role: 'practitioner' | 'assistant';
  is_admin: number;
  /** JSON array of rights. */
  rights: string;
  created_at: number;
  updated_at: number;
}

export interface PracticeInvitationRow {
  id: string;
  practice_id: string;
  email: string;
  role: 'practitioner' | 'assistant';
  is_admin: number;
  rights: string;
  token_hash: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  revoked_at: number | null;
}

/**
 * A person who receives care. The account holder's own profile has user_id = owner_user_id; a relative
 * managed by the holder has owner_user_id set and, once they hold their own account (a teenager), user_id too.
 */
export interface PatientProfileRow {
  id: string;
  owner_user_id: string;
  user_id: string | null;
  relationship: 'self' | 'child' | 'dependent';
  first_name: string;
  last_name: string;
  birth_date: string;
  sex: 'female' | 'male' | 'other' | null;
  /** Set when a relative (a teenager) took over their own profile with their own account: confidential mode. */
  own_account_since: number | null;
  created_at: number;
  updated_at: number;
  /** Set when the account holding this profile was closed; the practice keeps its records until retain_until. */
  closed_at: number | null;
  retain_until: number | null;
}

export interface SessionRow {
  /** SHA-256 of the cookie token, hex. The token itself is never stored. */
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  idle_timeout_ms: number;
  mfa_verified_at: number | null;
  user_agent: string | null;
}

export interface EmailTokenRow {
  token_hash: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password' | 'activate';
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface LoginThrottleRow {
  /** Hash of the throttled key (lower-cased e-mail or IP), so that the table holds no address in clear. */
  key: string;
  failures: number;
  window_started_at: number;
  locked_until: number | null;
}

export interface DataKeyRow {
  id: string;
  /** Data key encrypted by the master key (AES-256-GCM): nonce | tag | ciphertext. */
  wrapped_key: Uint8Array;
  master_key_id: string;
  created_at: number;
  retired_at: number | null;
}

export interface AuditLogRow {
  /** Position in the chain, allocated from audit_head inside the writing transaction. */
  seq: number;
  id: string;
  at: number;
  actor_user_id: string | null;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  practice_id: string | null;
  patient_profile_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON object with non-health details (codes, ids). Never message text. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the last sequence number and hash of the chain. Locking it orders concurrent writers. */
export interface AuditHeadRow {
  id: number;
  seq: number;
  hash: string;
}

export interface PractitionerScheduleRow {
  practitioner_user_id: string;
  practice_id: string;
  slot_minutes: number;
  /** JSON array of { weekday, startMinute, endMinute } in the practice's time zone. */
  periods: string;
  booking_horizon_days: number;
  updated_at: number;
}

export interface ScheduleExceptionRow {
  id: string;
  practitioner_user_id: string;
  practice_id: string;
  starts_on: string;
  ends_on: string;
  label: string;
  created_at: number;
}

export interface AppointmentRow {
  id: string;
  practice_id: string;
  practitioner_user_id: string;
  patient_profile_id: string;
  booked_by_user_id: string;
  starts_at: number;
  ends_at: number;
  status: 'booked' | 'attended' | 'no_show' | 'cancelled';
  cancel_reason: string | null;
  cancelled_by_user_id: string | null;
  status_changed_at: number | null;
  created_at: number;
}

/** The practice's record of a patient; linked to a patient profile once identity is established. */
export interface PracticePatientRow {
  id: string;
  practice_id: string;
  patient_profile_id: string | null;
  first_name: string;
  last_name: string;
  birth_date: string;
  email: string | null;
  match_key: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface CareRelationshipRow {
  practice_patient_id: string;
  practitioner_user_id: string;
  practice_id: string;
  first_consultation_at: number;
  last_consultation_at: number;
  source: 'appointment' | 'import';
  updated_at: number;
}

export interface PatientInvitationRow {
  id: string;
  practice_patient_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by_user_id: string | null;
}

export interface ProfileClaimRow {
  token_hash: string;
  patient_profile_id: string;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface OutboxRow {
  id: string;
  topic: string;
  payload: Uint8Array;
  attempts: number;
  available_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
}

export interface MessagingSettingsRow {
  practitioner_user_id: string;
  practice_id: string;
  settings: string;
  updated_at: number;
}

export interface MessageTemplateRow {
  id: string;
  practice_id: string;
  owner_user_id: string | null;
  title: string;
  body: string;
  created_at: number;
}

export interface ConversationRow {
  id: string;
  practice_id: string;
  practitioner_user_id: string;
  patient_profile_id: string;
  created_by_user_id: string;
  origin: 'patient' | 'practice' | 'campaign';
  category: 'health_question' | 'renewal' | 'test_results' | 'administrative';
  subject: Uint8Array;
  status: 'open' | 'in_progress' | 'waiting_patient' | 'closed';
  assignee_user_id: string | null;
  patient_may_reply: number;
  emergency_flagged_at: number | null;
  last_seq: number;
  last_message_at: number;
  awaiting_reply_since: number | null;
  due_at: number | null;
  closed_at: number | null;
  closed_reason: 'practice' | 'idle' | 'account_closed' | null;
  change_cursor: number;
  created_at: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  client_message_id: string | null;
  sender_user_id: string | null;
  sender_side: 'patient' | 'practice' | 'system';
  kind: 'text' | 'auto_reply' | 'notice' | 'renewal_request' | 'renewal_decision';
  body: Uint8Array;
  emergency_kind: string | null;
  attachment_count: number;
  change_cursor: number;
  created_at: number;
}

export interface AttachmentRow {
  id: string;
  owner_user_id: string;
  conversation_id: string | null;
  message_id: string | null;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  name: Uint8Array;
  data: Uint8Array;
  created_at: number;
}

export interface ReadMarkerRow {
  conversation_id: string;
  user_id: string;
  side: 'patient' | 'practice';
  delivered_seq: number;
  read_seq: number;
  updated_at: number;
}

export interface RenewalRow {
  id: string;
  conversation_id: string;
  patient_profile_id: string;
  practitioner_user_id: string;
  details: Uint8Array;
  photo_attachment_id: string | null;
  status: 'pending' | 'approved' | 'refused';
  decision_reason: Uint8Array | null;
  pickup: 'practice' | 'pharmacy' | null;
  decided_by_user_id: string | null;
  decided_at: number | null;
  created_at: number;
}

export interface NotificationPreferencesRow {
  user_id: string;
  email: number;
  digest: number;
  push: number;
  updated_at: number;
}

export interface NotificationLogRow {
  conversation_id: string;
  user_id: string;
  sent_at: number;
}

export interface DigestLogRow {
  practice_id: string;
  user_id: string;
  day: string;
}

export interface WebPushKeysRow {
  id: string;
  /** Base64url, uncompressed P-256 point: what browsers get as applicationServerKey. */
  public_key: string;
  /** Encrypted with the keyring. */
  private_key: Uint8Array;
  created_at: number;
}

export interface PushSubscriptionRow {
  id: string;
  user_id: string;
  endpoint: string;
  /** Encrypted JSON { p256dh, auth }. */
  keys: Uint8Array;
  created_at: number;
  last_success_at: number | null;
}

export interface PushLogRow {
  conversation_id: string;
  user_id: string;
  sent_at: number;
}

export interface LiveConnectionRow {
  id: string;
  user_id: string;
  expires_at: number;
}

export interface CampaignRow {
  id: string;
  practice_id: string;
  author_user_id: string;
  kind: 'prevention' | 'practice_info';
  title: Uint8Array;
  body: Uint8Array;
  patients_may_reply: number;
  audience: string;
  status: 'scheduled' | 'sending' | 'sent' | 'cancelled';
  scheduled_at: number | null;
  started_at: number | null;
  completed_at: number | null;
  total_recipients: number | null;
  created_at: number;
}

export interface CampaignRecipientRow {
  campaign_id: string;
  patient_profile_id: string;
  conversation_id: string | null;
  delivered_at: number | null;
  /** When the notices of this delivery were mailed (by a job of the outbox). */
  notified_at: number | null;
}

export interface CampaignOptoutRow {
  practice_id: string;
  patient_profile_id: string;
  created_at: number;
}

export interface CampaignAttachmentRow {
  /** The campaign's id. */
  id: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  size: number;
  name: Uint8Array;
  data: Uint8Array;
  created_at: number;
}

export interface KeyRotationRow {
  id: string;
  data_key_id: string;
  status: 'running' | 'done' | 'superseded';
  pass: number;
  table_index: number;
  cursor_id: string;
  total: number;
  processed: number;
  reencrypted: number;
  unreadable: number;
  lease_owner: string | null;
  lease_until: number | null;
  started_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface AuditAnchorRow {
  id: number;
  seq: number;
  hash: string;
  at: number | null;
}

export interface TermsVersionRow {
  kind: 'patient' | 'practitioner' | 'privacy';
  version: number;
  published_at: number;
  published_by: string | null;
}

export interface TermsAcceptanceRow {
  user_id: string;
  kind: 'patient' | 'practitioner';
  version: number;
  accepted_at: number;
}

export interface DataExportRow {
  id: string;
  user_id: string;
  session_id: string;
  status: 'building' | 'ready' | 'failed';
  progress: number;
  total: number;
  archive: Uint8Array | null;
  size: number | null;
  created_at: number;
  completed_at: number | null;
  expires_at: number;
}
