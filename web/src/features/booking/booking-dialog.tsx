import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Appointment, DirectoryEntry, Relative } from '../../../../src/contracts/care';
import { bookingApi, type Slot } from '../../api/endpoints';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { FormError } from '../../components/form-error';
import { errorCode } from '../../i18n/errors';
import { formatDay, formatTime, isoDateIn } from '../../lib/time';
import { useSubmit } from '../../lib/use-submit';
import { profileLabel } from '../relatives/profile-label';

type BookingDialogProps = {
  slot: Slot | null;
  entry: DirectoryEntry;
  timeZone: string;
  profiles: readonly Relative[];
  defaultProfileId: string;
  onClose: () => void;
  onBooked: (appointment: Appointment) => void;
  /** Someone else took the slot meanwhile. */
  onTaken: () => void;
};

/** Last step: for whom, and a summary to confirm. */
export function BookingDialog({
  slot,
  entry,
  timeZone,
  profiles,
  defaultProfileId,
  onClose,
  onBooked,
  onTaken,
}: BookingDialogProps) {
  const { t, i18n } = useTranslation();
  const [profileId, setProfileId] = useState(defaultProfileId);
  const { busy, error, setError, run } = useSubmit();
  const open = slot !== null;

  useEffect(() => {
    if (open) setError(null);
  }, [open, setError]);

  async function confirm() {
    if (!slot) return;
    const outcome = await run(() =>
      bookingApi.book({
        practitionerId: entry.practitionerId,
        practiceId: entry.practiceId,
        startsAt: slot.startsAt,
        patientProfileId: profileId,
      }),
    );
    if (outcome.ok) onBooked(outcome.value);
    else if (errorCode(outcome.error) === 'MISSIVE_SLOT_UNAVAILABLE') onTaken();
  }

  const selected = profiles.find((profile) => profile.id === profileId);

  return (
    <Dialog
      open={open}
      title={t('booking.confirmTitle')}
      onClose={() => {
        if (!busy) onClose();
      }}
      actions={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void confirm()} busy={busy}>
            {t('booking.confirm')}
          </Button>
        </>
      }
    >
      {slot ? (
        <div className="stack">
          <p className="booking-summary__when">
            {formatDay(isoDateIn(slot.startsAt, timeZone), i18n.language, 'full')}
            <br />
            <strong>
              {formatTime(slot.startsAt, timeZone, i18n.language)} –{' '}
              {formatTime(slot.endsAt, timeZone, i18n.language)}
            </strong>
          </p>
          <dl className="details details--compact">
            <dt>{t('booking.practitioner')}</dt>
            <dd>
              {entry.firstName} {entry.lastName} · {entry.specialty}
            </dd>
            <dt>{t('booking.where')}</dt>
            <dd>
              {entry.practiceName}, {entry.address}, {entry.postcode} {entry.city}
            </dd>
          </dl>
          {profiles.length > 1 ? (
            <fieldset className="fieldset">
              <legend className="fieldset__legend">{t('booking.forWhom')}</legend>
              <div className="choice-list">
                {profiles.map((profile) => (
                  <label key={profile.id} className="choice">
                    <input
                      type="radio"
                      name="patientProfileId"
                      value={profile.id}
                      checked={profileId === profile.id}
                      onChange={() => setProfileId(profile.id)}
                    />
                    <span>{profileLabel(t, profile)}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : selected ? (
            <p>
              <span className="muted">{t('booking.forWhom')} </span>
              {profileLabel(t, selected)}
            </p>
          ) : null}
          <FormError error={error} />
        </div>
      ) : null}
    </Dialog>
  );
}
