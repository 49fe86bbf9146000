/**
 * Emergency numbers shown with a red flag, per country and situation, labelled in the patient's language.
 */
import type { EmergencyKind, EmergencyNumber, SafetyCountry, SafetyLang } from './types';

const NUMBERS: Record<string, { kind: 'call' | 'sms'; label: Record<SafetyLang, string> }> = {
  '15': {
    kind: 'call',
    label: {
      fr: 'SAMU — urgence médicale',
      it: 'SAMU — emergenza sanitaria',
      en: 'SAMU — medical emergency',
    },
  },
  '112': {
    kind: 'call',
    label: {
      fr: "Numéro d'urgence européen",
      it: 'Numero di emergenza europeo',
      en: 'European emergency number',
    },
  },
  '114': {
    kind: 'sms',
    label: {
      fr: 'Urgence par SMS pour les personnes sourdes ou malentendantes',
      it: 'Emergenza via SMS per persone sorde o con problemi di udito',
      en: 'Emergency by text message for deaf or hard-of-hearing people',
    },
  },
  '3114': {
    kind: 'call',
    label: {
      fr: 'Prévention du suicide, 24 h/24',
      it: 'Prevenzione del suicidio, 24 ore su 24',
      en: 'Suicide prevention line, 24/7',
    },
  },
  '17': { kind: 'call', label: { fr: 'Police secours', it: 'Polizia', en: 'Police' } },
  '118': {
    kind: 'call',
    label: {
      fr: "Urgence médicale (là où le 112 n'est pas encore actif)",
      it: 'Emergenza sanitaria (dove il 112 non è ancora attivo)',
      en: 'Medical emergency (where 112 is not yet active)',
    },
  },
};

// In Italy 112 is the single emergency number; its label there is not "European".
const ITALIAN_112: Record<SafetyLang, string> = {
  fr: "Numéro unique d'urgence",
  it: 'Numero unico di emergenza',
  en: 'Single emergency number',
};

function numberList(country: SafetyCountry, kind: EmergencyKind | null | undefined): readonly string[] {
  if (country === 'IT') return kind === 'violence' ? ['112'] : ['112', '118'];
  if (kind === 'suicide') return ['3114', '15', '112', '114'];
  if (kind === 'violence') return ['17', '112', '114'];
  return kind ? ['15', '112', '114'] : ['15', '112', '114', '3114'];
}

/**
 * Numbers for a country, most relevant first, labelled in the patient's language. Without a kind: the
 * general notice shown before typing (France: 15, 112, 114, 3114; Italy: 112, 118).
 */
export function emergencyNumbers(
  country: SafetyCountry,
  lang: SafetyLang,
  kind?: EmergencyKind | null,
): EmergencyNumber[] {
  return numberList(country, kind).map((number) => {
    const entry = NUMBERS[number] as (typeof NUMBERS)[string];
    const label = country === 'IT' && number === '112' ? ITALIAN_112[lang] : entry.label[lang];
    return { number, label, kind: entry.kind };
  });
}
