// `npm run bundle`: the Worker as `wrangler deploy` would upload it (`--dry-run --outdir`), module by
// module, gzipped, against the budgets of docs/operations.md#bundle-size. A cold start loads the
// main module (index.js): at most 150 KiB gzipped, and none of the Markdown renderer in it (only
// admin saves and previews import gen/markdown.mjs). All modules together, what is uploaded: at most
// 200 KiB gzipped. Prints a table and the main module's largest parts; exits 1 on any breach.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { runWrangler } from "./lib/wrangler.ts";

export const KIB = 1024;
/** What a cold start loads: the main module, gzipped. */
export const MAIN_LIMIT = 150 * KIB;
/** Every module wrangler uploads, each gzipped, summed. */
export const TOTAL_LIMIT = 200 * KIB;
export const MAIN_MODULE = "index.js";
export const RENDERER_MODULE = "gen/markdown.mjs";
/** The renderer's code, which the main module must not contain: markdown-it and what it brings. */
export const RENDERER_INPUTS =
	/^(?:node_modules\/(?:markdown-it|entities|mdurl|uc\.micro|punycode\.js|linkify-it)\/|src\/lib\/(?:markdown|linkify-off)\.ts$)/;

export type Module = { name: string; bytes: number; gzip: number };
export type BundleReport = {
	/** The main module first. */
	modules: Module[];
	/** Bytes of the main module per package (or src/ folder), from esbuild's metafile, largest first. */
	mainParts: [string, number][];
	/** The main module's inputs that belong to the renderer (RENDERER_INPUTS). */
	rendererInMain: string[];
};

type Metafile = { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };

/** "node_modules/hono/dist/…" -> "hono"; "src/admin/html/x.tsx" -> "src/admin"; else as is. */
function partOf(input: string): string {
	const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
	if (pkg?.[1]) return pkg[1];
	const folder = /^src\/[^/]+\//.exec(input);
	return folder ? folder[0].slice(0, -1) : input;
}

/** Reads a `wrangler deploy --dry-run --outdir dir --metafile meta` output. */
export function readBundle(dir: string, metafilePath: string): BundleReport {
	const files = readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
		.filter((name) => /\.m?js$/.test(name))
		.sort((a, b) => (a === MAIN_MODULE ? -1 : b === MAIN_MODULE ? 1 : a.localeCompare(b)));
	const modules = files.map((name) => {
		const bytes = readFileSync(join(dir, name));
		return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
	});
	const meta = JSON.parse(readFileSync(metafilePath, "utf8")) as Metafile;
	const main = Object.entries(meta.outputs).find(([out]) => out.endsWith(`/${MAIN_MODULE}`))?.[1];
	if (!main) throw new Error(`esbuild's metafile has no output ${MAIN_MODULE}`);
	const parts = new Map<string, number>();
	for (const [input, { bytesInOutput }] of Object.entries(main.inputs)) {
		parts.set(partOf(input), (parts.get(partOf(input)) ?? 0) + bytesInOutput);
	}
	return {
		modules,
		mainParts: [...parts].sort((a, b) => b[1] - a[1]),
		rendererInMain: Object.keys(main.inputs).filter((input) => RENDERER_INPUTS.test(input)),
	};
}

/** Builds the Worker as `wrangler deploy` would, into a temporary folder, and measures it. */
export function measureBundle(): BundleReport {
	const dir = mkdtempSync(join(tmpdir(), "samarium-bundle-"));
	try {
		const metafile = join(dir, "meta.json");
		const out = join(dir, "out");
		runWrangler(["deploy", "--dry-run", "--outdir", out, "--metafile", metafile]);
		return readBundle(out, metafile);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export const totalGzip = (report: BundleReport): number => report.modules.reduce((sum, m) => sum + m.gzip, 0);

/** Every way the bundle breaks its budget, as sentences; none when it keeps it. */
export function bundleProblems(report: BundleReport): string[] {
	const problems: string[] = [];
	const main = report.modules.find((m) => m.name === MAIN_MODULE);
	if (!main) return [`no ${MAIN_MODULE} in wrangler's output`];
	if (main.gzip > MAIN_LIMIT) problems.push(`the main module is ${kib(main.gzip)} gzipped, over ${kib(MAIN_LIMIT)}`);
	const total = totalGzip(report);
	if (total > TOTAL_LIMIT) problems.push(`all modules are ${kib(total)} gzipped, over ${kib(TOTAL_LIMIT)}`);
	if (report.rendererInMain.length > 0) {
		problems.push(
			`the main module contains the Markdown renderer (a static import of src/lib/markdown.ts or markdown-it?): ${report.rendererInMain.slice(0, 5).join(", ")}`,
		);
	}
	if (!report.modules.some((m) => m.name === RENDERER_MODULE)) {
		problems.push(`no ${RENDERER_MODULE} module: wrangler.toml's rules or [build] no longer make it`);
	}
	return problems;
}

const kib = (bytes: number): string => `${(bytes / KIB).toFixed(1)} KiB`;

export function formatReport(report: BundleReport): string {
	const rows = report.modules.map(
		(m) => `${m.name.padEnd(20)} ${kib(m.bytes).padStart(10)} ${kib(m.gzip).padStart(10)} gzipped`,
	);
	const main = report.modules[0];
	const parts = report.mainParts
		.slice(0, 10)
		.map(
			([part, bytes]) =>
				`  ${part.padEnd(18)} ${kib(bytes).padStart(9)} ${((bytes / (main?.bytes ?? 1)) * 100).toFixed(0).padStart(3)}%`,
		);
	return [
		...rows,
		`${"all modules".padEnd(20)} ${"".padStart(10)} ${kib(totalGzip(report)).padStart(10)} gzipped (limit ${kib(TOTAL_LIMIT)})`,
		`main module: ${kib(main?.gzip ?? 0)} gzipped (limit ${kib(MAIN_LIMIT)}); its largest parts, minified:`,
		...parts,
	].join("\n");
}

if (import.meta.main) {
	try {
		const report = measureBundle();
		console.log(formatReport(report));
		const problems = bundleProblems(report);
		for (const problem of problems) console.error(`bundle: ${problem}`);
		process.exit(problems.length > 0 ? 1 : 0);
	} catch (error) {
		console.error(`bundle: ${(error as Error).message}`);
		process.exit(1);
	}
}
