import { beforeEach, describe, expect, it } from "vitest";
import { abortSaveIfStale, updatePage } from "../../../src/db/queries/pages";
import * as schema from "../../../src/db/schema";
import { insertPage, resetDb, testDb } from "../../helpers";

// Page queries (src/db/queries/pages.ts) on their own: the save guard's batch.

beforeEach(resetDb);

describe("the page save guard (query level)", () => {
	it("rolls the save back when the page changed since it was loaded", async () => {
		await insertPage("about", "About", "Text.");
		const db = testDb();
		const values = { title: "New", bodyMarkdown: "New.", bodyHtml: "<p>New.</p>\n", updatedAt: Date.now() };
		await expect(
			db.batch([abortSaveIfStale(db, "about", Date.UTC(2020, 0, 1)), updatePage(db, "about", values)]),
		).rejects.toThrow();
		expect((await db.select().from(schema.pages))[0]?.title).toBe("About");
		await db.batch([abortSaveIfStale(db, "about", Date.UTC(2026, 0, 2)), updatePage(db, "about", values)]);
		expect((await db.select().from(schema.pages))[0]?.title).toBe("New");
	});
});
