import pino, { type Logger } from 'pino';
import type { Config } from '../config';

/**
 * Logs never carry message text, attachment names, tokens or passwords. Request bodies are not logged
 * at all; the paths below catch headers and fields that could slip into a log call.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.body',
  '*.text',
  '*.secret',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination,
  );
}
