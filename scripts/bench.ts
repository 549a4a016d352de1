// `npm run bench [-- --rounds 3 --duration 4 --connections 10 --warmup 3]`: the site's throughput against a
// ceiling, measured in one run against `wrangler dev`. A shared 2-core machine is too noisy for
// absolute numbers to mean much from one day to the next, so every target is reported as a ratio
// to /healthz (a Worker that does nothing), measured in the same run and under the same noise.
// Exit 0 even when a goal is missed (this is a measurement, not a test); 1 when the server does not
// start or a target answers anything but 2xx, since then the numbers describe the wrong thing.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type DevServer, startDevServer, stopOnExit } from "./lib/dev-server.ts";
import { gitDescription, machineInfo } from "./lib/run-info.ts";
import { root } from "./lib/wrangler.ts";
import { EXTRA_ARTICLES, extraSlug, seedExtraArticles } from "./seed/extra-articles.ts";

// autocannon ships no types; these are the parts of its programmatic API this script uses.
type AutocannonOptions = { url: string; connections: number; duration: number; headers?: Record<string, string> };
type AutocannonResult = {
	duration: number;
	requests: { total: number };
	latency: { p50: number; p99: number };
	errors: number;
	timeouts: number;
	non2xx: number;
	statusCodeStats: Record<string, { count: number }>;
};
const autocannon = createRequire(import.meta.url)("autocannon") as (
	options: AutocannonOptions,
) => PromiseLike<AutocannonResult>;

const WARMUP_REQUESTS = 5;
const GOALS = { hit: 0.9, "no-cache": 0.6 } as const;

type Expect = "ceiling" | "hit" | "no-cache";
type Target = { name: string; path: string; expect: Expect; headers?: Record<string, string> };
type Round = {
	round: number;
	requests: number;
	seconds: number;
	p50Ms: number;
	p99Ms: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	statusCodes: Record<string, number>;
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
	},
});
const rounds = positiveInt("rounds", flags.rounds);
const duration = positiveInt("duration", flags.duration);
const connections = positiveInt("connections", flags.connections);
const warmupSeconds = positiveInt("warmup", flags.warmup);

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const token = randomBytes(16).toString("hex");
const slug = extraSlug(Math.ceil(EXTRA_ARTICLES / 2));
const targets: Target[] = [
	{ name: "/healthz", path: "/healthz", expect: "ceiling" },
	{ name: "article HTML", path: `/articles/${slug}`, expect: "hit" },
	{ name: "article JSON", path: `/api/articles/${slug}`, expect: "hit" },
	{
		name: "article HTML, cache off",
		path: `/articles/${slug}`,
		expect: "no-cache",
		headers: { "x-bench-no-cache": token },
	},
	{
		name: "article JSON, cache off",
		path: `/api/articles/${slug}`,
		expect: "no-cache",
		headers: { "x-bench-no-cache": token },
	},
	{ name: "home", path: "/", expect: "hit" },
];

console.log(`bench: starting wrangler dev with ${EXTRA_ARTICLES} extra articles…`);
const starting = startDevServer({
	vars: { BENCH_NO_CACHE_TOKEN: token },
	beforeStart: (stateDir) => seedExtraArticles(stateDir),
});
const stopServer = stopOnExit("bench", starting);
let server: DevServer;
try {
	server = await starting;
} catch (error) {
	console.error(`bench: the server did not start: ${(error as Error).message}`);
	process.exit(1);
}

const startedAt = new Date();
const warnings: string[] = [];
const checks = new Map<Target, { status: number; xCache: string | null; bytes: number }>();
const results = new Map<Target, Round[]>(targets.map((t) => [t, []]));
const pairedRatios = new Map<Target, number[]>(targets.map((t) => [t, []]));
try {
	for (const target of targets) {
		for (let i = 0; i < WARMUP_REQUESTS; i++) {
			await (await fetch(`${server.origin}${target.path}`, { headers: target.headers })).arrayBuffer();
		}
	}
	// Checked after every target is warm, so a cache write finishing in waitUntil has had time to land.
	for (const target of targets) {
		const res = await fetch(`${server.origin}${target.path}`, { headers: target.headers });
		const bytes = (await res.arrayBuffer()).byteLength;
		const xCache = res.headers.get("x-cache");
		checks.set(target, { status: res.status, xCache, bytes });
		if (!res.ok) warnings.push(`${target.name}: status ${res.status} after warm-up`);
		if (target.expect === "hit" && xCache !== "HIT") {
			warnings.push(`${target.name}: x-cache is ${xCache ?? "missing"} after warm-up, expected HIT`);
		}
		if (target.expect === "no-cache" && xCache === "HIT") {
			warnings.push(`${target.name}: x-cache is HIT with the bench header, expected the cache to be skipped`);
		}
	}
	for (const warning of warnings) console.log(`warning: ${warning}`);

	// A few seconds of real load on every target before measuring, discarded: the first round
	// otherwise pays for JIT warm-up in wrangler's proxy and workerd, whichever target runs first.
	for (const target of targets) {
		console.log(`bench: warming up ${target.name} for ${warmupSeconds} s`);
		await autocannon({
			url: `${server.origin}${target.path}`,
			connections,
			duration: warmupSeconds,
			headers: target.headers,
		});
	}

	const ceilingTarget = targets.find((t) => t.expect === "ceiling") as Target;
	const measured = targets.filter((t) => t !== ceilingTarget);
	const run = async (target: Target, label: string): Promise<Round> => {
		console.log(`bench: ${label}, ${target.name}`);
		const r = await autocannon({
			url: `${server?.origin}${target.path}`,
			connections,
			duration,
			headers: target.headers,
		});
		const round: Round = {
			round: (results.get(target)?.length ?? 0) + 1,
			requests: r.requests.total,
			seconds: r.duration,
			p50Ms: r.latency.p50,
			p99Ms: r.latency.p99,
			errors: r.errors,
			timeouts: r.timeouts,
			non2xx: r.non2xx,
			statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
		};
		results.get(target)?.push(round);
		return round;
	};
	for (let round = 0; round < rounds; round++) {
		// Every target run is paired with a /healthz run just before it, and its ratio is taken
		// within the pair: this machine's speed drifts by ±20% over tens of seconds, which would
		// swamp a ratio of totals. Each round starts one target later, so drift also spreads evenly.
		const order = measured.map((_, i) => measured[(i + round) % measured.length] as Target);
		for (const target of order) {
			const ceilingRun = await run(ceilingTarget, `round ${round + 1}/${rounds}`);
			const targetRun = await run(target, `round ${round + 1}/${rounds}`);
			const perSecond = (r: Round) => (r.seconds > 0 ? r.requests / r.seconds : 0);
			pairedRatios.get(target)?.push(perSecond(ceilingRun) > 0 ? perSecond(targetRun) / perSecond(ceilingRun) : 0);
		}
	}
} finally {
	await stopServer();
}

// req/s pools every round (total requests over total seconds). Latency is the median over rounds
// of each round's percentile, p99 included: a single round's p99 is mostly whichever noise burst
// hit it, and the median keeps one bad round from deciding the number, as it does for p50.
const summary = targets.map((target) => {
	const runs = results.get(target) ?? [];
	const sum = (pick: (r: Round) => number) => runs.reduce((total, r) => total + pick(r), 0);
	const seconds = sum((r) => r.seconds);
	const statusCodes: Record<string, number> = {};
	for (const run of runs) {
		for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
	}
	return {
		name: target.name,
		path: target.path,
		benchHeader: target.headers !== undefined,
		expect: target.expect,
		check: checks.get(target) ?? null,
		requests: sum((r) => r.requests),
		seconds,
		reqPerSec: seconds > 0 ? sum((r) => r.requests) / seconds : 0,
		p50Ms: median(runs.map((r) => r.p50Ms)),
		p99Ms: median(runs.map((r) => r.p99Ms)),
		errors: sum((r) => r.errors),
		timeouts: sum((r) => r.timeouts),
		non2xx: sum((r) => r.non2xx),
		statusCodes,
		rounds: runs,
	};
});
const rows = summary.map((s, i) => {
	// The median of the per-pair ratios (see the measuring loop); the ceiling is 1 by definition.
	const target = targets[i] as Target;
	const ratio = s.expect === "ceiling" ? 1 : median(pairedRatios.get(target) ?? []);
	const goal = s.expect === "ceiling" ? null : GOALS[s.expect];
	return {
		...s,
		ratio,
		pairedRatios: pairedRatios.get(target) ?? [],
		goal,
		pass: goal === null ? null : ratio >= goal,
	};
});

const machine = machineInfo();
const failed = rows.filter((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0);

console.log("");
console.log("| target | body bytes | req/s | p50 ms | p99 ms | × /healthz |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
	const verdict = r.goal === null ? "ceiling" : `${r.pass ? "pass" : "FAIL"} (goal ≥ ${r.goal.toFixed(2)})`;
	console.log(
		`| ${r.name} | ${r.check?.bytes ?? "?"} | ${Math.round(r.reqPerSec)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.ratio.toFixed(2)} ${verdict} |`,
	);
}
console.log("");
console.log(
	`Machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.platform}; ` +
		`${rounds} round${rounds === 1 ? "" : "s"} × ${duration} s per target, ${connections} connections.`,
);
console.log(
	`Goals: cached (HIT) targets ≥ ${GOALS.hit.toFixed(2)}× /healthz, cache off ≥ ${GOALS["no-cache"].toFixed(2)}×.`,
);
console.log(
	"HTML rows also pay for wrangler dev's proxy, which runs every text/html response through an " +
		"HTMLRewriter (its live-reload hook) and does not exist in production; JSON rows do not.",
);
for (const warning of warnings) console.log(`Warning: ${warning}`);
for (const r of failed) {
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
		duration,
		connections,
		warmupSeconds,
		extraArticles: EXTRA_ARTICLES,
		warmupRequests: WARMUP_REQUESTS,
	},
	goals: GOALS,
	latency: "p50Ms and p99Ms are medians over rounds of each round's percentile",
	warnings,
	ok: failed.length === 0,
	targets: rows,
};
const outDir = join(root, "bench-results");
mkdirSync(outDir, { recursive: true });
const json = `${JSON.stringify(report, null, "\t")}\n`;
const file = join(outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(outDir, "latest.json"), json);
console.log(`Results: ${file} (and bench-results/latest.json)`);
process.exit(failed.length === 0 ? 0 : 1);
