import { useId } from 'react';
import './safety.css';
import { useTranslation } from 'react-i18next';
import type { Country } from '../../../src/contracts/common';
import { EMERGENCY_LINES } from './emergency-notice';
import { PhoneIcon } from './icons';

/**
 * The short emergency notice shown above every box where a patient writes, before they type: messages
 * are not read in real time, and the country's numbers are one tap away (tel:, sms: for 114).
 */
export function EmergencyStrip({ country }: { country: Country }) {
  const { t } = useTranslation();
  const titleId = useId();
  return (
    <aside className="emergency-strip" aria-labelledby={titleId}>
      <p className="emergency-strip__text">
        <PhoneIcon className="emergency-strip__icon" />
        <span>
          <strong id={titleId}>{t('safety.strip.title')}</strong> {t('safety.strip.text')}
        </span>
      </p>
      <ul className="emergency-strip__list">
        {EMERGENCY_LINES[country].map((line) => (
          <li key={line.number}>
            <a className="emergency-strip__link" href={`${line.scheme}:${line.number}`}>
              <span className="emergency-strip__number">
                <span className="visually-hidden">
                  {t(line.scheme === 'sms' ? 'emergency.text' : 'emergency.call')}{' '}
                </span>
                {line.number}
              </span>
              <span className="emergency-strip__label">{t(`safety.short.${country}.${line.number}`)}</span>
            </a>
          </li>
        ))}
      </ul>
    </aside>
  );
}
