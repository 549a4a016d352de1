import type { PurgePlan } from "../../cache/plan";
import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import type { CurrentEditor } from "../../db/schema";

/**
 * What an admin service needs from the request that calls it, and nothing of HTTP: the handlers
 * build it (src/admin/deps.ts), tests build their own.
 */
export type Deps = {
	db: Db;
	/** Who acts: named in the audit log and the revision. */
	editor: CurrentEditor;
	/** The action's time, in ms: every row the action writes carries it. */
	now: number;
	/** SITE_URL's origin, which the purge plan keys cached copies by. */
	siteUrl: string;
	/** Carries out a purge plan (locally, then Workers Cache and the zone where configured). */
	purge: (plan: PurgePlan) => Promise<PurgeReport>;
};
