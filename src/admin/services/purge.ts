import { type ArticleFacts, type ContentChange, planPurge } from "../../cache/plan";
import { mergePlans, type PurgeReport } from "../../cache/purge";
import { findAdminArticleBySlug, toAdminArticle } from "../../db/queries/article-writes";
import { recordAudit } from "../../db/queries/audit";
import { isSlug } from "../../lib/slugs";
import { PURGE_SLUGS_MAX } from "../limits";
import { type Fields, invalid } from "../validation";
import { factsOf } from "./article-state";
import type { Deps } from "./deps";

// The one purge service: a change becomes a plan (src/cache/plan.ts), the plan is applied
// (deps.purge), an editor's own purge is logged, and the report is put in words for the editor.

/**
 * Purges everything the given changes show on and returns what was done. Call it after the
 * change is stored, never before: a reader who arrives in between must not re-cache the old copy.
 */
export function purgeChanges(deps: Pick<Deps, "siteUrl" | "purge">, changes: ContentChange[]): Promise<PurgeReport> {
	return deps.purge(mergePlans(changes.map((change) => planPurge(deps.siteUrl, change))));
}

export type PurgeInput = { slugs?: unknown; all?: unknown };

/**
 * A purge an editor asked for, beyond those every save makes: what readers see of the given
 * article slugs (their pages, and for a live article the lists, feed and Related Articles that show
 * it), or with `all` every cached copy of the site. Carried out, then logged with what was asked
 * and what it did: the entry comes after the purge because its outcome (a global purge that
 * failed) is what someone reading the log later needs, and nothing is left to roll back.
 */
export async function requestPurge(deps: Deps, input: PurgeInput): Promise<PurgeReport> {
	const asked = parsePurgeInput(input);
	const report =
		asked === "everything"
			? await deps.purge({ keys: [], tags: [], everything: true })
			: await purgeChanges(deps, await slugChanges(deps, asked));
	await recordAudit(deps.db, {
		actor: { id: deps.editor.id, email: deps.editor.email },
		action: "purge",
		subject: asked === "everything" ? "site" : "articles",
		detail: {
			...(asked === "everything" ? { everything: true } : { slugs: asked }),
			...(report.everything ? {} : { keys: report.keys.length, tags: report.tags.length }),
			cleared: report.local.deleted,
			local: report.local.ok ? "ok" : `failed (${report.local.error ?? "unknown error"})`,
			workersCache: report.workersCache.status,
			zone: report.zone.status,
		},
		at: deps.now,
	});
	return report;
}

/** "everything", or the distinct slugs asked for; a 400 naming the problem otherwise. */
function parsePurgeInput({ slugs, all }: PurgeInput): "everything" | string[] {
	const fields: Fields = {};
	if (all !== undefined && all !== true && all !== false) fields.all = "Must be true, or left out.";
	let list: string[] = [];
	if (slugs !== undefined) {
		if (!Array.isArray(slugs) || slugs.some((slug) => typeof slug !== "string")) {
			fields.slugs = "Must be a list of article slugs.";
		} else if (slugs.length > PURGE_SLUGS_MAX) {
			fields.slugs = `At most ${PURGE_SLUGS_MAX} slugs at a time (this is ${slugs.length}); purge everything instead.`;
		} else {
			list = [...new Set(slugs.map((slug: string) => slug.trim()))];
			const bad = list.filter((slug) => !isSlug(slug));
			if (bad.length > 0) fields.slugs = `Not slugs: ${bad.map((slug) => JSON.stringify(slug)).join(", ")}.`;
		}
	}
	if (Object.keys(fields).length === 0 && all !== true && list.length === 0) {
		fields.slugs = "Name at least one article slug, or send all: true.";
	}
	if (Object.keys(fields).length > 0) throw invalid(fields);
	return all === true ? "everything" : list;
}

/** Each slug as an explicit purge of the article that has it (or of its cached 404 or 301). */
async function slugChanges(deps: Deps, slugs: string[]): Promise<ContentChange[]> {
	const { db, now } = deps;
	const rows = await db.batch(
		slugs.map((slug) => findAdminArticleBySlug(db, slug)) as [
			ReturnType<typeof findAdminArticleBySlug>,
			...ReturnType<typeof findAdminArticleBySlug>[],
		],
	);
	return slugs.map((slug, i) => {
		const row = rows[i]?.[0];
		const article: ArticleFacts = row
			? factsOf(toAdminArticle(row), now)
			: { slug, topic: null, region: null, live: false, publishedAt: null };
		return { kind: "purge", article };
	});
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
