import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Country } from '../../../src/contracts/common';
import { PhoneIcon } from './icons';

export type EmergencyLine = { number: string; scheme: 'tel' | 'sms'; labelKey: string };

/** Emergency lines per country (PRODUCT.md, rule 7). 114 takes text messages for deaf and hard-of-hearing people. */
export const EMERGENCY_LINES: Record<Country, readonly EmergencyLine[]> = {
  FR: [
    { number: '15', scheme: 'tel', labelKey: 'emergency.fr.samu' },
    { number: '112', scheme: 'tel', labelKey: 'emergency.fr.european' },
    { number: '114', scheme: 'sms', labelKey: 'emergency.fr.deaf' },
    { number: '3114', scheme: 'tel', labelKey: 'emergency.fr.suicide' },
  ],
  IT: [
    { number: '112', scheme: 'tel', labelKey: 'emergency.it.european' },
    { number: '118', scheme: 'tel', labelKey: 'emergency.it.medical' },
  ],
};

type EmergencyNoticeProps = {
  /** The patient's country; without one (signed-out visitors) both countries are listed. */
  country?: Country | undefined;
  headingLevel?: 2 | 3;
};

export function EmergencyNotice({ country, headingLevel = 2 }: EmergencyNoticeProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const countries: Country[] = country ? [country] : ['FR', 'IT'];
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const SubHeading = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <aside className="emergency" aria-labelledby={titleId}>
      <Heading id={titleId} className="emergency__title">
        <PhoneIcon />
        {t('emergency.title')}
      </Heading>
      <p className="emergency__intro">{t('emergency.intro')}</p>
      {countries.map((code) => (
        <div key={code}>
          {countries.length > 1 ? (
            <SubHeading className="emergency__country">{t(`countries.${code}`)}</SubHeading>
          ) : null}
          <ul className="emergency__list">
            {EMERGENCY_LINES[code].map((line) => (
              <li key={`${code}-${line.number}`}>
                <a className="emergency__link" href={`${line.scheme}:${line.number}`}>
                  <span className="emergency__number">
                    <span className="visually-hidden">
                      {t(line.scheme === 'sms' ? 'emergency.text' : 'emergency.call')}{' '}
                    </span>
                    {line.number}
                  </span>
                  <span className="emergency__label">{t(line.labelKey)}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </aside>
  );
}
