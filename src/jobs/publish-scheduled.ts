import { purgeChanges } from "../admin/services/purge";
import type { ArticleFacts, ContentChange } from "../cache/plan";
import { applyPurge, type PurgeReport } from "../cache/purge";
import { createDb } from "../db/client";
import { listWentLive } from "../db/queries/articles";
import { getLastRun, setLastRun } from "../db/queries/jobs";
import { openSession } from "../db/replicas";
import { normalizeOrigin } from "../lib/site";

export const JOB_NAME = "publish-scheduled";

/** The first run ever looks back this far; later runs start where the previous one ended. */
const FIRST_RUN_LOOKBACK_MS = 10 * 60_000;

export type ScheduledRun = { since: number; until: number; wentLive: string[]; purge: PurgeReport | null };

/**
 * Runs every minute (wrangler.toml `triggers`): scheduled articles whose time has come appear on
 * every page that should show them, because their purge plan is applied as if just published.
 */
export async function publishScheduled(env: Env, ctx: ExecutionContext, now: number): Promise<ScheduledRun> {
	// The primary: its record of the last run, and what went live since, must be current.
	const db = createDb(openSession(env.DB, "first-primary"));
	const site = normalizeOrigin(env.SITE_URL);
	const since = (await getLastRun(db, JOB_NAME)) ?? now - FIRST_RUN_LOOKBACK_MS;
	const rows = since < now ? await listWentLive(db, since, now) : [];
	let purge: PurgeReport | null = null;
	if (rows.length > 0) {
		const changes = rows.map((row): ContentChange => {
			const after: ArticleFacts = {
				slug: row.slug,
				topic: row.topicSlug,
				region: row.regionSlug,
				live: true,
				publishedAt: row.publishedAt,
				authors: row.authors.map((a) => a.slug),
			};
			return { kind: "article", before: { ...after, live: false }, after };
		});
		purge = await purgeChanges({ siteUrl: site, purge: (plan) => applyPurge(plan, env, ctx) }, changes);
	}
	// Only after the purge: if this run fails, the next one covers the same window again.
	await setLastRun(db, JOB_NAME, now);
	return { since, until: now, wentLive: rows.map((r) => r.slug), purge };
}
