// `npm run bench [-- --rounds 3 --duration 4 --connections 10 --warmup 3 --articles N]`: the site's
// throughput against a ceiling, measured in one run. A shared 2-core machine is too noisy for
// absolute numbers to mean much from one day to the next, so every target is reported as a ratio
// to /healthz (a Worker that does nothing), measured in the same run and under the same noise.
//
// Every target runs against two servers of the same state folder, one after the other:
//  - the built Worker: the bundle `wrangler deploy` uploads, served by wrangler's Miniflare with
//    nothing in front (scripts/lib/worker-server.ts). The goals are judged on these rows.
//  - wrangler dev, as `npm run dev` serves it: its proxy runs every text/html response through an
//    HTMLRewriter (the live-reload hook) and records local traces, neither of which production
//    does. Kept for comparison.
// Then a bare Worker served the same way (scripts/bench/floor.ts) measures what no row can beat here:
// its /healthz against the bytes of a cached article page, and against one D1 query.
// With --articles N, a second state folder holds the same content plus N synthetic articles
// (scripts/seed/scale.ts), and six lists and pages are measured with the cache off on both folders
// at once (two built-Worker servers), each N-row against the same row at the sample size; then the
// search rows (scripts/bench/search.ts): two queries at both sizes, by latency and against /healthz.
//
// Exit 0 even when a goal is missed (this is a measurement, not a test); 1 when a server does not
// start or a target answers anything but 2xx, since then the numbers describe the wrong thing.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type Copy, captureCopy, FLOOR_PATHS, writeFloorWorker } from "./bench/floor.ts";
import {
	type Check,
	type Load,
	Measurements,
	median,
	type Spec,
	WARMUP_REQUESTS,
	warmAndCheck,
	warmUnderLoad,
	withoutBody,
} from "./bench/measure.ts";
import { measureSearch, printSearch, SEARCH_CEILING_GOAL, SEARCH_P50_GOAL } from "./bench/search.ts";
import { checkSameCursors, type DeepPage, walkToPage } from "./bench/walk.ts";
import { type DevServer, prepareState, startDevServer } from "./lib/dev-server.ts";
import { gitDescription, machineInfo } from "./lib/run-info.ts";
import { buildWorker, startWorkerServer, type WorkerBuild, type WorkerServer } from "./lib/worker-server.ts";
import { root } from "./lib/wrangler.ts";
import { EXTRA_ARTICLES, extraSlug, seedExtraArticles } from "./seed/extra-articles.ts";
import { seedScale } from "./seed/scale.ts";

const GOALS = { hit: 0.9, "no-cache": 0.6 } as const;
/** Each row at --articles N against the same row at the sample size. */
const SCALE_GOAL = 0.9;
/** How deep the deep-page row goes, in pages, walked from page 1. */
const DEEP_PAGES = 2_000;

type Expect = "ceiling" | "hit" | "no-cache";
type Target = { name: string; path: string; expect: Expect; cacheOff?: boolean };
type Mode = "worker" | "dev";
const MODE_NAMES: Record<Mode, string> = {
	worker: "built Worker, no proxy (Miniflare)",
	dev: "wrangler dev (its proxy in front)",
};

function positiveInt(flag: string, text: string): number {
	const value = Number(text);
	if (!Number.isInteger(value) || value < 1) {
		console.error(`bench: --${flag} must be a positive integer, not "${text}"`);
		process.exit(2);
	}
	return value;
}

const { values: flags } = parseArgs({
	options: {
		rounds: { type: "string", default: "3" },
		duration: { type: "string", default: "4" },
		connections: { type: "string", default: "10" },
		warmup: { type: "string", default: "3" },
		articles: { type: "string" },
	},
});
const rounds = positiveInt("rounds", flags.rounds);
const load: Load = {
	duration: positiveInt("duration", flags.duration),
	connections: positiveInt("connections", flags.connections),
	warmupSeconds: positiveInt("warmup", flags.warmup),
};
const scaleArticles = flags.articles === undefined ? null : positiveInt("articles", flags.articles);

const token = randomBytes(16).toString("hex");
const cacheOffHeaders = { "x-bench-no-cache": token };
const vars = { BENCH_NO_CACHE_TOKEN: token };
const slug = extraSlug(Math.ceil(EXTRA_ARTICLES / 2));
const targets: Target[] = [
	{ name: "/healthz", path: "/healthz", expect: "ceiling" },
	{ name: "article HTML", path: `/articles/${slug}`, expect: "hit" },
	{ name: "article JSON", path: `/api/articles/${slug}`, expect: "hit" },
	{ name: "article HTML, cache off", path: `/articles/${slug}`, expect: "no-cache", cacheOff: true },
	{ name: "article JSON, cache off", path: `/api/articles/${slug}`, expect: "no-cache", cacheOff: true },
	{ name: "home", path: "/", expect: "hit" },
];
// The topic and region are the third of each in the sample content, which the extra articles pair
// (the nth topic with the nth region), so that the list is full at the sample size too.
const SCALE_TOPIC = "energy";
const SCALE_REGION = "europe";
type ScaleTarget = { name: string; path: (deep: DeepPage) => string; check?: (body: string) => string | null };
const scaleTargets: ScaleTarget[] = [
	{ name: "home page 1", path: () => "/" },
	{ name: `home page ${DEEP_PAGES.toLocaleString("en-US")} deep`, path: (deep) => deep.htmlPath },
	{ name: "topic page", path: () => `/topics/${SCALE_TOPIC}` },
	{
		name: "topic+region API list",
		path: () => `/api/articles?topic=${SCALE_TOPIC}&region=${SCALE_REGION}`,
		check: (body) => {
			const count = (JSON.parse(body) as { articles: unknown[] }).articles.length;
			return count > 0 ? null : "lists no articles";
		},
	},
	{
		name: "article page with Related Articles",
		path: () => `/articles/${slug}`,
		check: (body) => (body.includes("Related Articles") ? null : "has no Related Articles"),
	},
	{ name: "RSS feed", path: () => "/feed.xml" },
];

// Whatever is running or made on disk, so that an interrupted run leaves neither servers nor folders.
const running = new Set<DevServer>();
const folders: string[] = [];
let build: WorkerBuild | undefined;
let floorBuild: WorkerBuild | undefined;
async function cleanUp(): Promise<void> {
	await Promise.all([...running].map((server) => server.stop()));
	running.clear();
	for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
	build?.remove();
	floorBuild?.remove();
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		console.error(`bench: ${signal}, stopping the servers`);
		void cleanUp().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
	});
}

async function start(mode: Mode, stateDir: string): Promise<DevServer> {
	if (!build) throw new Error("the Worker is not built");
	const server =
		mode === "worker" ? await startWorkerServer({ build, stateDir, vars }) : await startDevServer({ stateDir, vars });
	running.add(server);
	return server;
}

/** The built Worker alone, with its D1 binding reachable (the scale rows measure rows_read through it). */
async function startWorker(stateDir: string): Promise<WorkerServer> {
	if (!build) throw new Error("the Worker is not built");
	const server = await startWorkerServer({ build, stateDir, vars });
	running.add(server);
	return server;
}

async function stop(server: DevServer): Promise<void> {
	running.delete(server);
	await server.stop();
}

/** Fails the run (exit 1) when a server cannot be set up or a run breaks: the numbers would describe nothing. */
async function fatal(error: unknown): Promise<never> {
	console.error(`bench: ${(error as Error).message}`);
	await cleanUp();
	process.exit(1);
}

const startedAt = new Date();
const warnings: string[] = [];
const warn = (text: string) => {
	warnings.push(text);
	console.log(`warning: ${text}`);
};

async function prepare() {
	console.log("bench: building the Worker as `wrangler deploy` would…");
	build = buildWorker();
	console.log(`bench: preparing the sample content and ${EXTRA_ARTICLES} extra articles…`);
	const sample = prepareState((stateDir) => seedExtraArticles(stateDir));
	folders.push(sample);
	if (scaleArticles === null) return { sample, scale: null, seed: null };
	// A copy of the sample folder, so that both sizes share every sample row (and its timestamps).
	const scale = mkdtempSync(join(tmpdir(), "samarium-state-scale-"));
	folders.push(scale);
	cpSync(sample, scale, { recursive: true });
	console.log(`bench: adding ${scaleArticles.toLocaleString("en-US")} synthetic articles…`);
	const seed = await seedScale({
		articles: scaleArticles,
		persistTo: scale,
		log: (line) => console.log(`bench: seed: ${line}`),
	});
	return { sample, scale, seed };
}
const states = await prepare().catch(fatal);

/** The sample-size targets against one server: each paired with /healthz run just before it. */
async function measureSample(mode: Mode) {
	console.log(`bench: starting the ${MODE_NAMES[mode]}…`);
	const server = await start(mode, states.sample);
	const specs = new Map<Target, Spec>(
		targets.map((t) => [
			t,
			{
				name: `${t.name} [${mode}]`,
				origin: server.origin,
				path: t.path,
				headers: t.cacheOff ? cacheOffHeaders : undefined,
			},
		]),
	);
	const spec = (t: Target) => specs.get(t) as Spec;
	const measurements = new Measurements(load);
	let checks: Map<Spec, Check>;
	try {
		checks = await warmAndCheck([...specs.values()]);
		for (const target of targets) {
			const check = checks.get(spec(target));
			if (!check) continue;
			if (check.status < 200 || check.status > 299)
				warn(`${target.name} [${mode}]: status ${check.status} after warm-up`);
			if (target.expect === "hit" && check.xCache !== "HIT") {
				warn(`${target.name} [${mode}]: x-cache is ${check.xCache ?? "missing"} after warm-up, expected HIT`);
			}
			if (target.expect === "no-cache" && check.xCache === "HIT") {
				warn(`${target.name} [${mode}]: x-cache is HIT with the bench header, expected the cache to be skipped`);
			}
		}
		await warmUnderLoad([...specs.values()], load);
		const ceiling = targets.find((t) => t.expect === "ceiling") as Target;
		const measured = targets.filter((t) => t !== ceiling);
		for (let round = 0; round < rounds; round++) {
			// Each round starts one target later, so that drift spreads evenly over the targets too.
			const order = measured.map((_, i) => measured[(i + round) % measured.length] as Target);
			for (const target of order) {
				await measurements.pair(target.name, spec(ceiling), spec(target), `${mode}, round ${round + 1}/${rounds}`);
			}
		}
		// The cached article page as sent, for the floor Worker to send again (see measureFloor).
		if (mode === "worker") hitCopy = await captureCopy(server.origin, COPIED.path);
	} finally {
		await stop(server);
	}
	return targets.map((target) => {
		const s = spec(target);
		const ratio = target.expect === "ceiling" ? 1 : median(measurements.ratios.get(target.name) ?? []);
		const goal = target.expect === "ceiling" ? null : GOALS[target.expect];
		return {
			mode,
			name: target.name,
			path: target.path,
			benchHeader: target.cacheOff === true,
			expect: target.expect,
			check: withoutBody(checks.get(s)),
			...measurements.summary(s),
			ratio,
			pairedRatios: measurements.ratios.get(target.name) ?? [],
			goal,
			// Judged on the built Worker's rows only; wrangler dev's are there for comparison.
			judged: mode === "worker" && goal !== null,
			pass: goal === null ? null : ratio >= goal,
		};
	});
}

/** The target whose cached response the floor Worker sends again: the article page, a HIT. */
const COPIED = targets.find((t) => t.name === "article HTML") as Target;
let hitCopy: Copy | undefined;

type SampleRow = Awaited<ReturnType<typeof measureSample>>[number];
const byMode: Partial<Record<Mode, SampleRow[]>> = {};
// The built Worker first: its rows are the ones judged, so they get the quieter start of the run.
for (const mode of ["worker", "dev"] as const) byMode[mode] = await measureSample(mode).catch(fatal);
const workerRows = byMode.worker ?? [];
const devRows = byMode.dev ?? [];
for (const [i, w] of workerRows.entries()) {
	const d = devRows[i];
	if (w.check && d?.check && w.check.bodyHash !== d.check.bodyHash) {
		warn(`${w.name}: the two servers answered different bodies (origin aside)`);
	}
}

/**
 * The floor rows (scripts/bench/floor.ts): a bare Worker served as the built one is, its /healthz
 * against the same bytes as a cached article page and against one D1 query through a session.
 */
async function measureFloor(copy: Copy) {
	const floor = writeFloorWorker(copy);
	floorBuild = floor.build;
	console.log("bench: starting the floor Worker (a bare Worker, no proxy)…");
	const server = await startWorkerServer({ build: floor.build, stateDir: floor.stateDir });
	running.add(server);
	const floorTargets = [
		{ name: "bare Worker, /healthz", path: FLOOR_PATHS.ceiling },
		{ name: "bare Worker, the bytes of a cached article page", path: FLOOR_PATHS.copy },
		{ name: "bare Worker, one SELECT 1 through a D1 session", path: FLOOR_PATHS.d1 },
	];
	const specs: Spec[] = floorTargets.map((t) => ({ name: `${t.name} [floor]`, origin: server.origin, path: t.path }));
	const [ceiling, ...measured] = specs as [Spec, ...Spec[]];
	try {
		const checks = await warmAndCheck(specs);
		for (const s of specs) {
			const status = checks.get(s)?.status ?? 0;
			if (status < 200 || status > 299) warn(`${s.name}: status ${status} after warm-up`);
		}
		await warmUnderLoad(specs, load);
		const measurements = new Measurements(load);
		for (let round = 0; round < rounds; round++) {
			const order = measured.map((_, i) => measured[(i + round) % measured.length] as Spec);
			for (const s of order) await measurements.pair(s.name, ceiling, s, `floor, round ${round + 1}/${rounds}`);
		}
		return specs.map((s, i) => ({
			name: floorTargets[i]?.name ?? s.name,
			path: s.path,
			check: withoutBody(checks.get(s)),
			...measurements.summary(s),
			ratio: s === ceiling ? 1 : median(measurements.ratios.get(s.name) ?? []),
			pairedRatios: measurements.ratios.get(s.name) ?? [],
		}));
	} finally {
		running.delete(server);
		await server.stop();
	}
}
const floorRows = hitCopy ? await measureFloor(hitCopy).catch(fatal) : [];

/** The scale rows: both folders served at once by the built Worker, each row paired across sizes. */
async function measureScale(stateDirs: { sample: string; scale: string }) {
	const sampleServer = await startWorker(stateDirs.sample);
	const scaleServer = await startWorker(stateDirs.scale);
	try {
		console.log(`bench: walking ${DEEP_PAGES} pages deep from page 1, at both sizes…`);
		const deep = {
			sample: await walkToPage(sampleServer.origin, DEEP_PAGES, cacheOffHeaders),
			scale: await walkToPage(scaleServer.origin, DEEP_PAGES, cacheOffHeaders),
		};
		for (const [size, server] of [
			["sample", sampleServer],
			["scale", scaleServer],
		] as const) {
			console.log(`bench: ${size}: reached page ${deep[size].depth} in ${deep[size].ms} ms`);
			for (const problem of await checkSameCursors(server.origin, deep[size], cacheOffHeaders)) {
				warn(`deep walk, ${size}: ${problem}`);
			}
		}
		if (deep.scale.depth < DEEP_PAGES) {
			warn(`the list at ${scaleArticles} articles is only ${deep.scale.depth} pages deep, not ${DEEP_PAGES}`);
		}
		const specs = scaleTargets.map((t) => ({
			target: t,
			sample: {
				name: `${t.name} [sample]`,
				origin: sampleServer.origin,
				path: t.path(deep.sample),
				headers: cacheOffHeaders,
			},
			scale: {
				name: `${t.name} [${scaleArticles}]`,
				origin: scaleServer.origin,
				path: t.path(deep.scale),
				headers: cacheOffHeaders,
			},
		}));
		const all = specs.flatMap((s) => [s.sample, s.scale]);
		const checks = await warmAndCheck(all);
		for (const { target, sample, scale } of specs) {
			for (const s of [sample, scale]) {
				const check = checks.get(s);
				if (!check) continue;
				if (check.status < 200 || check.status > 299) warn(`${s.name}: status ${check.status} after warm-up`);
				if (check.xCache === "HIT") warn(`${s.name}: x-cache is HIT with the bench header`);
				const problem = check.status === 200 ? target.check?.(check.body) : null;
				if (problem) warn(`${s.name}: ${problem}`);
			}
		}
		await warmUnderLoad(all, load);
		const measurements = new Measurements(load);
		for (let round = 0; round < rounds; round++) {
			const order = specs.map((_, i) => specs[(i + round) % specs.length] as (typeof specs)[number]);
			for (const { target, sample, scale } of order) {
				// Which size runs first alternates by round; the ratio is always N over the sample size.
				const label = `scale, round ${round + 1}/${rounds}`;
				if (round % 2 === 0) await measurements.pair(target.name, sample, scale, label);
				else await measurements.pair(target.name, scale, sample, label, true);
			}
		}
		const rows = specs.map(({ target, sample, scale }) => {
			const ratio = median(measurements.ratios.get(target.name) ?? []);
			const side = (s: Spec) => {
				return { path: s.path, check: withoutBody(checks.get(s)), ...measurements.summary(s) };
			};
			return {
				name: target.name,
				sample: side(sample),
				scale: side(scale),
				ratio,
				pairedRatios: measurements.ratios.get(target.name) ?? [],
				goal: SCALE_GOAL,
				pass: ratio >= SCALE_GOAL,
			};
		});
		console.log("bench: search, at both sizes…");
		const search = await measureSearch(
			{ sample: sampleServer, scale: scaleServer },
			{ load, rounds, headers: cacheOffHeaders, articles: scaleArticles ?? 0, warn },
		);
		return { deep, rows, search };
	} finally {
		await stop(sampleServer);
		await stop(scaleServer);
	}
}

const scale =
	states.scale === null ? null : await measureScale({ sample: states.sample, scale: states.scale }).catch(fatal);
await cleanUp();

const machine = machineInfo();
const failures = [
	...workerRows,
	...devRows,
	...floorRows,
	...(scale?.rows.flatMap((r) => [
		{ name: `${r.name} [sample]`, ...r.sample },
		{ name: `${r.name} [${scaleArticles}]`, ...r.scale },
	]) ?? []),
	...(scale?.search.rows.flatMap((r) => [
		{ name: `${r.name} [sample]`, ...r.sample },
		{ name: `${r.name} [${scaleArticles}]`, ...r.scale },
	]) ?? []),
	...(scale ? [{ name: `/healthz [${scaleArticles}]`, ...scale.search.healthz }] : []),
].filter((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0);

const verdict = (ratio: number, goal: number | null) =>
	goal === null ? "ceiling" : `${ratio >= goal ? "pass" : "FAIL"} (goal ≥ ${goal.toFixed(2)})`;
console.log("");
console.log(`Sample content (${EXTRA_ARTICLES} extra articles). Goals are judged on the built Worker (no proxy).`);
console.log("");
console.log(
	"| target | body bytes | no proxy: req/s | p50 ms | p99 ms | × /healthz | wrangler dev: req/s | p50 ms | p99 ms | × /healthz |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [i, w] of workerRows.entries()) {
	const d = devRows[i];
	const dev = d
		? `${Math.round(d.reqPerSec)} | ${d.p50Ms.toFixed(1)} | ${d.p99Ms.toFixed(1)} | ${d.ratio.toFixed(2)}`
		: "? | ? | ? | ?";
	console.log(
		`| ${w.name} | ${w.check?.bytes ?? "?"} | ${Math.round(w.reqPerSec)} | ${w.p50Ms.toFixed(1)} | ${w.p99Ms.toFixed(1)} | ${w.ratio.toFixed(2)} ${verdict(w.ratio, w.goal)} | ${dev} |`,
	);
}
if (floorRows.length > 0) {
	console.log("");
	console.log(
		"What the goals are up against: a bare Worker served the same way, each row against its own /healthz in the same run.",
	);
	console.log("");
	console.log("| floor | body bytes | req/s | p50 ms | p99 ms | × its /healthz |");
	console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
	for (const r of floorRows) {
		console.log(
			`| ${r.name} | ${r.check?.bytes ?? "?"} | ${Math.round(r.reqPerSec)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.ratio.toFixed(2)} |`,
		);
	}
}
if (scale) {
	const n = (scaleArticles ?? 0).toLocaleString("en-US");
	console.log("");
	console.log(
		`At ${n} articles against the sample size, cache off, built Worker (no proxy); both sizes served at once. ` +
			`Deep page: page ${scale.deep.scale.depth} at ${n} (${scale.deep.scale.depth - 1} hops from page 1), page ${scale.deep.sample.depth} at the sample size (its deepest full page).`,
	);
	console.log("");
	console.log(
		"| target, cache off | body bytes sample / N | req/s sample | req/s N | p50 ms sample / N | p99 ms sample / N | N ÷ sample |",
	);
	console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
	for (const r of scale.rows) {
		console.log(
			`| ${r.name} | ${r.sample.check?.bytes ?? "?"} / ${r.scale.check?.bytes ?? "?"} | ${Math.round(r.sample.reqPerSec)} | ${Math.round(r.scale.reqPerSec)} | ` +
				`${r.sample.p50Ms.toFixed(1)} / ${r.scale.p50Ms.toFixed(1)} | ${r.sample.p99Ms.toFixed(1)} / ${r.scale.p99Ms.toFixed(1)} | ${r.ratio.toFixed(2)} ${verdict(r.ratio, r.goal)} |`,
		);
	}
	printSearch(scale.search, scaleArticles ?? 0);
}
console.log("");
console.log(
	`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; ` +
		`${rounds} round${rounds === 1 ? "" : "s"} × ${load.duration} s per target and server, ${load.connections} connections.`,
);
console.log(
	`Goals: cached (HIT) targets ≥ ${GOALS.hit.toFixed(2)}× /healthz, cache off ≥ ${GOALS["no-cache"].toFixed(2)}×` +
		(scale
			? `; at ${scaleArticles} articles, each row ≥ ${SCALE_GOAL.toFixed(2)}× the same row at the sample size; ` +
				`search p50 ≤ ${SEARCH_P50_GOAL}× the sample size's, search throughput ≥ ${SEARCH_CEILING_GOAL.toFixed(2)}× /healthz.`
			: "."),
);
console.log(
	"wrangler dev's rows also pay for its proxy (one more hop, an HTMLRewriter over every text/html response for " +
		"its live-reload hook, local trace collection), which production does not have.",
);
for (const warning of warnings) console.log(`Warning: ${warning}`);
for (const r of failures) {
	console.log(
		`Errors: ${r.name}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodes)})`,
	);
}

const report = {
	startedAt: startedAt.toISOString(),
	finishedAt: new Date().toISOString(),
	git: gitDescription(),
	machine,
	options: {
		rounds,
		duration: load.duration,
		connections: load.connections,
		warmupSeconds: load.warmupSeconds,
		extraArticles: EXTRA_ARTICLES,
		warmupRequests: WARMUP_REQUESTS,
		articles: scaleArticles,
	},
	goals: { ...GOALS, scale: SCALE_GOAL, searchP50: SEARCH_P50_GOAL, searchCeiling: SEARCH_CEILING_GOAL },
	modes: MODE_NAMES,
	latency: "p50Ms and p99Ms are medians over rounds of each round's percentile",
	warnings,
	ok: failures.length === 0,
	/** The judged rows: the built Worker with no proxy. */
	targets: workerRows,
	/** The same targets through wrangler dev, for comparison. */
	devTargets: devRows,
	/** A bare Worker served the same way: its /healthz, a cached article page's bytes, one D1 query. */
	floor: floorRows,
	scale:
		scale === null
			? null
			: {
					articles: scaleArticles,
					seed: states.seed,
					deepPages: DEEP_PAGES,
					deep: scale.deep,
					topic: SCALE_TOPIC,
					region: SCALE_REGION,
					rows: scale.rows,
					search: scale.search,
				},
};
const outDir = join(root, "bench-results");
mkdirSync(outDir, { recursive: true });
const json = `${JSON.stringify(report, null, "\t")}\n`;
const file = join(outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(outDir, "latest.json"), json);
console.log(`Results: ${file} (and bench-results/latest.json)`);
process.exit(failures.length === 0 ? 0 : 1);
