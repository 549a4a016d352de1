// Builds the Markdown renderer (src/lib/markdown.ts with markdown-it) into src/gen/markdown.mjs,
// the Worker's second module. Only admin saves and previews render Markdown; readers get the HTML
// stored at save time, so the module a cold start loads (index.js) leaves markdown-it out and
// src/markdown.ts imports this file with a dynamic import() on first use. wrangler.toml's `rules`
// and `find_additional_modules` make wrangler upload it as a module of its own rather than bundle
// it in (docs/operations.md#bundle-size).
//
// Run by wrangler itself before every `wrangler dev`, `deploy` and `deploy --dry-run` (wrangler.toml
// [build]), and by test/vitest.config.ts before the tests. The output is git-ignored: it is made
// from src/lib and the locked markdown-it, every time. Written only when it changed, so that
// `wrangler dev` (which watches it) reloads only when the renderer did.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
export const RENDERER_OUT = join(root, "src", "gen", "markdown.mjs");

type Esbuild = {
	build: (options: Record<string, unknown>) => Promise<{ outputFiles: { path: string; text: string }[] }>;
};

// The esbuild wrangler bundles the Worker with, so both modules come from the same compiler.
const esbuild = createRequire(join(root, "node_modules", "wrangler", "package.json"))("esbuild") as Esbuild;

/** Builds src/gen/markdown.mjs; true if the file changed. */
export async function buildRenderer(): Promise<boolean> {
	const result = await esbuild.build({
		entryPoints: [join(root, "src", "lib", "markdown.ts")],
		outfile: RENDERER_OUT,
		bundle: true,
		format: "esm",
		// As wrangler builds the Worker: its target, its package conditions, minified (wrangler.toml).
		platform: "neutral",
		target: "es2024",
		conditions: ["workerd", "worker", "browser"],
		mainFields: ["module", "main"],
		minify: true,
		// markdown-it's linkifier, never called (src/lib/linkify-off.ts), as wrangler.toml [alias] does.
		alias: { "linkify-it": join(root, "src", "lib", "linkify-off.ts") },
		// No source map: when it bundles, wrangler uploads the main module's map only (upload_source_maps).
		sourcemap: false,
		legalComments: "none",
		write: false,
		logLevel: "warning",
	});
	mkdirSync(dirname(RENDERER_OUT), { recursive: true });
	let changed = false;
	for (const file of result.outputFiles) {
		let before: string | undefined;
		try {
			before = readFileSync(file.path, "utf8");
		} catch {
			before = undefined;
		}
		if (before === file.text) continue;
		writeFileSync(file.path, file.text);
		changed = true;
	}
	return changed;
}

if (import.meta.main) {
	try {
		const changed = await buildRenderer();
		console.log(`build-renderer: src/gen/markdown.mjs ${changed ? "written" : "unchanged"}`);
	} catch (error) {
		console.error(`build-renderer: ${(error as Error).message}`);
		process.exit(1);
	}
}
