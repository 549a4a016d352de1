import { describe, expect, it } from "vitest";
import { fetchApp } from "../../helpers";
import { adminFetch, flashOf, redirectTarget } from "../helpers";
import {
	admin,
	createViaForm,
	editForm,
	editor,
	page,
	post,
	stored,
	useArticleScreensFixture,
} from "./article-helpers";

// The admin's article screens for the trash and for revisions, driven as a browser without
// script would: trash, restore, delete for good, and restoring a revision.

useArticleScreensFixture();

describe("trash, restore and permanent delete", () => {
	it("moves to the trash and restores", async () => {
		const { id } = await createViaForm({ intent: "publish" });
		const trash = await post(`/admin/articles/${id}/trash`, { version: String((await stored(id))?.version) });
		expect(trash.status).toBe(303);
		expect(redirectTarget(trash).path).toBe(`/admin/articles/${id}`);
		expect((await stored(id))?.deletedAt).not.toBeNull();
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(404);

		const html = await page(redirectTarget(trash).location);
		expect(flashOf(html)?.text).toMatch(/^Moved to the trash \(version \d+\)\. Cache: /);
		expect(html).toMatch(/badge-trash">In trash</);
		expect(html).toContain(`action="/admin/articles/${id}/restore"`);
		expect(html).toContain(`href="/admin/articles/${id}/delete"`);

		const restore = await post(`/admin/articles/${id}/restore`, { version: String((await stored(id))?.version) });
		expect(restore.status).toBe(303);
		const restored = redirectTarget(restore);
		expect(restored.path).toBe(`/admin/articles/${id}`);
		expect(flashOf(await page(restored.location))?.text).toMatch(/^Restored from the trash \(version \d+\)\. /);
		expect((await stored(id))?.deletedAt).toBeNull();
		expect((await fetchApp("/articles/rare-earth-magnet-plant-opens")).status).toBe(200);
	});

	it("lets an admin delete from the trash after a confirmation page", async () => {
		const { id } = await createViaForm();
		await post(`/admin/articles/${id}/trash`, { version: "1" });
		const confirm = await page(`/admin/articles/${id}/delete`);
		expect(confirm).toContain("Delete permanently?");
		expect(confirm).toContain(`action="/admin/articles/${id}/delete"`);
		expect(await stored(id)).toBeDefined();

		const res = await post(`/admin/articles/${id}/delete`, {});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(/^\/admin\?flash=/);
		expect(await stored(id)).toBeUndefined();
		const list = await page(res.headers.get("location") as string);
		expect(list).toContain("Deleted permanently.");
	});

	it("refuses a permanent delete to an editor (403) and outside the trash (409)", async () => {
		const { id } = await createViaForm();
		const notTrashed = await post(`/admin/articles/${id}/delete`, {});
		expect(notTrashed.status).toBe(409);
		await post(`/admin/articles/${id}/trash`, { version: "1" });

		const html = await page(`/admin/articles/${id}`, editor);
		expect(html).toContain("Only an admin can delete it permanently.");
		expect(html).not.toContain(`href="/admin/articles/${id}/delete"`);
		expect((await adminFetch(`/admin/articles/${id}/delete`, editor)).status).toBe(403);
		const res = await post(`/admin/articles/${id}/delete`, {}, editor);
		expect(res.status).toBe(403);
		expect(await stored(id)).toBeDefined();
	});
});

describe("revisions", () => {
	it("lists revisions, shows a diff against the current text, and restores one", async () => {
		const { id } = await createViaForm({ title: "First title", bodyMarkdown: "Alpha.\n\nBeta." });
		await post(
			`/admin/articles/${id}`,
			await editForm(id, { title: "Second title", bodyMarkdown: "Alpha.\n\nGamma." }),
			editor,
		);
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Third title" }));

		const list = await page(`/admin/articles/${id}/revisions`);
		for (const version of [1, 2, 3]) expect(list).toContain(`href="/admin/articles/${id}/revisions/${version}"`);
		expect(list.indexOf(`revisions/3"`)).toBeLessThan(list.indexOf(`revisions/1"`));
		expect(list).toContain("Eddie Editor");
		expect(list).toContain("Ada Admin");
		expect(list).toContain("Second title");

		const diff = await page(`/admin/articles/${id}/revisions/1`);
		expect(diff).toMatch(/<del class="diff-line diff-del">.*First title<\/del>/);
		expect(diff).toMatch(/<ins class="diff-line diff-add">.*Third title<\/ins>/);
		expect(diff).toMatch(/<del class="diff-line diff-del">.*Beta\.<\/del>/);
		expect(diff).toMatch(/<ins class="diff-line diff-add">.*Gamma\.<\/ins>/);
		expect(diff).toContain('name="version" value="3"');

		const res = await post(`/admin/articles/${id}/revisions/1/restore`, { version: "3" });
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toMatch(new RegExp(`^/admin/articles/${id}\\?flash=`));
		const row = await stored(id);
		expect(row).toMatchObject({ title: "First title", bodyMarkdown: "Alpha.\n\nBeta.", version: 4 });
		expect(await page(res.headers.get("location") as string)).toContain("Earlier version restored (version 4)");
	});

	it("says on the restore form when restoring changes the article's address", async () => {
		const { id } = await createViaForm({ title: "First title", intent: "publish" });
		await post(`/admin/articles/${id}`, await editForm(id, { slug: "second-slug" }));
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Third title" }));

		const moving = await page(`/admin/articles/${id}/revisions/1`);
		expect(moving).toContain(
			"<strong>Restoring also changes the address, from /articles/second-slug to /articles/first-title.</strong> /articles/second-slug will redirect to the restored address.",
		);
		expect(moving).toContain('aria-describedby="restore-note restore-address"');
		// Version 2 already had the current slug.
		expect(await page(`/admin/articles/${id}/revisions/2`)).not.toContain("changes the address");

		expect((await post(`/admin/articles/${id}/revisions/1/restore`, { version: "3" })).status).toBe(303);
		const old = await fetchApp("/articles/second-slug", { redirect: "manual" });
		expect(old.status).toBe(301);
		expect(old.headers.get("location")).toMatch(/\/articles\/first-title$/);

		// A draft never published has no address anyone knows: nothing will redirect.
		const { id: draft } = await createViaForm({ title: "Draft one" });
		await post(`/admin/articles/${draft}`, await editForm(draft, { slug: "draft-two" }));
		expect(await page(`/admin/articles/${draft}/revisions/1`)).toContain(
			"from /articles/draft-two to /articles/draft-one.</strong> It has never been published, so no redirect is kept.",
		);
	});

	it("refuses a restore based on an old version (409) and an unknown revision (404)", async () => {
		const { id } = await createViaForm({ title: "First title" });
		await post(`/admin/articles/${id}`, await editForm(id, { title: "Second title" }));
		const stale = await post(`/admin/articles/${id}/revisions/1/restore`, { version: "1" });
		expect(stale.status).toBe(409);
		expect(await stale.text()).toContain("Not restored");
		expect((await stored(id))?.title).toBe("Second title");
		expect((await adminFetch(`/admin/articles/${id}/revisions/99`, admin)).status).toBe(404);
	});
});
