import { useTranslation } from 'react-i18next';
import type { Appointment } from '../../../../src/contracts/care';
import { Badge, type BadgeTone } from '../../components/badge';

const TONES: Record<Appointment['status'], BadgeTone> = {
  booked: 'primary',
  attended: 'success',
  no_show: 'warning',
  cancelled: 'danger',
};

/** An appointment's status, worded for the patient or for the practice. */
export function AppointmentStatusBadge({
  status,
  audience,
}: {
  status: Appointment['status'];
  audience: 'patient' | 'practice';
}) {
  const { t } = useTranslation();
  return (
    <Badge tone={TONES[status]} dot>
      {t(`appointmentStatus.${audience}.${status}`)}
    </Badge>
  );
}
