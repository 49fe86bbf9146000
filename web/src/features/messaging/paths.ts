/** The new-message page, with the patient, practitioner and practice chosen (it checks messaging is open). */
export const newMessagePath = (entry: {
  patientProfileId: string;
  practitionerId: string;
  practiceId: string;
}) =>
  `/messages/new?${new URLSearchParams({
    for: entry.patientProfileId,
    practitionerId: entry.practitionerId,
    practiceId: entry.practiceId,
  })}`;
