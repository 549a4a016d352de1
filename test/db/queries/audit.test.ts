import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type AuditQuery, listAudit, recordAudit } from "../../../src/db/queries/audit";
import { countingD1, resetDb, testDb } from "../../helpers";

const db = testDb();
const actor = { id: null, email: "ines@samarium.test" };

async function record(action: string, subject: string) {
	await recordAudit(db, { actor, action, subject, at: Date.now() });
}

beforeEach(async () => {
	await resetDb();
	await record("topic.create", "topic:energy");
	await record("topic.update", "topic:energy");
	await record("topic.create", "topic:mining");
	await record("region.create", "region:china");
	// "topics:" sorts right after "topic:" plus any text; the prefix range must stop short of it.
	await record("tag.create", "topics:legacy");
	await record("topic.delete", "topic:mining");
});

const subjects = async (query: Omit<AuditQuery, "limit">, limit = 50) =>
	(await listAudit(db, { limit, ...query })).items.map((e) => `${e.action} ${e.subject}`);

describe("listAudit", () => {
	it("lists newest first", async () => {
		expect(await subjects({})).toEqual([
			"topic.delete topic:mining",
			"tag.create topics:legacy",
			"region.create region:china",
			"topic.create topic:mining",
			"topic.update topic:energy",
			"topic.create topic:energy",
		]);
	});

	it("filters by one subject exactly", async () => {
		expect(await subjects({ subject: "topic:energy" })).toEqual([
			"topic.update topic:energy",
			"topic.create topic:energy",
		]);
		expect(await subjects({ subject: "topic:" + "ener" })).toEqual([]);
	});

	it("filters by a kind of subject when the filter ends in a colon", async () => {
		expect(await subjects({ subject: "topic:" })).toEqual([
			"topic.delete topic:mining",
			"topic.create topic:mining",
			"topic.update topic:energy",
			"topic.create topic:energy",
		]);
	});

	it("filters by an exact action or a kind of action", async () => {
		expect(await subjects({ action: "topic.create" })).toEqual([
			"topic.create topic:mining",
			"topic.create topic:energy",
		]);
		expect(await subjects({ action: "topic" })).toHaveLength(4);
		expect(await subjects({ action: "top" })).toEqual([]);
	});

	it("pages by id without repeating or skipping an entry", async () => {
		const first = await listAudit(db, { limit: 4 });
		expect(first.items).toHaveLength(4);
		expect(first.nextBefore).toBe(first.items[3]?.id);
		const second = await listAudit(db, { limit: 4, before: first.nextBefore ?? 0 });
		expect(second.items).toHaveLength(2);
		expect(second.nextBefore).toBeNull();
		const ids = [...first.items, ...second.items].map((e) => e.id);
		expect(new Set(ids).size).toBe(6);
	});

	it.each([
		["the whole log", {}],
		["one subject", { subject: "topic:energy" }],
		["a later page of one subject", { subject: "topic:energy", before: 1_000_000 }],
	])("reads %s in index order, with no sort step", async (_name, query) => {
		const recorder = countingD1(env.DB);
		await listAudit(testDb(recorder.db), { limit: 20, ...query });
		for (const q of recorder.queries) {
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
				.bind(...q.params)
				.all<{ detail: string }>();
			const plan = results.map((r) => r.detail).join("\n");
			expect(plan).not.toContain("TEMP B-TREE");
			if ("subject" in query) expect(plan).toContain("USING INDEX audit_log_subject_idx");
		}
	});

	it("reads a kind of subject as a range on the subject index", async () => {
		const recorder = countingD1(env.DB);
		await listAudit(testDb(recorder.db), { limit: 20, subject: "topic:" });
		const q = recorder.queries[0];
		if (!q) throw new Error("no query recorded");
		const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
			.bind(...q.params)
			.all<{ detail: string }>();
		expect(results.map((r) => r.detail).join("\n")).toMatch(
			/USING INDEX audit_log_subject_idx \(subject>\? AND subject<\?\)/,
		);
	});
});
