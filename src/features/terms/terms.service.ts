import type { Locale } from '../../contracts/common';
import type {
  AcceptableTermsKind,
  TermsDocument,
  TermsKind,
  TermsStatus,
  TermsVersionList,
} from '../../contracts/terms';
import type { Clock } from '../../platform/clock/clock';
import type { Store } from '../../platform/db/store';
import { AppError } from '../../platform/http/errors';
import type { AuthContext } from '../accounts/sessions.service';
import { type Actor, appendAudit } from '../audit/audit.service';
import * as repo from './terms.repository';
import { createTermsTexts, type TermsTexts } from './terms-texts';

export interface TermsDeps {
  store: Store;
  clock: Clock;
  texts?: TermsTexts;
}

const KINDS: TermsKind[] = ['patient', 'practitioner', 'privacy'];

/** How long the versions in force are trusted before they are read again. */
export const VERSIONS_TTL_MS = 5_000;

/** Which terms an account is asked to accept: patients the messaging terms, practice staff the practitioner terms. */
function acceptableKindOf(user: AuthContext['user']): AcceptableTermsKind | null {
  if (user.kind === 'patient') return 'patient';
  if (user.kind === 'staff') return 'practitioner';
  return null;
}

export type TermsService = ReturnType<typeof createTermsService>;

export function createTermsService(deps: TermsDeps) {
  const { store, clock } = deps;
  const db = store.db;
  const texts = deps.texts ?? createTermsTexts();

  // Every signed-in patient request checks the terms: the versions in force are kept for a few seconds
  // (a version published by another process, such as the command line, applies within VERSIONS_TTL_MS;
  // one published here at once), and an acceptance of a version, which is never withdrawn, once seen.
  let versions: { readAt: number; byKind: Map<string, number> } | undefined;
  const acceptances = new Set<string>();

  async function currentVersion(kind: TermsKind): Promise<number> {
    if (!versions || clock.now() - versions.readAt >= VERSIONS_TTL_MS) {
      const readAt = clock.now();
      const rows = await repo.currentVersions(db);
      versions = { readAt, byKind: new Map(rows.map((r) => [r.kind, Number(r.version)])) };
    }
    return versions.byKind.get(kind) ?? 1;
  }

  async function hasAcceptedCurrent(userId: string, kind: AcceptableTermsKind): Promise<boolean> {
    const version = await currentVersion(kind);
    const key = `${userId} ${kind} ${version}`;
    if (acceptances.has(key)) return true;
    if (!(await repo.hasAccepted(db, userId, kind, version))) return false;
    if (acceptances.size >= 100_000) acceptances.clear();
    acceptances.add(key);
    return true;
  }

  return {
    currentVersion,
    hasAcceptedCurrent,

    /** The text in force, in the requested language. */
    async current(kind: TermsKind, locale: Locale): Promise<TermsDocument> {
      const version = await currentVersion(kind);
      const row = await repo.findVersion(db, kind, version);
      const body = texts.read(kind, version, locale);
      if (!row || body === undefined) throw new AppError('MISSIVE_NOT_FOUND');
      return { kind, version, publishedAt: row.published_at, locale, body };
    },

    async status(auth: AuthContext): Promise<TermsStatus> {
      const kind = acceptableKindOf(auth.user);
      if (!kind) return { terms: [] };
      const [version, accepted] = await Promise.all([
        currentVersion(kind),
        repo.latestAcceptances(db, auth.user.id),
      ]);
      const latest = accepted.find((row) => row.kind === kind);
      return {
        terms: [
          {
            kind,
            currentVersion: version,
            acceptedVersion: latest?.version ?? null,
            acceptedAt: latest?.accepted_at ?? null,
            mustAccept: latest?.version !== version,
          },
        ],
      };
    },

    /** Records that the person accepted this version (which must be the one in force). */
    async accept(auth: AuthContext, kind: AcceptableTermsKind, version: number, actor: Actor): Promise<void> {
      if (acceptableKindOf(auth.user) !== kind) throw new AppError('MISSIVE_NOT_FOUND');
      const current = await currentVersion(kind);
      if (version !== current) throw new AppError('MISSIVE_TERMS_OUTDATED');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await repo.insertAcceptance(trx, { user_id: auth.user.id, kind, version, accepted_at: now });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'terms.accepted', targetType: 'terms', targetId: null, details: { kind, version } },
          now,
        );
      });
    },

    /** Refuses until the user accepted the current version of the terms that apply to them. */
    async requireAccepted(userId: string, kind: AcceptableTermsKind): Promise<void> {
      if (!(await hasAcceptedCurrent(userId, kind))) throw new AppError('MISSIVE_TERMS_NOT_ACCEPTED');
    },

    /** Used by the demo loader: its accounts start with the current terms accepted. */
    async recordAcceptance(userId: string, kind: AcceptableTermsKind): Promise<void> {
      await repo.insertAcceptance(db, {
        user_id: userId,
        kind,
        version: await currentVersion(kind),
        accepted_at: clock.now(),
      });
    },

    async versions(): Promise<TermsVersionList> {
      const rows = await repo.listVersions(db);
      const currents = new Map<string, number>();
      for (const row of rows) currents.set(row.kind, Math.max(currents.get(row.kind) ?? 0, row.version));
      return {
        versions: rows.map((row) => ({
          kind: row.kind,
          version: row.version,
          publishedAt: row.published_at,
          current: currents.get(row.kind) === row.version,
        })),
        publishable: KINDS.flatMap((kind) =>
          texts
            .complete(kind)
            .filter((version) => version > (currents.get(kind) ?? 0))
            .map((version) => ({ kind, version })),
        ),
      };
    },

    /**
     * Puts a new version in force. Its text must exist in every language, and versions only move forward:
     * everyone concerned is asked to accept it at their next message (patients) or opening (practitioners).
     */
    async publish(
      kind: TermsKind,
      version: number,
      actor: Actor,
    ): Promise<{ kind: TermsKind; version: number }> {
      if (!texts.complete(kind).includes(version))
        throw new AppError('MISSIVE_VALIDATION', [{ path: 'version', reason: 'text_missing' }]);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const current = Number((await repo.currentVersions(trx)).find((r) => r.kind === kind)?.version ?? 0);
        if (version <= current)
          throw new AppError('MISSIVE_VALIDATION', [{ path: 'version', reason: 'not_newer' }]);
        await repo.insertVersion(trx, { kind, version, published_at: now, published_by: actor.userId });
        await appendAudit(
          trx,
          store.dialect,
          actor,
          { action: 'terms.published', targetType: 'terms', targetId: null, details: { kind, version } },
          now,
        );
      });
      versions = undefined;
      return { kind, version };
    },
  };
}
