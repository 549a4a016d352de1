// `npm run test:bundle`: the Worker as wrangler builds it keeps the Markdown renderer out of the
// module a cold start loads, and the renderer module works on its own (docs/operations.md#bundle-size).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import {
	type BundleReport,
	bundleProblems,
	KIB,
	MAIN_MODULE,
	RENDERER_MODULE,
	readBundle,
	TOTAL_LIMIT,
} from "./bundle-size.ts";
import { runWrangler } from "./lib/wrangler.ts";

const dir = mkdtempSync(join(tmpdir(), "samarium-bundle-test-"));
const out = join(dir, "out");
runWrangler(["deploy", "--dry-run", "--outdir", out, "--metafile", join(dir, "meta.json")]);
const report = readBundle(out, join(dir, "meta.json"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

describe("the Worker as wrangler deploy builds it", () => {
	it("is the main module and the renderer module, nothing else", () => {
		assert.deepEqual(
			report.modules.map((m) => m.name),
			[MAIN_MODULE, RENDERER_MODULE],
		);
	});

	it("keeps markdown-it and src/lib/markdown.ts out of the main module", () => {
		assert.ok(
			report.mainParts.some(([part]) => part === "hono"),
			"the metafile names the main module's packages",
		);
		assert.deepEqual(report.rendererInMain, []);
	});

	it("keeps the main module's import of the renderer a runtime import(), by the uploaded module's name", () => {
		const main = readFileSync(join(out, MAIN_MODULE), "utf8");
		assert.match(main, new RegExp(`import\\("\\./${RENDERER_MODULE.replace(".", "\\.")}"\\)`));
	});

	it("ships a renderer module that renders by itself (no import left to resolve)", async () => {
		const renderer = (await import(
			pathToFileURL(join(out, RENDERER_MODULE)).href
		)) as typeof import("../src/lib/markdown.ts");
		assert.equal(
			renderer.renderMarkdown("**bold** [x](javascript:alert(1))"),
			"<p><strong>bold</strong> [x](javascript:alert(1))</p>\n",
		);
		assert.deepEqual(renderer.renderBody("# Title\n\nA [link](https://example.com)."), {
			html: '<h1>Title</h1>\n<p>A <a href="https://example.com" rel="noopener noreferrer">link</a>.</p>\n',
			text: "Title\nA link.",
		});
	});

	it("keeps its budgets", () => {
		assert.deepEqual(bundleProblems(report), []);
	});
});

describe("bundleProblems", () => {
	const main = { name: MAIN_MODULE, bytes: 300 * KIB, gzip: 100 * KIB };
	const renderer = { name: RENDERER_MODULE, bytes: 90 * KIB, gzip: 40 * KIB };
	const fine: BundleReport = {
		modules: [main, renderer],
		mainParts: [["hono", 40 * KIB]],
		rendererInMain: [],
	};

	it("finds nothing wrong in a bundle within its budgets", () => {
		assert.deepEqual(bundleProblems(fine), []);
	});

	it("refuses a main module over 150 KiB gzipped", () => {
		const big = { ...fine, modules: [{ name: MAIN_MODULE, bytes: 0, gzip: 150 * KIB + 1 }, renderer] };
		assert.match(bundleProblems(big).join("\n"), /main module is 150\.0 KiB gzipped, over 150\.0 KiB/);
	});

	it("refuses modules over the total ceiling together", () => {
		const many = { ...fine, modules: [...fine.modules, { name: "gen/other.mjs", bytes: 0, gzip: TOTAL_LIMIT }] };
		assert.match(bundleProblems(many).join("\n"), /all modules are .* over 200\.0 KiB/);
	});

	it("refuses markdown-it in the main module, and a missing renderer module", () => {
		const eager = {
			...fine,
			modules: [main],
			rendererInMain: ["node_modules/markdown-it/lib/index.mjs", "src/lib/markdown.ts"],
		};
		const problems = bundleProblems(eager).join("\n");
		assert.match(problems, /main module contains the Markdown renderer.*markdown-it\/lib\/index\.mjs/);
		assert.match(problems, /no gen\/markdown\.mjs module/);
	});
});
