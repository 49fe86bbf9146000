import { type Ref, useId } from 'react';
import './safety.css';
import { useTranslation } from 'react-i18next';
import type { Country } from '../../../src/contracts/common';
import { Button } from './button';
import { EMERGENCY_LINES } from './emergency-notice';
import { PhoneIcon, WarningIcon } from './icons';

export type EmergencyNumber = { number: string; label: string; kind: 'call' | 'sms' };

/** Kinds of emergency the server's red-flag check can name; anything else reads as a general emergency. */
export const EMERGENCY_KINDS = [
  'chest_pain',
  'stroke',
  'breathing',
  'anaphylaxis',
  'bleeding',
  'unconscious',
  'seizure',
  'suicide',
  'overdose',
  'burn',
  'infant_fever',
  'pregnancy',
  'headache',
  'vision_loss',
  'violence',
] as const;

type EmergencyAlertProps = {
  /** What the check recognised (chest_pain, stroke …), or null when only "an emergency" is known. */
  kind: string | null;
  /** Numbers from the check, most relevant first; the country's usual numbers when empty. */
  numbers: readonly EmergencyNumber[];
  country: Country;
  /** "This is not an emergency — send anyway". */
  onNotEmergency: () => void;
  busy?: boolean;
  headingLevel?: 2 | 3;
  headingRef?: Ref<HTMLHeadingElement>;
};

/**
 * The red-flag interruption: full width, announced at once (role="alert"), naming the situation in plain
 * words with the right numbers as big buttons. Sending anyway is possible but secondary and explicit.
 */
export function EmergencyAlert({
  kind,
  numbers,
  country,
  onNotEmergency,
  busy = false,
  headingLevel = 2,
  headingRef,
}: EmergencyAlertProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const known = kind && (EMERGENCY_KINDS as readonly string[]).includes(kind) ? kind : 'other';
  const lines: EmergencyNumber[] =
    numbers.length > 0
      ? [...numbers]
      : EMERGENCY_LINES[country].map((line) => ({
          number: line.number,
          label: t(line.labelKey),
          kind: line.scheme === 'sms' ? 'sms' : 'call',
        }));
  return (
    <div className="red-flag" role="alert" aria-labelledby={titleId}>
      <Heading id={titleId} ref={headingRef} tabIndex={-1} className="red-flag__title">
        <WarningIcon className="red-flag__icon" />
        {t('safety.alert.title')}
      </Heading>
      <p className="red-flag__situation">{t(`safety.kinds.${known}`)}</p>
      <p className="red-flag__advice">{t('safety.alert.advice')}</p>
      <ul className="red-flag__numbers">
        {lines.map((line) => (
          <li key={line.number}>
            <a className="red-flag__call" href={`${line.kind === 'sms' ? 'sms' : 'tel'}:${line.number}`}>
              <PhoneIcon className="red-flag__phone" />
              <span className="red-flag__number">
                <span className="red-flag__verb">
                  {t(line.kind === 'sms' ? 'safety.alert.text' : 'safety.alert.call')}
                </span>{' '}
                {line.number}
              </span>
              <span className="red-flag__label">{line.label}</span>
            </a>
          </li>
        ))}
      </ul>
      <div className="red-flag__dismiss">
        <p className="small">{t('safety.alert.notEmergencyHint')}</p>
        <Button variant="secondary" onClick={onNotEmergency} busy={busy}>
          {t('safety.alert.notEmergency')}
        </Button>
      </div>
    </div>
  );
}
