/**
 * RPPS (Répertoire partagé des professionnels de santé) numbers: 11 digits, the last one a Luhn check
 * digit over the first ten. The national practitioner identifier used in French health systems is "8" + RPPS.
 */
export const RPPS_FHIR_SYSTEM = 'https://rpps.esante.gouv.fr';

export function normaliseRpps(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // Double every second digit starting from the rightmost digit of the payload.
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidRpps(input: string): boolean {
  const rpps = normaliseRpps(input);
  if (!/^\d{11}$/.test(rpps)) return false;
  return luhnCheckDigit(rpps.slice(0, 10)) === rpps.charCodeAt(10) - 48;
}

export function nationalPractitionerId(rpps: string): string {
  return `8${normaliseRpps(rpps)}`;
}
