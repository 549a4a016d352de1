import { describe, expect, it } from "vitest";
import { type MergedText, mergeEdits } from "../../../src/admin/services/conflict";

// The three-way merge of an editor's refused save with the save that came first, field by field
// against the version the editor started from.

const BASE: MergedText = {
	title: "Prices rise",
	slug: "prices-rise",
	summary: "Prices rose.",
	bodyMarkdown: "Prices rose.\n",
	region: "china",
	topic: "energy",
	publishedAt: "2026-06-01T12:00",
};

const edit = (changes: Partial<MergedText>): MergedText => ({ ...BASE, ...changes });

describe("mergeEdits", () => {
	it("takes what only they changed, keeps what only the editor changed", () => {
		const current = edit({ title: "Prices rise again", topic: "recycling" });
		const mine = edit({ summary: "Prices rose for a third month.", region: "" });
		const merge = mergeEdits(BASE, current, mine);

		expect(merge.values).toEqual({
			...BASE,
			title: "Prices rise again",
			topic: "recycling",
			summary: "Prices rose for a third month.",
			region: "",
		});
		expect(merge.theirs).toEqual(["title", "topic"]);
		expect(merge.yours).toEqual(["summary", "region"]);
		expect(merge.both).toEqual([]);
	});

	it("keeps the editor's value where both changed a field differently, and lists it", () => {
		const merge = mergeEdits(BASE, edit({ title: "Theirs" }), edit({ title: "Mine" }));
		expect(merge.values.title).toBe("Mine");
		expect(merge.both).toEqual(["title"]);
		expect(merge.theirs).toEqual([]);
		expect(merge.yours).toEqual([]);
	});

	it("lists nowhere a field both changed to the same value", () => {
		const merge = mergeEdits(BASE, edit({ title: "Same" }), edit({ title: "Same" }));
		expect(merge.values.title).toBe("Same");
		expect([merge.theirs, merge.both, merge.yours]).toEqual([[], [], []]);
	});

	it("lists the fields in the form's order, whatever order the objects have", () => {
		const current = edit({ publishedAt: "2026-06-02T00:00", title: "T" });
		const mine = edit({ topic: "recycling", slug: "s" });
		const merge = mergeEdits(BASE, current, mine);
		expect(merge.theirs).toEqual(["title", "publishedAt"]);
		expect(merge.yours).toEqual(["slug", "topic"]);
	});

	it("treats a change of surrounding space as no change, except in the body", () => {
		const current = edit({ title: "Theirs", bodyMarkdown: "Their body.\n" });
		const mine = edit({ title: ` ${BASE.title}  `, bodyMarkdown: `${BASE.bodyMarkdown}\n` });
		const merge = mergeEdits(BASE, current, mine);
		// The title was only re-spaced by the editor: theirs wins. The body's trailing line is a change.
		expect(merge.values.title).toBe("Theirs");
		expect(merge.theirs).toEqual(["title"]);
		expect(merge.values.bodyMarkdown).toBe(`${BASE.bodyMarkdown}\n`);
		expect(merge.both).toEqual(["bodyMarkdown"]);
	});

	it("counts a body that differs only in trailing space as changed by them too", () => {
		const merge = mergeEdits(BASE, edit({ bodyMarkdown: "Prices rose.  \n" }), BASE);
		expect(merge.values.bodyMarkdown).toBe("Prices rose.  \n");
		expect(merge.theirs).toEqual(["bodyMarkdown"]);
	});

	it("reads an empty slug as the stored one, so their new slug wins", () => {
		const merge = mergeEdits(BASE, edit({ slug: "prices-rise-again" }), edit({ slug: "  " }));
		expect(merge.values.slug).toBe("prices-rise-again");
		expect(merge.theirs).toEqual(["slug"]);
		expect(merge.yours).toEqual([]);

		const unchanged = mergeEdits(BASE, BASE, edit({ slug: "" }));
		expect(unchanged.values.slug).toBe(BASE.slug);
		expect([unchanged.theirs, unchanged.both, unchanged.yours]).toEqual([[], [], []]);
	});

	it("keeps the editor's other form values untouched", () => {
		const mine = { ...edit({ title: "Mine" }), status: "published", version: "3" };
		const merge = mergeEdits(BASE, edit({ summary: "Theirs." }), mine);
		expect(merge.values).toEqual({ ...mine, summary: "Theirs." });
		expect(mine.summary).toBe(BASE.summary);
	});
});
