// Serves the Worker as deployed, without `wrangler dev`'s proxy in front: the bundle `wrangler
// deploy` would upload (built once by buildWorker), run by the Miniflare that wrangler itself
// runs (same version, same workerd), with wrangler.toml's compatibility settings and bindings as
// wrangler reads them. What this leaves out, and production does not have either: wrangler dev's
// proxy Worker (one more hop, and an HTMLRewriter over every text/html response for its live-reload
// hook, which appends nothing unless --live-reload but still parses the page), and its local
// observability (a trace collector on every request) and data explorer. The benchmark measures both.
// Storage is the one `wrangler dev --persist-to DIR` uses (DIR/v3: D1 in d1/, the Cache API in
// cache/), so both serve the same rows; serve a folder with one of them at a time.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { type DevServer, freePort } from "./dev-server.ts";
import { root, runWrangler } from "./wrangler.ts";

/** The parts of Miniflare's API used here (it is wrangler's dependency, not the project's). */
type MiniflareModule = {
	Miniflare: new (
		options: unknown,
	) => { ready: Promise<URL>; dispose: () => Promise<void>; getD1Database: (binding: string) => Promise<D1Database> };
	/** Miniflare 5 takes its own option shape; wrangler writes v4 options and converts them with this too. */
	convertV4MiniflareOptions: (options: Record<string, unknown>) => unknown;
};
/** What wrangler reads from wrangler.toml for Miniflare (its `unstable_getMiniflareWorkerOptions`). */
type WranglerModule = {
	unstable_getMiniflareWorkerOptions: (configPath: string) => {
		workerOptions: {
			compatibilityDate?: string;
			compatibilityFlags?: string[];
			bindings?: Record<string, unknown>;
			d1Databases?: Record<string, unknown>;
		};
	};
};

// Resolved from wrangler's own folder: the project also has an older Miniflare (the Vitest
// plugin's), and serving with another workerd than wrangler dev's would measure something else.
export const wranglerRequire = createRequire(join(root, "node_modules", "wrangler", "package.json"));

async function importFromWrangler<T>(specifier: string): Promise<T> {
	return (await import(pathToFileURL(wranglerRequire.resolve(specifier)).href)) as T;
}

/** The built Worker: its main module, index.js, first; every module's path is relative to dir. */
export type WorkerBuild = { dir: string; modules: string[]; remove: () => void };

/**
 * Bundles the Worker exactly as `wrangler deploy` would (`--dry-run --outdir`): the main module
 * index.js and the ES modules wrangler uploads beside it (the Markdown renderer, gen/markdown.mjs:
 * wrangler.toml `rules`).
 */
export function buildWorker(): WorkerBuild {
	const dir = mkdtempSync(join(tmpdir(), "samarium-build-"));
	const remove = () => rmSync(dir, { recursive: true, force: true });
	try {
		runWrangler(["deploy", "--dry-run", "--outdir", dir]);
		const files = readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
		const modules = files.filter((name) => /\.m?js$/.test(name)).sort();
		// Another kind of module (Wasm, text) would need its own type below; say so rather than
		// serve half a Worker.
		const other = files.filter((name) => !/\.m?js$|\.map$|^README\.md$/.test(name));
		if (!modules.includes("index.js") || other.length > 0) {
			throw new Error(`expected index.js and ES modules in wrangler's output; found: ${files.join(", ")}`);
		}
		return { dir, modules: ["index.js", ...modules.filter((name) => name !== "index.js")], remove };
	} catch (error) {
		remove();
		throw error;
	}
}

export type WorkerServerOptions = {
	build: WorkerBuild;
	/** A state folder as `wrangler dev --persist-to` takes it (prepareState() makes one). */
	stateDir: string;
	vars?: Record<string, string>;
};

type WorkerConfig = ReturnType<WranglerModule["unstable_getMiniflareWorkerOptions"]>["workerOptions"];

/** Miniflare's options in the v4 shape (which wrangler also writes, and converts). */
function miniflareOptions(options: WorkerServerOptions, config: WorkerConfig, port: number, tmpPath: string) {
	return {
		host: "127.0.0.1",
		port,
		// The placeholder Request.cf that wrangler dev uses with CLOUDFLARE_CF_FETCH_ENABLED=false: no network.
		cf: false,
		logRequests: false,
		// As wrangler dev: D1 and the Cache API under DIR/v3; scratch files under the temporary path.
		resourcePersistencePath: join(options.stateDir, "v3"),
		resourceTmpPath: tmpPath,
		workers: [
			{
				name: "samarium",
				// Every module wrangler would upload, named as it names them: paths relative to the
				// build folder (workerd refuses a "../" in one); the first is the main module.
				modules: options.build.modules.map((name) => ({ type: "ESModule", path: join(options.build.dir, name) })),
				modulesRoot: options.build.dir,
				compatibilityDate: config.compatibilityDate,
				compatibilityFlags: config.compatibilityFlags,
				d1Databases: config.d1Databases,
				// SITE_URL (canonical URLs, the feed) names the origin served, as startDevServer sets it.
				bindings: { ...config.bindings, SITE_URL: `http://127.0.0.1:${port}`, ...options.vars },
			},
		],
	};
}

let wranglerConfig: WorkerConfig | undefined;

/** Tries this many ports: one taken between freePort() and Miniflare's bind is worth another. */
const START_ATTEMPTS = 3;

/** A served Worker, and its D1 bindings from outside it (to read a query's own meta, as the bench does). */
export type WorkerServer = DevServer & { d1: (binding: string) => Promise<D1Database> };

/** The built Worker on a free port of 127.0.0.1; SITE_URL is its origin, as startDevServer sets it. */
export async function startWorkerServer(options: WorkerServerOptions): Promise<WorkerServer> {
	const [{ Miniflare, convertV4MiniflareOptions }, wrangler] = await Promise.all([
		importFromWrangler<MiniflareModule>("miniflare"),
		importFromWrangler<WranglerModule>("wrangler"),
	]);
	// Read once: wrangler logs its warnings (the CF_API_TOKEN secret not set locally) on every read.
	wranglerConfig ??= wrangler.unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml")).workerOptions;
	const config = wranglerConfig;
	for (let attempt = 1; ; attempt++) {
		// A known port rather than 0: SITE_URL (canonical URLs, the feed) must name the origin served.
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const tmpPath = mkdtempSync(join(tmpdir(), "samarium-miniflare-"));
		let mf: InstanceType<MiniflareModule["Miniflare"]>;
		try {
			mf = new Miniflare(convertV4MiniflareOptions(miniflareOptions(options, config, port, tmpPath)));
		} catch (error) {
			// Options it refuses (another Miniflare version, say) fail here, before any port is tried.
			rmSync(tmpPath, { recursive: true, force: true });
			throw error;
		}
		const stop = async () => {
			await mf.dispose().catch(() => undefined);
			rmSync(tmpPath, { recursive: true, force: true });
		};
		try {
			await mf.ready;
			const res = await fetch(`${origin}/healthz`);
			if (!res.ok) throw new Error(`/healthz answered ${res.status}`);
			return { origin, port, stateDir: options.stateDir, stop, d1: (binding) => mf.getD1Database(binding) };
		} catch (error) {
			await stop();
			if (attempt >= START_ATTEMPTS) throw new Error(`the built Worker did not come up: ${(error as Error).message}`);
			console.error(`Miniflare did not start (attempt ${attempt} of ${START_ATTEMPTS}); trying another port`);
		}
	}
}
