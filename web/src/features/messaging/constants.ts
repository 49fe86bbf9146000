/** Limits of the API (src/contracts/messaging.ts), repeated here so that zod stays out of the bundle. */
export const MESSAGE_MAX_CHARS = 5_000;
export const SUBJECT_MAX_CHARS = 150;
export const TEMPLATE_TITLE_MAX_CHARS = 80;
export const ABSENCE_MESSAGE_MAX_CHARS = 1_000;
export const DECISION_REASON_MAX_CHARS = 1_000;
