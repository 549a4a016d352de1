import type { Context } from "hono";
import { type ContentChange, planPurge } from "../../cache/plan";
import { applyPurge, mergePlans, type PurgeReport } from "../../cache/purge";
import type { AppEnv } from "../../types";

/**
 * Purges everything the given changes show on, through the edge cache's plan and transports, and
 * returns what was done for the editor to see. Call it after the change is stored, never before:
 * a reader who arrives in between must not re-cache the old copy.
 */
export function purgeChanges(c: Context<AppEnv>, changes: ContentChange[]): Promise<PurgeReport> {
	const plan = mergePlans(changes.map((change) => planPurge(c.var.siteUrl, change)));
	// Hono types its own narrower ExecutionContext; at runtime it is the Worker's.
	return applyPurge(plan, c.env, c.executionCtx as ExecutionContext);
}

/** True when some part of the purge (here, Workers Cache, the zone) did not go through. */
export function purgeFailed(report: PurgeReport): boolean {
	return !report.local.ok || report.workersCache.status === "failed" || report.zone.status === "failed";
}

/** One line for a person: how many copies went, and whether the global purge worked. */
export function describePurge(report: PurgeReport): string {
	const parts = [
		report.everything
			? "every cached copy of the site cleared here"
			: `${report.local.deleted} cached ${report.local.deleted === 1 ? "copy" : "copies"} cleared here`,
	];
	if (!report.local.ok) parts.push(`local purge failed (${report.local.error ?? "unknown error"})`);
	const global = [
		report.workersCache.status !== "skipped" ? `Workers Cache ${report.workersCache.status}` : null,
		report.zone.status !== "skipped" ? `zone purge ${report.zone.status}` : null,
	].filter((part) => part !== null);
	parts.push(global.length > 0 ? global.join(", ") : "no global purge configured");
	return `${parts.join("; ")}.`;
}
