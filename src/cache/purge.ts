import { normalizeOrigin } from "../lib/site";
import type { PurgePlan } from "./plan";
import { isolateStore } from "./store";
import { purgeZone } from "./zone-purge";

/** What a purge did, for the editor who caused it and for the logs. */
export type PurgeReport = {
	keys: string[];
	tags: string[];
	/** Set when everything the site has cached was purged (then keys and tags are empty). */
	everything?: true;
	/**
	 * Copies deleted outright here: the plan's keys found in this data centre's Cache API or this
	 * isolate's memory, and this isolate's memory copies under its tags. Copies in the Cache API
	 * under its tags are made unreachable by the tags' marks without being counted (see EdgeStore).
	 */
	local: { ok: boolean; deleted: number; error?: string };
	/** Workers Cache (`ctx.cache.purge`), where the runtime offers it. */
	workersCache: { status: "ok" | "failed" | "skipped"; error?: string };
	/** The zone purge API, when CF_ZONE_ID and CF_API_TOKEN are set. */
	zone: { status: "ok" | "failed" | "skipped"; requests?: number; errors?: string[] };
};

export type PurgeDeps = { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> };

/** Merges plans (a cron run may cover several articles) into one, without repeats. */
export function mergePlans(plans: PurgePlan[]): PurgePlan {
	if (plans.some((p) => p.everything)) return { keys: [], tags: [], everything: true };
	return {
		keys: [...new Set(plans.flatMap((p) => p.keys))],
		tags: [...new Set(plans.flatMap((p) => p.tags))],
	};
}

/**
 * Carries out a purge plan: locally first (the next request in this data centre renders afresh),
 * then globally where configured. Never throws: a failed global purge is logged and reported,
 * and must not undo or fail the save that caused it.
 */
export async function applyPurge(
	plan: PurgePlan,
	env: Env,
	ctx: ExecutionContext,
	deps: PurgeDeps = {},
): Promise<PurgeReport> {
	const site = normalizeOrigin(env.SITE_URL);
	const everything = plan.everything === true;
	const report: PurgeReport = {
		keys: everything ? [] : plan.keys,
		tags: everything ? [] : plan.tags,
		...(everything ? { everything: true as const } : {}),
		local: { ok: true, deleted: 0 },
		workersCache: { status: "skipped" },
		zone: { status: "skipped" },
	};

	const now = Date.now();
	try {
		report.local.deleted = everything
			? await isolateStore().purgeAll(site, now)
			: await isolateStore().purge(site, plan.keys, plan.tags, now);
	} catch (err) {
		report.local = { ok: false, deleted: 0, error: String(err) };
		console.error("local purge failed", err);
	}

	if (ctx.cache && (everything || plan.tags.length > 0)) {
		try {
			const result = await ctx.cache.purge(everything ? { purgeEverything: true } : { tags: plan.tags });
			report.workersCache = result.success
				? { status: "ok" }
				: { status: "failed", error: result.errors.map((e) => `${e.code}: ${e.message}`).join("; ") };
		} catch (err) {
			report.workersCache = { status: "failed", error: String(err) };
		}
		if (report.workersCache.status === "failed") console.error("Workers Cache purge failed", report.workersCache.error);
	}

	const zoneId = env.CF_ZONE_ID;
	const apiToken = env.CF_API_TOKEN;
	if (zoneId && apiToken) {
		const result = await purgeZone(
			{ zoneId, apiToken, fetch: deps.fetch, sleep: deps.sleep },
			{ tags: plan.tags, urls: plan.keys, everything },
		);
		report.zone = { status: result.ok ? "ok" : "failed", requests: result.requests, errors: result.errors };
		if (!result.ok) console.error("zone purge failed", result.errors);
	}
	return report;
}
