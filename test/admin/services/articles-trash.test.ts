import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
	type ArticleDraft,
	createArticle,
	destroyArticle,
	getAdminArticle,
	listRevisions,
	restoreArticle,
	restoreRevision,
	trashArticle,
	updateArticle,
	VERSION_MESSAGE,
	VersionConflict,
} from "../../../src/admin/services/articles";
import { freshTaxa } from "../../helpers";
import {
	at,
	auditRows,
	HOUR,
	NOW,
	REPORT,
	refusedWithoutWrites,
	rowCounts,
	serviceDeps,
	type TestDeps,
} from "./helpers";

// The article service's trash, permanent deletion and revisions, called directly.

const BASE: ArticleDraft = {
	title: "Magnet plant opens",
	summary: "A new plant opened.",
	bodyMarkdown: "It opened.",
	slug: "magnet-plant",
	topic: "energy",
	region: "china",
};
const LIST_TAGS = ["list:home", "feed", "sitemap", "list:topic:energy", "list:region:china"];

let deps: TestDeps;
const later = (hours = 1) => at(deps, NOW + hours * HOUR);

beforeEach(async () => {
	await freshTaxa();
	deps = await serviceDeps("editor");
});

describe("trashArticle and restoreArticle", () => {
	it("moves a published article to the trash and back, each a new version that purges the lists", async () => {
		const { article } = await createArticle(deps, { ...BASE, status: "published" });

		const trashed = await trashArticle(later(), article.id);
		expect(trashed.article).toMatchObject({ deletedAt: NOW + HOUR, version: 2, status: "published" });
		expect(trashed.purge).toBe(REPORT);
		expect(deps.plans.at(-1)?.tags).toEqual(expect.arrayContaining(["article:magnet-plant", ...LIST_TAGS]));

		const restored = await restoreArticle(later(2), article.id, 2);
		expect(restored.article).toMatchObject({ deletedAt: null, version: 3, updatedAt: NOW + 2 * HOUR });
		expect(deps.plans.at(-1)?.tags).toEqual(expect.arrayContaining(["article:magnet-plant", ...LIST_TAGS]));

		expect((await auditRows()).map((e) => [e.action, e.detail.fromVersion, e.detail.changed])).toEqual([
			["article.create", undefined, undefined],
			["article.trash", 1, ["deletedAt"]],
			["article.restore", 2, ["deletedAt"]],
		]);
		expect((await rowCounts()).article_revisions).toBe(3);
	});

	it("refuses to trash an article already in the trash, or to restore one that is not, and writes nothing", async () => {
		const { article } = await createArticle(deps, BASE);
		const notIn = await refusedWithoutWrites(deps, 409, () => restoreArticle(later(), article.id));
		expect(notIn.message).toBe("This article is not in the trash.");

		await trashArticle(later(), article.id, 1);
		const already = await refusedWithoutWrites(deps, 409, () => trashArticle(later(2), article.id));
		expect(already.message).toBe("This article is already in the trash.");
		// Based on an older version, the answer says it changed meanwhile rather than "already".
		const stale = await refusedWithoutWrites(deps, 409, () => trashArticle(later(2), article.id, 1));
		expect(stale).toBeInstanceOf(VersionConflict);
	});

	it("refuses a stale or malformed version", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, { title: "Retitled", version: 1 });
		const stale = await refusedWithoutWrites(deps, 409, () => trashArticle(later(2), article.id, 1));
		expect((stale as VersionConflict).current.version).toBe(2);
		const malformed = await refusedWithoutWrites(deps, 400, () => trashArticle(later(2), article.id, 0));
		expect(malformed.fields).toEqual({ version: VERSION_MESSAGE });
	});
});

describe("destroyArticle", () => {
	it("refuses an editor who is not an admin with a 403, before looking at the article", async () => {
		const { article } = await createArticle(deps, BASE);
		await trashArticle(later(), article.id);
		for (const id of [article.id, 999_999]) {
			const error = await refusedWithoutWrites(deps, 403, () => destroyArticle(deps, id));
			expect(error.message).toBe("Only an admin can delete an article permanently.");
		}
	});

	it("deletes only from the trash: 409 otherwise, 404 for no article", async () => {
		const admin = await serviceDeps("admin");
		const { article } = await createArticle(deps, BASE);
		const error = await refusedWithoutWrites(admin, 409, () => destroyArticle(admin, article.id));
		expect(error.message).toBe("Only an article in the trash can be deleted permanently. Move it to the trash first.");
		await refusedWithoutWrites(admin, 404, () => destroyArticle(admin, 999_999));
	});

	it("deletes the article with its revisions and redirects; the audit log keeps what it was", async () => {
		const admin = await serviceDeps("admin");
		const { article } = await createArticle(deps, { ...BASE, status: "published" });
		await updateArticle(later(), article.id, { slug: "magnet-plant-opens", version: 1 });
		await trashArticle(later(2), article.id);
		expect(await rowCounts()).toMatchObject({ articles: 1, article_revisions: 3, slug_redirects: 1, audit_log: 3 });

		const { article: gone, purge } = await destroyArticle(at(admin, NOW + 3 * HOUR), article.id);
		expect(gone).toMatchObject({ id: article.id, slug: "magnet-plant-opens", retiredSlugs: ["magnet-plant"] });
		expect(purge).toBe(REPORT);
		expect(await getAdminArticle(deps.db, article.id)).toBeNull();
		expect(await rowCounts()).toMatchObject({ articles: 0, article_revisions: 0, slug_redirects: 0, audit_log: 4 });
		expect((await auditRows()).at(-1)).toMatchObject({
			at: NOW + 3 * HOUR,
			editorId: admin.editor.id,
			action: "article.destroy",
			subject: `article:${article.id}`,
			detail: {
				title: BASE.title,
				slug: "magnet-plant-opens",
				retiredSlugs: ["magnet-plant"],
				fromVersion: 3,
			},
		});
		// In the trash it was already gone for readers (its trashing purged it): nothing more to purge.
		expect(admin.plans).toEqual([{ keys: [], tags: [] }]);
	});
});

describe("restoreRevision", () => {
	it("saves an earlier revision's content as a new version; status, time and trash stay", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, {
			title: "Second title",
			slug: "second",
			topic: "",
			status: "published",
			version: 1,
		});

		const { article: reverted, purge } = await restoreRevision(later(2), article.id, 1);
		expect(reverted).toMatchObject({
			title: BASE.title,
			slug: "magnet-plant",
			topic: { slug: "energy" },
			// From version 2, not version 1's draft.
			status: "published",
			publishedAt: NOW + HOUR,
			version: 3,
			// Published as "second": that address now redirects here.
			retiredSlugs: ["second"],
		});
		expect(purge).toBe(REPORT);
		expect((await auditRows()).at(-1)).toMatchObject({
			action: "article.revert",
			detail: { fromVersion: 2, toVersion: 3, restoredVersion: 1, previousSlug: "second" },
		});
		expect((await listRevisions(deps.db, article.id)).map((r) => r.version)).toEqual([3, 2, 1]);
	});

	it("leaves out a topic deleted since the revision was saved", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, { topic: "", version: 1 });
		await env.DB.prepare("DELETE FROM topics WHERE slug = 'energy'").run();

		const { article: reverted } = await restoreRevision(later(2), article.id, 1);
		expect(reverted).toMatchObject({ version: 3, topic: null, region: { slug: "china" } });
	});

	it("answers 404 for a revision the article does not have, 409 for a stale base version", async () => {
		const { article } = await createArticle(deps, BASE);
		await updateArticle(later(), article.id, { title: "Second", version: 1 });
		for (const version of [0, 3, 1.5]) {
			const error = await refusedWithoutWrites(deps, 404, () => restoreRevision(later(2), article.id, version));
			expect(error.message).toBe("This article has no such revision.");
		}
		await refusedWithoutWrites(deps, 404, () => restoreRevision(later(2), 999_999, 1));
		const stale = await refusedWithoutWrites(deps, 409, () => restoreRevision(later(2), article.id, 1, 1));
		expect(stale).toBeInstanceOf(VersionConflict);
	});
});
