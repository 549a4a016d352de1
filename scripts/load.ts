// `npm run test:load [-- --duration 60 --readers 50 --articles 300 --writers 2]`: the site under a
// reader load with editors saving at the same time, against `wrangler dev`, checked for anything
// lost. Readers (one keep-alive connection each, anonymous) read articles by a Zipf-like popularity;
// writers save edits to the most read ones through /api/admin with an API token, and get 409s from
// each other. It fails (exit 1) on any 5xx or other unexpected answer, any failed request, any
// reader shown a save older than one acknowledged before its request was sent, any acknowledged
// save missing afterwards, no saves at all, or fewer connections than asked for; exit 2 on bad flags.
// Every article's page and JSON are read once before the clock starts (a site that has been up a
// while); the cache hit ratio goal is then reported, not enforced (a measurement on a shared machine).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { addAdminWithCli, newAdmin, signIn } from "./lib/admin.ts";
import { type DevServer, startDevServer, stopOnExit } from "./lib/dev-server.ts";
import { gitDescription, machineInfo } from "./lib/run-info.ts";
import { root } from "./lib/wrangler.ts";
import { Ledger } from "./load/ledger.ts";
import { rankedArticles, Zipf } from "./load/popularity.ts";
import { ReadStats, runReader } from "./load/readers.ts";
import { sweepPages, verifyWrites } from "./load/verify.ts";
import { type Editable, runWriter, WriteStats } from "./load/writers.ts";
import { extraNumber, extraSlug, seedExtraArticles } from "./seed/extra-articles.ts";

const MIN_ARTICLES = 200;
/** The extra articles' slugs number them in three digits. */
const MAX_ARTICLES = 999;
/** Zipf exponent: rank r is read in proportion to 1/r^s. */
const ZIPF_S = 1.0;
/** The same ranking every run, so that runs compare. */
const RANKING_SEED = 20_251_104;
const JSON_SHARE = 0.2;
/**
 * Writers edit the most read articles, each save picking one of them at random: the pages readers
 * hit most, where a stale copy would show. Those among the newest of their topic are listed in the
 * Related Articles of the topic's other pages, so their saves also exercise the purge by tag; the
 * report counts them (with the default ranking of 300 articles, article 22 is one).
 */
const EDITED_RANKS = 20;
// About one save a second per writer: busy editors. At this pace the hit ratio goal is met; each
// save costs a few MISSes of its own page, and those of the ~1 in 20 edited articles listed in a
// whole topic's Related Articles cost about fifty (see the report's MISS causes).
const WRITER_PAUSE_MS: [number, number] = [400, 800];
const WRITER_THINK_MS: [number, number] = [50, 150];
const READ_TIMEOUT_MS = 10_000;
const WRITE_TIMEOUT_MS = 15_000;
const PROGRESS_MS = 10_000;
const HIT_GOAL = 0.95;

const ADMIN = newAdmin("load-test@example.com", "Load Test");

function usage(message: string): never {
	console.error(`load: ${message}`);
	console.error("usage: npm run test:load -- [--duration s] [--readers n] [--articles n] [--writers n]");
	process.exit(2);
}

function intFlag(flag: string, text: string, min: number, max: number): number {
	const value = Number(text);
	if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
		usage(`--${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
	}
	return value;
}

function readFlags() {
	try {
		return parseArgs({
			options: {
				duration: { type: "string", default: "60" },
				readers: { type: "string", default: "50" },
				articles: { type: "string", default: "300" },
				writers: { type: "string", default: "2" },
			},
			strict: true,
			allowPositionals: false,
		}).values;
	} catch (err) {
		return usage((err as Error).message);
	}
}
const flags = readFlags();
const durationS = intFlag("duration", flags.duration, 1, 3600);
const readerCount = intFlag("readers", flags.readers, 1, 1000);
const articleCount = intFlag("articles", flags.articles, MIN_ARTICLES, MAX_ARTICLES);
const writerCount = intFlag("writers", flags.writers, 1, 20);

function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = Float64Array.from(values).sort();
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Signs in through the login form as a person would, then makes an API token in the admin: its text. */
async function apiToken(origin: string): Promise<string> {
	const cookie = await signIn(origin, ADMIN);

	const editors = await fetch(`${origin}/api/admin/editors`, { headers: { cookie } });
	if (!editors.ok) throw new Error(`GET /api/admin/editors: ${editors.status} ${await editors.text()}`);
	const list = (await editors.json()) as { editors: { id: number; email: string }[] };
	const me = list.editors.find((e) => e.email === ADMIN.email);
	if (!me) throw new Error("the admin made for the load test is not listed");

	const created = await fetch(`${origin}/api/admin/tokens`, {
		method: "POST",
		headers: { cookie, origin, "content-type": "application/json" },
		body: JSON.stringify({ name: "load test", editorId: me.id }),
	});
	if (created.status !== 201) throw new Error(`POST /api/admin/tokens: ${created.status} ${await created.text()}`);
	const { token } = (await created.json()) as { token?: unknown };
	if (typeof token !== "string" || token === "") throw new Error("POST /api/admin/tokens answered no token");
	return token;
}

/** The admin ids of the extra articles, by their number. */
async function articleIds(origin: string, token: string): Promise<Map<number, number>> {
	const ids = new Map<number, number>();
	let cursor: string | null = null;
	do {
		const query: string = `status=published&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
		const res = await fetch(`${origin}/api/admin/articles?${query}`, { headers: { authorization: `Bearer ${token}` } });
		if (!res.ok) throw new Error(`GET /api/admin/articles: ${res.status} ${await res.text()}`);
		const page = (await res.json()) as { articles: { id: number; slug: string }[]; nextCursor: string | null };
		for (const a of page.articles) {
			const n = extraNumber(a.slug);
			if (n !== null) ids.set(n, a.id);
		}
		cursor = page.nextCursor;
	} while (cursor);
	return ids;
}

/**
 * One read of every article's page and JSON before the clock starts, as a site that has been up a
 * while has them cached: the run then measures the steady state, not 2 × articles first renders.
 */
async function warmUp(origin: string, stats: ReadStats): Promise<{ requests: number; seconds: number }> {
	const started = performance.now();
	const queue = Array.from({ length: articleCount }, (_, i) => i + 1).flatMap((n) => [
		`/articles/${extraSlug(n)}`,
		`/api/articles/${extraSlug(n)}`,
	]);
	const total = queue.length;
	const worker = async () => {
		for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
			const res = await fetch(`${origin}${path}`);
			await res.arrayBuffer();
			if (res.status !== 200) throw new Error(`warm-up: GET ${path} answered ${res.status}`);
			// Cached from here on: a MISS in the run is then never a first render.
			stats.keys.set(path, { firstDoneAt: performance.now(), hits: [] });
		}
	};
	await Promise.all(Array.from({ length: 8 }, worker));
	return { requests: total, seconds: (performance.now() - started) / 1000 };
}

const wallStart = performance.now();
const startedAt = new Date();
console.log(`load: starting wrangler dev with ${articleCount} extra articles and an admin…`);
const starting = startDevServer({
	beforeStart: (stateDir) => {
		seedExtraArticles(stateDir, articleCount);
		addAdminWithCli(stateDir, ADMIN);
	},
});
const stopServer = stopOnExit("load", starting);
let server: DevServer;
try {
	server = await starting;
} catch (error) {
	console.error(`load: the server did not start: ${(error as Error).message}`);
	process.exit(1);
}

const failures: string[] = [];
const reads = new ReadStats();
const writes = new WriteStats();
const ledger = new Ledger();
const byRank = rankedArticles(articleCount, RANKING_SEED);
const zipf = new Zipf(articleCount, ZIPF_S);
let elapsedS = 0;
let verification: Awaited<ReturnType<typeof verifyWrites>> | null = null;
let sweep: Awaited<ReturnType<typeof sweepPages>> | null = null;
const editable = new Map<number, Editable>();
let warm = { requests: 0, seconds: 0 };

try {
	const { origin } = server;
	const token = await apiToken(origin);
	const ids = await articleIds(origin, token);
	if (ids.size !== articleCount) throw new Error(`found ${ids.size} of the ${articleCount} extra articles`);
	for (const article of byRank.slice(0, EDITED_RANKS)) {
		editable.set(article, { article, id: ids.get(article) as number, slug: extraSlug(article) });
	}
	const edited = [...editable.values()];
	warm = await warmUp(origin, reads);
	console.log(`load: warmed the cache with ${warm.requests} reads in ${warm.seconds.toFixed(1)} s`);

	console.log(
		`load: ${readerCount} readers over ${articleCount} articles (Zipf s=${ZIPF_S}, ${JSON_SHARE * 100}% JSON), ` +
			`${writerCount} writers on the ${edited.length} most read, for ${durationS} s against ${origin}`,
	);
	const url = new URL(origin);
	const t0 = performance.now();
	const deadline = t0 + durationS * 1000;
	let last = { at: t0, requests: 0 };
	const progress = setInterval(() => {
		const now = performance.now();
		const hits = reads.xCache.HIT ?? 0;
		console.log(
			`load: ${Math.round((now - t0) / 1000)} s: ${reads.requests} reads ` +
				`(${Math.round(((reads.requests - last.requests) * 1000) / (now - last.at))}/s now), ` +
				`hit ${reads.requests ? ((100 * hits) / reads.requests).toFixed(1) : "0"}%, ${writes.saves} saves, ` +
				`${writes.conflicts} conflicts, ${reads.staleCount.article + reads.staleCount.related} stale, ` +
				`${reads.failureCount + writes.errorCount + reads.unexpected.length} errors`,
		);
		last = { at: now, requests: reads.requests };
	}, PROGRESS_MS);
	try {
		const common = { origin: url, ledger, t0, deadline };
		await Promise.all([
			...Array.from({ length: readerCount }, (_, i) =>
				runReader(i + 1, {
					...common,
					catalogue: { byRank, slugOf: extraSlug },
					zipf,
					jsonShare: JSON_SHARE,
					stats: reads,
					timeoutMs: READ_TIMEOUT_MS,
				}),
			),
			...Array.from({ length: writerCount }, (_, i) =>
				runWriter(i + 1, {
					...common,
					token,
					pick: () => edited[Math.floor(Math.random() * edited.length)] as Editable,
					stats: writes,
					timeoutMs: WRITE_TIMEOUT_MS,
					pauseMs: WRITER_PAUSE_MS,
					thinkMs: WRITER_THINK_MS,
				}),
			),
		]);
	} finally {
		clearInterval(progress);
	}
	elapsedS = (performance.now() - t0) / 1000;
	console.log(`load: stopped after ${elapsedS.toFixed(1)} s; checking every acknowledged save…`);
	verification = await verifyWrites(origin, token, ledger, editable);
	sweep = await sweepPages(origin, ledger, articleCount, extraSlug);
} catch (error) {
	failures.push(`the run itself failed: ${(error as Error).stack ?? error}`);
} finally {
	await stopServer();
}

// ---- verdict and report ---------------------------------------------------------------------------

const serverErrors =
	Object.entries(reads.status)
		.filter(([code]) => Number(code) >= 500)
		.reduce((n, [, count]) => n + count, 0) + writes.serverErrors;
const nonOk = reads.requests - (reads.status[200] ?? 0);
const stale = reads.staleCount.article + reads.staleCount.related;
const lost = (verification?.problems.length ?? 0) + (sweep?.problems.length ?? 0);
const hits = reads.xCache.HIT ?? 0;
const hitRatio = reads.requests > 0 ? hits / reads.requests : 0;
const connections = reads.activeReaders.size;

if (serverErrors > 0) failures.push(`${serverErrors} answers with a 5xx status`);
if (nonOk - serverErrors > 0) failures.push(`${nonOk - serverErrors} reader answers other than 200 (not 5xx)`);
if (reads.failureCount > 0) failures.push(`${reads.failureCount} reader requests failed (network error or timeout)`);
if (writes.errorCount > 0) failures.push(`${writes.errorCount} writer requests failed or answered unexpectedly`);
if (stale > 0)
	failures.push(
		`${stale} stale reads (${reads.staleCount.article} of the article, ${reads.staleCount.related} in Related Articles)`,
	);
if (writes.staleAdminReads > 0) failures.push(`${writes.staleAdminReads} admin reads older than an acknowledged save`);
if (reads.inconsistentCount > 0)
	failures.push(`${reads.inconsistentCount} answers that could not be dated or contradict themselves`);
if (lost > 0) failures.push(`${lost} problems with acknowledged saves afterwards`);
if (verification && writes.saves === 0) failures.push("no save was acknowledged");
if (verification && connections < readerCount) {
	failures.push(`only ${connections} of ${readerCount} readers completed a request`);
}
if (verification && reads.peakInFlight < readerCount) {
	failures.push(`at most ${reads.peakInFlight} reader requests were in flight at once, not ${readerCount}`);
}
const ok = failures.length === 0;

const seconds = elapsedS || 1;
const summary = {
	readers: {
		requests: reads.requests,
		reqPerSec: round1(reads.requests / seconds),
		p50Ms: round1(percentile(reads.latencies, 50)),
		p99Ms: round1(percentile(reads.latencies, 99)),
		html: reads.byKind.html,
		json: reads.byKind.json,
		latencyByKind: Object.fromEntries(
			Object.entries(reads.latenciesByKind).map(([k, v]) => [
				k,
				{ p50Ms: round1(percentile(v, 50)), p99Ms: round1(percentile(v, 99)) },
			]),
		),
		latencyByCache: Object.fromEntries(
			Object.entries(reads.latenciesByCache).map(([k, v]) => [
				k,
				{ count: v.length, p50Ms: round1(percentile(v, 50)), p99Ms: round1(percentile(v, 99)) },
			]),
		),
		status: reads.status,
		xCache: reads.xCache,
		hitRatio: Math.round(hitRatio * 10_000) / 10_000,
		hitGoal: HIT_GOAL,
		hitGoalMet: hitRatio >= HIT_GOAL,
		misses: reads.misses,
		unexplainedMisses: reads.unexplainedMisses,
		connections: { readers: connections, socketsOpened: reads.sockets.size, peakInFlight: reads.peakInFlight },
		failures: reads.failureCount,
		failureSamples: reads.failures,
		unexpected: reads.unexpected,
		inconsistent: reads.inconsistent,
	},
	writers: {
		saves: writes.saves,
		conflicts: writes.conflicts,
		reads: writes.reads,
		saveP50Ms: round1(percentile(writes.saveLatencies, 50)),
		saveP99Ms: round1(percentile(writes.saveLatencies, 99)),
		perWriter: writes.perWriter,
		articlesSaved: ledger.articles().length,
		/** Saves of articles that other pages list in Related Articles (their purge is by tag). */
		listedSaves: ledger.articles().reduce((n, a) => n + (reads.listed.has(a) ? ledger.acksOf(a).length : 0), 0),
		errors: writes.errorCount,
		errorSamples: writes.errors,
		staleAdminReads: writes.staleAdminReads,
	},
	stale: { count: stale, ...reads.staleCount, samples: reads.staleReads },
	afterwards: {
		articlesChecked: verification?.articles ?? 0,
		acknowledgedChecked: verification?.acknowledged ?? 0,
		pagesSwept: sweep?.checked ?? 0,
		problems: [...(verification?.problems ?? []), ...(sweep?.problems ?? [])],
	},
};

const pct = (n: number) => `${(100 * n).toFixed(2)}%`;
const r = summary.readers;
const w = summary.writers;
console.log("");
console.log("| measure | value |");
console.log("| --- | ---: |");
const rows: [string, string][] = [
	["reader requests", `${r.requests} in ${seconds.toFixed(1)} s`],
	["req/s (readers)", String(r.reqPerSec)],
	["p50 / p99 ms (readers)", `${r.p50Ms} / ${r.p99Ms}`],
	["HTML / JSON", `${r.html} / ${r.json}`],
	[
		"x-cache",
		Object.entries(r.xCache)
			.map(([k, v]) => `${k} ${v}`)
			.join(", "),
	],
	["cache hit ratio", `${pct(hitRatio)} (goal ≥ ${pct(HIT_GOAL)}: ${r.hitGoalMet ? "goal met" : "goal missed"})`],
	[
		"MISS causes",
		`first render ${r.misses.cold}, own save ${r.misses["own-save"]}, related save ${r.misses["related-save"]}, unexplained ${r.misses.unexplained}`,
	],
	["connections (readers)", `${connections} of ${readerCount}, ${r.connections.socketsOpened} sockets opened`],
	[
		"saves acknowledged / 409 retries",
		`${w.saves} / ${w.conflicts} (${w.articlesSaved} articles; ${w.listedSaves} save${w.listedSaves === 1 ? "" : "s"} of articles other pages list)`,
	],
	["save p50 / p99 ms", `${w.saveP50Ms} / ${w.saveP99Ms}`],
	["5xx / failed requests", `${serverErrors} / ${reads.failureCount + writes.errorCount}`],
	["stale reads", `${stale} (article ${reads.staleCount.article}, related ${reads.staleCount.related})`],
	["lost or mismatched saves", String(lost)],
	["verdict", ok ? "PASS" : "FAIL"],
];
for (const [measure, value] of rows) console.log(`| ${measure} | ${value} |`);
console.log("");

for (const s of reads.staleReads.slice(0, 5)) {
	console.log(
		`stale: reader ${s.reader} GET ${s.path} sent at ${s.sentAt} ms (answered ${s.receivedAt} ms, x-cache ${s.xCache}, age ${s.age || "-"}) ` +
			`shows article ${s.article} (${s.where}) at v${s.shown}; v${s.expected} was saved at ${s.saveSentAt} ms and acknowledged at ${s.ackAt} ms`,
	);
}
const samples = [
	...reads.unexpected,
	...reads.failures,
	...reads.inconsistent,
	...writes.errors,
	...summary.afterwards.problems,
];
for (const line of samples.slice(0, 15)) console.log(`problem: ${line}`);
for (const line of reads.unexplainedMisses.slice(0, 5)) console.log(`unexplained MISS: ${line}`);
for (const failure of failures) console.log(`FAIL: ${failure}`);

const report = {
	startedAt: startedAt.toISOString(),
	finishedAt: new Date().toISOString(),
	wallSeconds: round1((performance.now() - wallStart) / 1000),
	git: gitDescription(),
	machine: machineInfo(),
	options: {
		durationS,
		readers: readerCount,
		articles: articleCount,
		writers: writerCount,
		zipfS: ZIPF_S,
		rankingSeed: RANKING_SEED,
		jsonShare: JSON_SHARE,
		editedRanks: EDITED_RANKS,
		writerPauseMs: WRITER_PAUSE_MS,
		writerThinkMs: WRITER_THINK_MS,
	},
	warmUp: { requests: warm.requests, seconds: round1(warm.seconds) },
	seconds: round1(seconds),
	ok,
	failures,
	...summary,
};
const outDir = join(root, "test-results");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "load.json"), `${JSON.stringify(report, null, "\t")}\n`);
console.log(`Results: test-results/load.json (wall time ${report.wallSeconds} s)`);
process.exit(ok ? 0 : 1);
