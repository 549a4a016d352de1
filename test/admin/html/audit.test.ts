import { beforeEach, describe, expect, it } from "vitest";
import * as schema from "../../../src/db/schema";
import { resetDb, testDb } from "../../helpers";
import { adminFetch, expectHtml, seedAuditLog, signedInAdminAndEditor } from "../helpers";

// The audit log's screen.

let admin: schema.Editor;
let adminAuth: { cookie: string };
let _writer: schema.Editor;
let writerAuth: { cookie: string };

beforeEach(async () => {
	await resetDb();
	({
		adminEditor: admin,
		admin: adminAuth,
		editorRow: _writer,
		editor: writerAuth,
	} = await signedInAdminAndEditor("Wren Writer"));
});

describe("the audit log", () => {
	const seedAudit = (count: number) => seedAuditLog(admin, count);

	it("as HTML: a table with filters and an Older link; bad parameters shown on the form", async () => {
		await seedAudit(55);
		const res = await adminFetch("/admin/audit", adminAuth);
		expectHtml(res, 200);
		const html = await res.text();
		expect(html.match(/<tr><td><time/g)).toHaveLength(50);
		expect(html).toContain('<a href="/admin/audit?subject=topic%3Aenergy"><code>topic:energy</code></a>');
		const older = html.match(/href="(\/admin\/audit\?before=\d+)" rel="next"/)?.[1];
		expect(older).toBeTruthy();
		const next = await (await adminFetch((older as string).replace(/&amp;/g, "&"), adminAuth)).text();
		expect(next.match(/<tr><td><time/g)).toHaveLength(5);
		expect(next).not.toContain('rel="next"');

		const filtered = await (await adminFetch("/admin/audit?action=page", adminAuth)).text();
		expect(filtered.match(/<tr><td><time/g)).toHaveLength(27);
		expect(filtered).not.toContain("<code>topic.update</code>");
		expect(filtered).toContain('value="page"');

		const bad = await adminFetch("/admin/audit?action=Bad!", adminAuth);
		expectHtml(bad, 400);
		const badHtml = await bad.text();
		expect(badHtml).toContain('value="Bad!"');
		expect(badHtml).toContain('id="audit-action-error"');
		expectHtml(await adminFetch("/admin/audit", writerAuth), 403);
	});

	it("as HTML: a subject ending in ':' shows every subject of that kind, anything else one subject", async () => {
		const db = testDb();
		const subjects = ["topic:energy", "topic:power", "topics:list", "page:about", "editor:3", "topic:energy"];
		for (const [i, subject] of subjects.entries()) {
			await db.insert(schema.auditLog).values({
				at: Date.UTC(2026, 0, 1) + i * 1000,
				editorId: admin.id,
				editorEmail: admin.email,
				action: `${subject.split(":")[0]}.update`,
				subject,
				detail: "{}",
			});
		}
		const subjectsShown = (html: string) =>
			[...html.matchAll(/<a href="\/admin\/audit\?subject=[^"]+"><code>([^<]+)<\/code>/g)].map((m) => m[1]);

		const kind = await adminFetch("/admin/audit?subject=topic%3A", adminAuth);
		expectHtml(kind, 200);
		const kindHtml = await kind.text();
		expect(subjectsShown(kindHtml)).toEqual(["topic:energy", "topic:power", "topic:energy"]);
		expect(kindHtml).toContain('value="topic:"');
		expect(kindHtml).toContain('placeholder="e.g. topic: for all topics, or editor:3"');

		const one = await (await adminFetch("/admin/audit?subject=topic%3Aenergy", adminAuth)).text();
		expect(subjectsShown(one)).toEqual(["topic:energy", "topic:energy"]);
		const partial = await (await adminFetch("/admin/audit?subject=topic%3Aen", adminAuth)).text();
		expect(subjectsShown(partial)).toEqual([]);
		expect(partial).toContain("No entries match.");
	});
});
