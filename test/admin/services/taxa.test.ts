import { beforeEach, describe, expect, it } from "vitest";
import { getAdminArticle } from "../../../src/admin/services/articles";
import { createTaxon, deleteTaxon, getTaxon, listTaxa, updateTaxon } from "../../../src/admin/services/taxa";
import { freshTaxa, insertArticle, type TestTaxa } from "../../helpers";
import {
	auditRows,
	NOW,
	REPORT,
	refusal,
	refusedWithoutWrites,
	rowCounts,
	serviceDeps,
	type TestDeps,
} from "./helpers";

// Topics and regions through their service: each change with its audit entry, and refused
// (writing nothing) when a slug is taken or an article still uses the one to delete.

const key = (path: string) => `https://samarium.test${path}`;

let taxa: TestTaxa;
let deps: TestDeps;

beforeEach(async () => {
	taxa = await freshTaxa();
	deps = await serviceDeps("editor");
});

describe("createTaxon", () => {
	it("creates a topic with its audit entry, and purges its list page and the lists of topics", async () => {
		const { taxon, purge } = await createTaxon(deps, "topic", { slug: " lithium ", name: " Lithium " });
		expect(taxon).toEqual({
			id: expect.any(Number),
			slug: "lithium",
			name: "Lithium",
			description: "",
			articleCount: 0,
		});
		expect(await getTaxon(deps.db, "topic", "lithium")).toEqual(taxon);
		expect((await auditRows()).at(-1)).toMatchObject({
			at: NOW,
			editorId: deps.editor.id,
			action: "topic.create",
			subject: "topic:lithium",
			detail: { name: "Lithium" },
		});
		expect(purge).toBe(REPORT);
		const [plan] = deps.plans;
		expect(plan?.tags).toEqual(expect.arrayContaining(["topic:lithium", "list:topic:lithium", "taxa", "sitemap"]));
		expect(plan?.keys).toEqual(expect.arrayContaining([key("/topics/lithium"), key("/api/topics")]));
	});

	it("refuses a bad slug and name with a message each, and a slug in use with a 409", async () => {
		const bad = await refusedWithoutWrites(deps, 400, () => createTaxon(deps, "region", { slug: "Not A Slug" }));
		expect(bad.fields).toEqual({
			slug: "Use lowercase letters, digits and single hyphens, at most 120 characters.",
			name: "Required.",
		});
		const taken = await refusedWithoutWrites(deps, 409, () =>
			createTaxon(deps, "region", { slug: "china", name: "PRC" }),
		);
		expect(taken.message).toBe('Another region already has the slug "china".');
		expect(taken.fields).toEqual({ slug: '"china" is taken; choose another.' });
	});
});

describe("updateTaxon", () => {
	it("renames a topic: its articles follow, and both slugs are purged", async () => {
		const article = await insertArticle({ topicId: taxa.topic.energy });
		const { taxon } = await updateTaxon(deps, "topic", "energy", { slug: "power", name: "Power" });

		expect(taxon).toEqual({ id: taxa.topic.energy, slug: "power", name: "Power", description: "", articleCount: 1 });
		expect((await getAdminArticle(deps.db, article.id))?.topic).toEqual({ slug: "power", name: "Power" });
		expect((await auditRows()).at(-1)).toMatchObject({
			action: "topic.update",
			subject: "topic:power",
			detail: { from: { slug: "energy", name: "Energy" }, to: { slug: "power", name: "Power" } },
		});
		expect(deps.plans.at(-1)?.tags).toEqual(
			expect.arrayContaining(["topic:energy", "list:topic:energy", "topic:power", "list:topic:power"]),
		);
	});

	it("keeps what is left out, and changes nothing (purge null) when nothing differs", async () => {
		const { taxon } = await updateTaxon(deps, "region", "china", { name: "China (PRC)" });
		expect(taxon).toMatchObject({ slug: "china", name: "China (PRC)" });

		const before = await rowCounts();
		const same = await updateTaxon(deps, "region", "china", { slug: "china", name: " China (PRC) " });
		expect(same.purge).toBeNull();
		expect(await rowCounts()).toEqual(before);
		expect(deps.plans).toHaveLength(1);
	});

	it("refuses a slug another one has with a 409, and an unknown one with a 404", async () => {
		await refusedWithoutWrites(deps, 409, () => updateTaxon(deps, "topic", "energy", { slug: "recycling" }));
		const missing = await refusedWithoutWrites(deps, 404, () => updateTaxon(deps, "topic", "atlantis", { name: "A" }));
		expect(missing.message).toBe('There is no topic "atlantis".');
	});
});

describe("deleteTaxon", () => {
	it("refuses one in use, by drafts and trash too, with a 409 that counts them, and writes nothing", async () => {
		await insertArticle({ topicId: taxa.topic.energy, status: "draft", publishedAt: null });
		const one = await refusedWithoutWrites(deps, 409, () => deleteTaxon(deps, "topic", "energy"));
		expect(one.message).toBe(
			"1 article uses this topic (drafts and trash included). Give it another topic first: deleting never changes an article.",
		);

		await insertArticle({ topicId: taxa.topic.energy, deletedAt: NOW });
		const two = await refusedWithoutWrites(deps, 409, () => deleteTaxon(deps, "topic", "energy"));
		expect(two.message).toMatch(/^2 articles use this topic .* Give them another topic first/);
	});

	it("deletes one no article uses, with its audit entry, and purges what showed it", async () => {
		const { taxon, purge } = await deleteTaxon(deps, "region", "global");
		expect(taxon).toEqual({ id: taxa.region.global, slug: "global", name: "Global", description: "", articleCount: 0 });
		expect(purge).toBe(REPORT);
		expect((await listTaxa(deps.db, "region")).map((t) => t.slug).sort()).toEqual(["china", "united-states"]);
		expect((await auditRows()).at(-1)).toMatchObject({
			action: "region.delete",
			subject: "region:global",
			detail: { name: "Global" },
		});
		expect(deps.plans.at(-1)?.keys).toEqual(expect.arrayContaining([key("/regions/global"), key("/api/regions")]));
		expect((await refusal(getTaxon(deps.db, "region", "global"))).status).toBe(404);
	});
});
