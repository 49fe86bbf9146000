/** The booking page of a practitioner at a practice. */
export const bookingPath = (entry: { practiceId: string; practitionerId: string }) =>
  `/book/${entry.practiceId}/${entry.practitionerId}`;
