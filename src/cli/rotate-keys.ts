import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { type Actor, appendAudit } from '../features/audit/audit.service';
import type { Clock } from '../platform/clock/clock';
import type { KeyRotationProgress } from '../platform/crypto/key-rotation';
import { completeKeyFileRotation, keyFiles, prepareKeyFileRotation } from '../platform/crypto/keyring';
import type { Runtime } from '../platform/runtime';

const BAR_WIDTH = 30;

export function formatProgress(progress: KeyRotationProgress): string {
  const filled = Math.round((progress.percent / 100) * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  const rows = `${Math.min(progress.processed, progress.total)}/${progress.total} rows`;
  const unreadable = progress.unreadable > 0 ? `, ${progress.unreadable} unreadable` : '';
  return `[${bar}] ${String(progress.percent).padStart(3)}% ${rows}, ${progress.reencrypted} records re-encrypted${unreadable}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the re-encryption in this process (or watches another process run it) until it is done. */
async function followRotation(runtime: Runtime, signal: AbortSignal): Promise<KeyRotationProgress | null> {
  const tty = process.stdout.isTTY;
  let lastShown = -1;
  const show = (progress: KeyRotationProgress) => {
    if (tty) process.stdout.write(`\r${formatProgress(progress)}`);
    else if (progress.percent >= lastShown + 10 || progress.status !== 'running') {
      console.log(formatProgress(progress));
      lastShown = progress.percent;
    }
  };
  const controller = new AbortController();
  signal.addEventListener('abort', () => controller.abort());
  const ticker = setInterval(() => {
    runtime.keyRotation.progress().then(
      (p) => p && show(p),
      () => undefined,
    );
  }, 500);
  let said: string | undefined;
  try {
    for (;;) {
      const outcome = await runtime.keyRotation.runDue({ signal: controller.signal });
      const progress = await runtime.keyRotation.progress();
      if (progress) show(progress);
      if (signal.aborted || outcome === 'done' || outcome === 'idle') return progress;
      if (outcome !== said) {
        said = outcome;
        const note =
          outcome === 'settling'
            ? 'Every record is re-encrypted; waiting for running servers to switch to the new key before confirming…'
            : 'Another instance is running the job; following its progress…';
        if (tty) process.stdout.write(`\n${note}\n`);
        else console.log(note);
      }
      await sleep(1_000);
    }
  } finally {
    clearInterval(ticker);
    if (tty) process.stdout.write('\n');
  }
}

export async function rotateKeys(
  args: string[],
  deps: { config: Config; runtime: Runtime; clock: Clock; actor: Actor },
): Promise<number> {
  const { config, runtime, clock, actor } = deps;
  const { values } = parseArgs({
    args,
    options: {
      detach: { type: 'boolean', default: false },
      status: { type: 'boolean', default: false },
      resume: { type: 'boolean', default: false },
    },
  });
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  try {
    if (values.status) {
      const progress = await runtime.keyRotation.progress();
      console.log(progress ? `${progress.status}: ${formatProgress(progress)}` : 'No key rotation yet.');
      return 0;
    }

    if (!values.resume) {
      const embedded = !config.masterKey;
      if (embedded) {
        await prepareKeyFileRotation(config.dataDir);
        await runtime.keys.refresh();
      }
      const { progress, rewrappedFrom } = await runtime.keyRotation.start();
      await runtime.store.db.transaction().execute((trx) =>
        appendAudit(
          trx,
          runtime.store.dialect,
          actor,
          {
            action: 'keys.rotated',
            targetType: 'data_key',
            targetId: progress.dataKeyId,
            details: { masterKeyId: runtime.keys.masterKeyId, rewrappedFrom: rewrappedFrom.join(',') },
          },
          clock.now(),
        ),
      );
      if (embedded) {
        const { retiredFile } = await completeKeyFileRotation(config.dataDir);
        console.log(
          `New master key written to ${keyFiles(config.dataDir).current}. The previous one was moved to ${retiredFile}:\n` +
            '  only backups made before now need it; keep it with them, off this machine, or destroy it.',
        );
      } else if (rewrappedFrom.length > 0) {
        console.log(
          `The data keys are now wrapped by the master key in MISSIVE_MASTER_KEY (id ${runtime.keys.masterKeyId}).\n` +
            '  Remove MISSIVE_PREVIOUS_MASTER_KEY from every instance once this job is done (see docs/security.md).',
        );
      } else {
        console.log(
          'New data key created. The master key is unchanged: MISSIVE_MASTER_KEY already protected the data keys.\n' +
            '  To replace it, give the new key as MISSIVE_MASTER_KEY and the old one as MISSIVE_PREVIOUS_MASTER_KEY (docs/security.md).',
        );
      }
      console.log(`Re-encrypting ${progress.total} rows with data key ${progress.dataKeyId}.`);
      if (values.detach) {
        console.log('The running servers carry on the job; follow it with: missive rotate-keys --status');
        return 0;
      }
    }

    const progress = await followRotation(runtime, interrupt.signal);
    if (!progress) {
      console.log('No key rotation to run.');
      return 0;
    }
    if (progress.status === 'done') {
      const unreadable =
        progress.unreadable > 0
          ? ` ${progress.unreadable} records could not be decrypted and were left as they were (see the server log).`
          : '';
      console.log(`Key rotation finished: no record uses an older data key.${unreadable}`);
      return progress.unreadable > 0 ? 1 : 0;
    }
    console.log(
      'Interrupted. The servers carry on the job; or continue it here: missive rotate-keys --resume',
    );
    return 130;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
