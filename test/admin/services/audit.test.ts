import { beforeEach, describe, expect, it } from "vitest";
import { AUDIT_PAGE_SIZE } from "../../../src/admin/limits";
import { readAudit } from "../../../src/admin/services/audit";
import { recordAudit } from "../../../src/db/queries/audit";
import { resetDb, testDb } from "../../helpers";
import { NOW, refusal } from "./helpers";

// The audit log as editors read it: newest first, by action (a kind, or one action) and subject.

beforeEach(resetDb);

async function log(...entries: [action: string, subject: string][]) {
	for (const [i, [action, subject]] of entries.entries()) {
		await recordAudit(testDb(), { actor: { id: null, email: "x@samarium.test" }, action, subject, at: NOW + i });
	}
}

const read = async (input: Parameters<typeof readAudit>[1]) =>
	(await readAudit(testDb(), input)).entries.map((e) => `${e.action} ${e.subject}`);

describe("readAudit", () => {
	beforeEach(() =>
		log(
			["topic.create", "topic:energy"],
			["topics.create", "topics:x"],
			["topical.note", "topical:x"],
			["topic_x.create", "topic_x:y"],
			["topic", "topic:energy"],
			["topic.delete", "topic:energy-storage"],
			["region.create", "region:china"],
		),
	);

	it("lists everything newest first", async () => {
		expect(await read({})).toHaveLength(7);
		expect((await read({}))[0]).toBe("region.create region:china");
	});

	it("takes an action kind as itself and every action under it, no other kind that starts alike", async () => {
		expect(await read({ action: "topic" })).toEqual([
			"topic.delete topic:energy-storage",
			"topic topic:energy",
			"topic.create topic:energy",
		]);
		expect(await read({ action: " topic.create " })).toEqual(["topic.create topic:energy"]);
		expect(await read({ action: "topic_x" })).toEqual(["topic_x.create topic_x:y"]);
	});

	it("takes a subject exactly, or with a trailing colon every subject of that kind", async () => {
		expect(await read({ subject: "topic:energy" })).toEqual(["topic topic:energy", "topic.create topic:energy"]);
		expect(await read({ subject: "topic:" })).toEqual([
			"topic.delete topic:energy-storage",
			"topic topic:energy",
			"topic.create topic:energy",
		]);
		expect(await read({ subject: "topic:", action: "topic.create" })).toEqual(["topic.create topic:energy"]);
	});

	it("echoes the query as applied: trimmed, and empty as none", async () => {
		expect((await readAudit(testDb(), { action: " topic ", subject: "" })).query).toEqual({
			action: "topic",
			subject: undefined,
		});
	});

	it("refuses a malformed action, subject or position with a 400 naming each", async () => {
		const error = await refusal(readAudit(testDb(), { action: "Topic%", subject: "x".repeat(201), before: "1e3" }));
		expect(error).toMatchObject({ status: 400, message: "The query parameters are not valid." });
		expect(error.fields).toEqual({
			action: 'Lowercase letters, digits, dots and hyphens, e.g. "topic" or "article.update".',
			subject: "At most 200 characters.",
			before: "Not a position this log issued; use nextBefore from a previous page.",
		});
	});
});

describe("readAudit's pages", () => {
	it("pages by AUDIT_PAGE_SIZE, continuing below nextBefore", async () => {
		await log(
			...Array.from({ length: AUDIT_PAGE_SIZE + 1 }, (_, i): [string, string] => ["page.update", `page:p${i}`]),
		);
		const first = await readAudit(testDb(), {});
		expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
		expect(first.entries[0]?.subject).toBe(`page:p${AUDIT_PAGE_SIZE}`);
		expect(first.nextBefore).toBe(first.entries.at(-1)?.id);

		const second = await readAudit(testDb(), { before: String(first.nextBefore) });
		expect(second.entries.map((e) => e.subject)).toEqual(["page:p0"]);
		expect(second.nextBefore).toBeNull();
	});
});
