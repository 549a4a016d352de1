import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildRenderer } from "../scripts/build-renderer.ts";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig(async () => {
	const migrations = await readD1Migrations(path.join(root, "migrations"));
	// The Markdown renderer module that admin saves import (src/markdown.ts), as wrangler.toml's
	// [build] makes it before a deploy: the tests load the same file, built from the current source.
	await buildRenderer();
	return {
		root,
		plugins: [
			cloudflareTest({
				wrangler: { configPath: path.join(root, "wrangler.toml") },
				miniflare: {
					// Test-only bindings: the migrations for the setup file, and a site origin that
					// differs from any Host a test sends, so absolute URLs prove they come from config.
					bindings: { TEST_MIGRATIONS: migrations, SITE_URL: "https://samarium.test", CF_API_TOKEN: "" },
				},
			}),
		],
		// The same module graph as the deployed Worker (wrangler.toml [alias]).
		resolve: { alias: { "linkify-it": path.join(root, "src/lib/linkify-off.ts") } },
		test: {
			include: ["test/**/*.test.{ts,tsx}"],
			setupFiles: ["test/setup.ts"],
		},
	};
});
