/**
 * The registry of error codes the API can return. Each code has exactly one HTTP status; the web app
 * translates the code (key `errors.<CODE>`), so messages here are English fallbacks for API users.
 */
export const ERROR_CODES = {
  MISSIVE_VALIDATION: { status: 400, message: 'The request is invalid.' },
  MISSIVE_UNAUTHENTICATED: { status: 401, message: 'Sign-in required.' },
  MISSIVE_INVALID_CREDENTIALS: { status: 401, message: 'E-mail or password is incorrect.' },
  MISSIVE_EMAIL_NOT_VERIFIED: { status: 403, message: 'Confirm your e-mail address before signing in.' },
  MISSIVE_MFA_REQUIRED: { status: 403, message: 'Enter the code from your authenticator app.' },
  MISSIVE_MFA_ENROLMENT_REQUIRED: {
    status: 403,
    message: 'Set up two-step verification before accessing patient data.',
  },
  MISSIVE_CROSS_ORIGIN: { status: 403, message: 'Cross-origin request refused.' },
  MISSIVE_NOT_FOUND: { status: 404, message: 'Not found.' },
  MISSIVE_CONFLICT: { status: 409, message: 'This conflicts with existing data.' },
  MISSIVE_EMAIL_TAKEN: { status: 409, message: 'An account already uses this e-mail address.' },
  MISSIVE_ALREADY_MEMBER: { status: 409, message: 'This person is already a member of the practice.' },
  MISSIVE_LAST_ADMIN: { status: 409, message: 'A practice must keep at least one administrator.' },
  MISSIVE_WEAK_PASSWORD: { status: 400, message: 'The password must have at least 12 characters.' },
  MISSIVE_COMMON_PASSWORD: { status: 400, message: 'This password is too common. Choose another one.' },
  MISSIVE_INVALID_TOKEN: { status: 400, message: 'This link is invalid or has expired.' },
  MISSIVE_INVALID_RPPS: {
    status: 400,
    message: 'The RPPS number must have 11 digits with a valid check digit.',
  },
  MISSIVE_INVALID_TOTP: { status: 400, message: 'The code is incorrect or has already been used.' },
  MISSIVE_TOTP_ALREADY_ENROLLED: { status: 409, message: 'Two-step verification is already set up.' },
  MISSIVE_ACCOUNT_LOCKED: { status: 429, message: 'Too many attempts. Try again later.' },
  MISSIVE_RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  MISSIVE_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  MISSIVE_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type.' },
  MISSIVE_INVALID_SCHEDULE: {
    status: 400,
    message: 'The opening hours are invalid (overlapping or shorter than one consultation).',
  },
  MISSIVE_SLOT_UNAVAILABLE: { status: 409, message: 'This time slot is no longer available.' },
  MISSIVE_CANCELLATION_TOO_LATE: {
    status: 409,
    message: 'It is too late to cancel online: please call the practice.',
  },
  MISSIVE_APPOINTMENT_NOT_STARTED: {
    status: 409,
    message:
      'Too early: attendance can be recorded from 30 minutes before the appointment, a no-show once it has started.',
  },
  MISSIVE_INVALID_TRANSITION: { status: 409, message: 'This change is not possible in the current state.' },
  MISSIVE_IMPORT_INVALID: { status: 400, message: 'The file has errors: nothing was imported.' },
  MISSIVE_TOO_YOUNG_FOR_ACCOUNT: {
    status: 409,
    message: 'This relative is not old enough to hold their own account.',
  },
  MISSIVE_PROFILE_IN_USE: {
    status: 409,
    message: 'This profile has appointments or records and cannot be removed.',
  },
  MISSIVE_MESSAGING_CLOSED: {
    status: 403,
    message: 'This practitioner does not accept messages at the moment.',
  },
  MISSIVE_NO_CARE_RELATIONSHIP: {
    status: 403,
    message: 'You can write only to a practitioner you have already consulted.',
  },
  MISSIVE_CONSULTATION_TOO_OLD: {
    status: 403,
    message: 'Your last consultation is too long ago: please book an appointment.',
  },
  MISSIVE_RELATIVES_NOT_ALLOWED: {
    status: 403,
    message: 'This practitioner does not accept messages about relatives.',
  },
  MISSIVE_CATEGORY_NOT_OFFERED: {
    status: 403,
    message: 'This practitioner does not accept this kind of request.',
  },
  MISSIVE_TOO_MANY_OPEN_CONVERSATIONS: {
    status: 409,
    message: 'You already have the maximum number of open conversations with this practitioner.',
  },
  MISSIVE_DAILY_LIMIT_REACHED: {
    status: 429,
    message: 'You have reached the number of messages allowed today.',
  },
  MISSIVE_CONVERSATION_CLOSED: { status: 409, message: 'This conversation is closed.' },
  MISSIVE_REPLIES_DISABLED: { status: 403, message: 'Replies are not possible in this conversation.' },
  MISSIVE_EMERGENCY_DETECTED: {
    status: 422,
    message:
      'This message may describe an emergency: call the emergency number, or confirm it is not an emergency.',
  },
  MISSIVE_ATTACHMENT_REFUSED: { status: 415, message: 'Only PDF, JPEG and PNG files can be attached.' },
  MISSIVE_ATTACHMENT_TOO_LARGE: { status: 413, message: 'A file can be at most 10 MB.' },
  MISSIVE_RENEWAL_DETAILS_REQUIRED: { status: 400, message: 'Describe the medication to renew.' },
  MISSIVE_PRACTITIONERS_ONLY: { status: 403, message: 'Only a practitioner can do this.' },
  MISSIVE_PRACTICE_ADMIN_ONLY: {
    status: 403,
    message: 'Only an administrator of this practice can do this.',
  },
  MISSIVE_CLIENT_ID_REUSED: {
    status: 409,
    message: 'This message identifier was already used for another conversation.',
  },
  MISSIVE_NOT_READY: { status: 503, message: 'The service is starting or stopping.' },
  MISSIVE_INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
