import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../config';
import { EmailSchema, PersonNameSchema } from '../contracts/common';
import { TermsKindSchema } from '../contracts/terms';
import { appendAudit, SYSTEM_ACTOR, verifyAuditChain } from '../features/audit/audit.service';
import { formatDemoLogins, loadDemo, removeDemo } from '../features/demo/demo.service';
import { TERMS_TEXTS_DIR } from '../features/terms/terms-texts';
import { systemClock } from '../platform/clock/clock';
import { AppError } from '../platform/http/errors';
import { createLogger } from '../platform/logging';
import { openRuntime } from '../platform/runtime';
import { createServices } from '../services';
import { rotateKeys } from './rotate-keys';

const USAGE = `Usage: missive <command> [options]

Commands:
  migrate                              apply pending database migrations
  create-admin --email E --first-name F --last-name L [--locale fr|it|en]
                                       create an operator administrator; prints a link to choose the password
  verify-practitioner --email E        mark a practitioner's credentials as checked
  verify-audit                         check the hash chain of the audit log; exit code 1 if it is broken
  rotate-keys [--detach | --status | --resume]
                                       new data key (and new master key, see docs/security.md), then
                                       re-encrypt every record in the background, showing progress;
                                       --detach leaves the job to the running servers, --status shows
                                       its progress, --resume continues an interrupted job here
  publish-terms --kind patient|practitioner|privacy --version N
                                       put a new version of the terms in force (its texts must exist in fr, it, en)
  backup --to FILE                     online copy of the embedded SQLite database (PostgreSQL: use pg_dump)
  demo                                 (re)load the demo practice (not in production)

Configuration comes from the environment, as for the server (see README.md).`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 64;
  }
  const config = loadConfig();
  const logger = createLogger({ logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' });
  const clock = systemClock;
  const runtime = await openRuntime(config, clock, logger);
  const services = createServices({ config, clock, logger, ...runtime });
  const actor = { ...SYSTEM_ACTOR, role: 'operator' };
  try {
    switch (command) {
      case 'migrate':
        console.log('Database is up to date.');
        return 0;

      case 'create-admin': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            'first-name': { type: 'string' },
            'last-name': { type: 'string' },
            locale: { type: 'string', default: 'fr' },
          },
        });
        const email = EmailSchema.parse(values.email);
        const firstName = PersonNameSchema.parse(values['first-name']);
        const lastName = PersonNameSchema.parse(values['last-name']);
        const locale = values.locale === 'it' || values.locale === 'en' ? values.locale : 'fr';
        const userId = await runtime.store.db.transaction().execute(async (trx) => {
          const id = await services.accounts.createStaffUser(trx, {
            email,
            firstName,
            lastName,
            kind: 'admin',
            locale,
            country: locale === 'it' ? 'IT' : 'FR',
          });
          await appendAudit(
            trx,
            runtime.store.dialect,
            actor,
            { action: 'admin.created', targetType: 'user', targetId: id },
            clock.now(),
          );
          return id;
        });
        const link = await services.accounts.sendActivation(userId);
        console.log(`Administrator ${email} created. An activation e-mail was sent.`);
        console.log(`Activation link (valid 7 days), if you prefer to open it yourself:\n  ${link}`);
        return 0;
      }

      case 'verify-practitioner': {
        const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
        const email = EmailSchema.parse(values.email);
        const user = await services.accounts.findUserByEmail(email);
        if (!user) {
          console.error(`No account for ${email}.`);
          return 1;
        }
        const practitioner = await services.practitioners.verify(user.id, actor);
        console.log(
          `${practitioner.firstName} ${practitioner.lastName} (RPPS ${practitioner.rpps}) is verified.`,
        );
        return 0;
      }

      case 'verify-audit': {
        const result = await verifyAuditChain(runtime.store.db);
        if (result.ok) {
          const from =
            result.fromSeq > 1 ? ` from #${result.fromSeq} (older entries removed by retention)` : '';
          console.log(`Audit log intact: ${result.entries} entries${from}, hash chain verified.`);
          return 0;
        }
        console.error(
          `Audit log BROKEN at entry #${result.brokenAtSeq} (${result.reason.replace(/_/g, ' ')}); ${result.entries} entries verified before it.`,
        );
        return 1;
      }

      case 'rotate-keys':
        return await rotateKeys(rest, { config, runtime, clock, actor });
      case 'publish-terms': {
        const { values } = parseArgs({
          args: rest,
          options: { kind: { type: 'string' }, version: { type: 'string' } },
        });
        const kind = TermsKindSchema.parse(values.kind);
        const version = z.coerce.number().int().min(2).parse(values.version);
        try {
          await services.terms.publish(kind, version, actor);
        } catch (error) {
          const reason = error instanceof AppError ? error.issues?.[0]?.reason : undefined;
          if (reason === 'text_missing') {
            console.error(
              `The text of version ${version} is missing in at least one language: add ${kind}/v${version}.fr.md, .it.md and .en.md under ${TERMS_TEXTS_DIR}.`,
            );
            return 1;
          }
          if (reason === 'not_newer') {
            console.error(`Version ${version} is not newer than the version in force.`);
            return 1;
          }
          throw error;
        }
        console.log(
          kind === 'privacy'
            ? `Privacy notice version ${version} is now in force.`
            : `Terms "${kind}" version ${version} are now in force: everyone concerned will be asked to accept them.`,
        );
        return 0;
      }

      case 'backup': {
        const { values } = parseArgs({ args: rest, options: { to: { type: 'string' } } });
        if (!values.to) {
          console.error('Usage: missive backup --to FILE');
          return 64;
        }
        if (runtime.store.dialect !== 'sqlite') {
          console.error('This deployment uses PostgreSQL: back it up with pg_dump (see docs/deployment.md).');
          return 1;
        }
        await runtime.store.backupTo(values.to);
        console.log(
          `Database copied to ${values.to}. Keep the master key (MISSIVE_MASTER_KEY or ${config.dataDir}/master.key) in a separate, safe place: without it the copy cannot be read.`,
        );
        return 0;
      }

      case 'demo': {
        if (config.env === 'production') {
          console.error('The demo practice is never loaded in production.');
          return 1;
        }
        await removeDemo(runtime.store, runtime.keys);
        const logins = await loadDemo({ store: runtime.store, clock, ...services });
        console.log(formatDemoLogins(logins));
        return 0;
      }

      default:
        console.error(`Unknown command: ${command}\n\n${USAGE}`);
        return 64;
    }
  } finally {
    // Mail queued by the command (activation links) leaves now rather than at the server's next tick.
    await runtime.outbox.drainOnce();
    await runtime.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (error instanceof AppError) console.error(`${error.code}: ${error.message}`);
    else if (error?.name === 'ZodError')
      console.error(
        `Invalid option: ${error.issues?.map((i: { path: unknown[]; message: string }) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`,
      );
    else console.error(error);
    process.exit(1);
  },
);
