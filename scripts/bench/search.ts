// The search rows of `npm run bench -- --articles N` (issue 14): a one-word and a three-word query
// through GET /api/search, and the one word through the HTML page, cache off, each at the sample
// size and at N articles. Both words occur in the sample content (and in every extra article) and
// in the synthetic articles' word bank (scripts/seed/scale-content.ts: "magnet makers", "ferrite
// magnet", "rare-earth oxide"), so that both sizes answer full pages with a next one; the run
// checks that and prints how many articles each query matches.
//
// Besides the timings: D1's own meta.rows_read for the search statement itself, built by the
// app's own searchStatement() with the bindings the API sends for a first page, and run through
// each server's D1 binding (the same SQLite file the Worker reads).
import type { SearchArgs } from "../../src/db/queries/search.ts";
import type { ParsedSearch } from "../../src/lib/search.ts";
import { type WorkerServer, wranglerRequire } from "../lib/worker-server.ts";
import { root } from "../lib/wrangler.ts";
import {
	type Load,
	Measurements,
	median,
	type Round,
	type Spec,
	warmAndCheck,
	warmUnderLoad,
	withoutBody,
} from "./measure.ts";

/** p50 latency at N may be at most this many times the same query's at the sample size. */
export const SEARCH_P50_GOAL = 3;
/** Throughput at N at least this share of /healthz on the same server, in the same run. */
export const SEARCH_CEILING_GOAL = 0.3;

export const SEARCH_ONE_WORD = "magnets";
/**
 * Not "rare earth magnets": at the sample size only 14 articles hold all three (the extra
 * articles never say "rare earth"), a page short of full. These three are in every extra article
 * and in about a third of the synthetic ones, as many as "rare earth magnets" there.
 */
export const SEARCH_THREE_WORDS = "sintered magnet prices";

/** What the bench uses of the app's search code (src/db/queries/search.ts, src/lib/search.ts). */
export type SearchCode = {
	SEARCH_SQL: string;
	SEARCH_CANDIDATES: number;
	PAGE_SIZE: number;
	searchStatement: (db: { $client: D1Database }, args: SearchArgs) => D1PreparedStatement;
	parseSearch: (raw: string) => ParsedSearch;
};

const ENTRY = `export { SEARCH_CANDIDATES, SEARCH_SQL, searchStatement } from "./src/db/queries/search.ts";
export { parseSearch } from "./src/lib/search.ts";
export { PAGE_SIZE } from "./src/lib/site.ts";`;

type Esbuild = {
	build: (options: Record<string, unknown>) => Promise<{ outputFiles: { text: string }[] }>;
};

/**
 * The app's search code itself, not a copy of its SQL. Node cannot import it as it stands: src/
 * imports without file extensions (the Worker's bundler and tsc's "bundler" resolution allow it,
 * Node's ESM loader does not), so it is bundled by the esbuild that wrangler builds the Worker with.
 */
export async function loadSearchCode(): Promise<SearchCode> {
	const esbuild = wranglerRequire("esbuild") as Esbuild;
	const result = await esbuild.build({
		stdin: { contents: ENTRY, resolveDir: root, sourcefile: "bench-search.ts", loader: "ts" },
		bundle: true,
		format: "esm",
		platform: "neutral",
		write: false,
		logLevel: "silent",
	});
	const code = result.outputFiles[0]?.text;
	if (!code) throw new Error("esbuild produced no output for the search code");
	return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as SearchCode;
}

export type SearchTarget = {
	name: string;
	q: string;
	path: string;
	/** A problem with the response (not a full page of results with a next one), or null. */
	check: (body: string, pageSize: number) => string | null;
};

function apiCheck(body: string, pageSize: number): string | null {
	const json = JSON.parse(body) as { results: unknown[]; nextCursor: string | null };
	if (json.results.length === pageSize && json.nextCursor !== null) return null;
	return `answers ${json.results.length} results${json.nextCursor === null ? " and no next page" : ""}, not a full page of ${pageSize} with more`;
}

function htmlCheck(body: string, pageSize: number): string | null {
	const cards = body.match(/<li class="card">/g)?.length ?? 0;
	const next = /rel="next"/.test(body);
	if (cards === pageSize && next) return null;
	return `shows ${cards} results${next ? "" : " and no next page"}, not a full page of ${pageSize} with more`;
}

const apiPath = (q: string) => `/api/search?${new URLSearchParams({ q })}`;

export const searchTargets: SearchTarget[] = [
	{
		name: `search API, one word ("${SEARCH_ONE_WORD}")`,
		q: SEARCH_ONE_WORD,
		path: apiPath(SEARCH_ONE_WORD),
		check: apiCheck,
	},
	{
		name: `search API, three words ("${SEARCH_THREE_WORDS}")`,
		q: SEARCH_THREE_WORDS,
		path: apiPath(SEARCH_THREE_WORDS),
		check: apiCheck,
	},
	{
		name: `search page HTML, one word ("${SEARCH_ONE_WORD}")`,
		q: SEARCH_ONE_WORD,
		path: `/search?${new URLSearchParams({ q: SEARCH_ONE_WORD })}`,
		check: htmlCheck,
	},
];

export type SearchFacts = {
	/** The FTS5 MATCH expression parseSearch made of the query. */
	match: string;
	/** Rows of the index that match, whatever the article's status (the index holds drafts too). */
	indexMatches: number;
	/** Rows the first page's statement returned: the page and its look-ahead row. */
	rows: number;
	/** D1's meta.rows_read for that statement. */
	rowsRead: number;
	/** D1's meta.duration for it, the median of a few runs (ms, inside the database). */
	sqlMs: number;
};

const SQL_RUNS = 5;

/** The search statement of a first API page for `q`, run through `d1` a few times, and what it cost. */
export async function searchFacts(d1: D1Database, code: SearchCode, q: string): Promise<SearchFacts> {
	const parsed = code.parseSearch(q);
	if (!parsed.ok || parsed.match === null) throw new Error(`"${q}" is not a search query`);
	const match = parsed.match;
	const durations: number[] = [];
	let last: D1Result | undefined;
	for (let i = 0; i < SQL_RUNS; i++) {
		last = await code
			.searchStatement({ $client: d1 }, { match, now: Date.now(), offset: 0, limit: code.PAGE_SIZE })
			.all();
		durations.push(last.meta.duration);
	}
	const count = await d1
		.prepare("SELECT count(*) AS n FROM articles_fts WHERE articles_fts MATCH ?1")
		.bind(match)
		.first<{ n: number }>();
	return {
		match,
		indexMatches: count?.n ?? 0,
		rows: last?.results.length ?? 0,
		rowsRead: last?.meta.rows_read ?? 0,
		sqlMs: median(durations),
	};
}

/** Latency of requests sent one at a time (no queue in front of them): the median over `count`. */
export async function oneAtATimeP50(url: string, headers: Record<string, string>, count = 30): Promise<number> {
	const times: number[] = [];
	for (let i = 0; i < count; i++) {
		const started = performance.now();
		await (await fetch(url, { headers })).arrayBuffer();
		times.push(performance.now() - started);
	}
	return median(times);
}

export type SearchServers = { sample: WorkerServer; scale: WorkerServer };

export type SearchOptions = {
	load: Load;
	rounds: number;
	/** The cache-off header of this run's servers. */
	headers: Record<string, string>;
	/** How many synthetic articles the scale server holds (for names). */
	articles: number;
	warn: (text: string) => void;
};

/**
 * The search rows against both servers at once. Each round runs, back to back, /healthz at N, the
 * query at N and the query at the sample size (in the opposite order every other round), so that
 * the query at N has a neighbour for both of its ratios: over /healthz and over the sample size.
 */
export async function measureSearch(servers: SearchServers, options: SearchOptions) {
	const { load, rounds, headers, articles, warn } = options;
	const code = await loadSearchCode();
	const sizes = ["sample", "scale"] as const;

	// The statement's own cost first, before any load, through each server's D1 binding.
	const facts: Record<(typeof sizes)[number], Map<string, SearchFacts>> = { sample: new Map(), scale: new Map() };
	for (const size of sizes) {
		const d1 = await servers[size].d1("DB");
		for (const q of new Set(searchTargets.map((t) => t.q))) facts[size].set(q, await searchFacts(d1, code, q));
	}

	const healthz: Spec = { name: `/healthz [${articles}]`, origin: servers.scale.origin, path: "/healthz" };
	const specs = searchTargets.map((target) => ({
		target,
		sample: { name: `${target.name} [sample]`, origin: servers.sample.origin, path: target.path, headers },
		scale: { name: `${target.name} [${articles}]`, origin: servers.scale.origin, path: target.path, headers },
	}));
	const all = [healthz, ...specs.flatMap((s) => [s.sample, s.scale])];
	const checks = await warmAndCheck(all);
	const shown = new Map<Spec, number>();
	for (const { target, sample, scale } of specs) {
		for (const s of [sample, scale]) {
			const check = checks.get(s);
			if (!check) continue;
			if (check.status !== 200) warn(`${s.name}: status ${check.status} after warm-up`);
			// Every search must reach the database: a cached copy would measure the cache instead.
			if (check.xCache !== "BYPASS") warn(`${s.name}: x-cache is ${check.xCache ?? "missing"} with the bench header`);
			const problem = check.status === 200 ? target.check(check.body, code.PAGE_SIZE) : null;
			if (problem) warn(`${s.name}: ${problem}`);
			shown.set(s, shownResults(check.body, target));
		}
	}
	// Latency with no queue in front: what one reader waits, apart from what the other connections add.
	const alone = new Map<Spec, number>();
	for (const s of all) {
		if (s !== healthz) alone.set(s, await oneAtATimeP50(`${s.origin}${s.path}`, headers));
	}

	await warmUnderLoad(all, load);
	const measurements = new Measurements(load);
	for (let round = 0; round < rounds; round++) {
		const order = specs.map((_, i) => specs[(i + round) % specs.length] as (typeof specs)[number]);
		for (const { target, sample, scale } of order) {
			const label = `search, round ${round + 1}/${rounds}`;
			const trio = round % 2 === 0 ? [healthz, scale, sample] : [sample, scale, healthz];
			const runs = new Map<Spec, Round>();
			for (const s of trio) runs.set(s, await measurements.run(s, label));
			const run = (s: Spec) => runs.get(s) as Round;
			measurements.ratio(`${target.name} × /healthz`, run(scale), run(healthz));
			measurements.ratio(`${target.name} N ÷ sample`, run(scale), run(sample));
		}
	}

	const rows = specs.map(({ target, sample, scale }) => {
		const side = (s: Spec, size: (typeof sizes)[number]) => ({
			path: s.path,
			check: withoutBody(checks.get(s)),
			shown: shown.get(s) ?? 0,
			sql: facts[size].get(target.q) ?? null,
			oneAtATimeP50Ms: alone.get(s) ?? 0,
			...measurements.summary(s),
		});
		const sampleSide = side(sample, "sample");
		const scaleSide = side(scale, "scale");
		const p50Ratio = sampleSide.p50Ms > 0 ? scaleSide.p50Ms / sampleSide.p50Ms : Number.POSITIVE_INFINITY;
		const ceilingRatio = median(measurements.ratios.get(`${target.name} × /healthz`) ?? []);
		return {
			name: target.name,
			q: target.q,
			sample: sampleSide,
			scale: scaleSide,
			p50Ratio,
			oneAtATimeP50Ratio: sampleSide.oneAtATimeP50Ms > 0 ? scaleSide.oneAtATimeP50Ms / sampleSide.oneAtATimeP50Ms : 0,
			throughputRatio: median(measurements.ratios.get(`${target.name} N ÷ sample`) ?? []),
			ceilingRatio,
			pairedRatios: {
				ceiling: measurements.ratios.get(`${target.name} × /healthz`) ?? [],
				throughput: measurements.ratios.get(`${target.name} N ÷ sample`) ?? [],
			},
			goals: { p50Ratio: SEARCH_P50_GOAL, ceilingRatio: SEARCH_CEILING_GOAL },
			pass: { p50: p50Ratio <= SEARCH_P50_GOAL, ceiling: ceilingRatio >= SEARCH_CEILING_GOAL },
		};
	});
	return {
		candidates: code.SEARCH_CANDIDATES,
		healthz: { path: healthz.path, ...measurements.summary(healthz) },
		rows,
	};
}

/** Results the response shows: the API's results, the page's result cards. */
function shownResults(body: string, target: SearchTarget): number {
	if (target.path.startsWith("/api/")) {
		try {
			return (JSON.parse(body) as { results?: unknown[] }).results?.length ?? 0;
		} catch {
			return 0;
		}
	}
	return body.match(/<li class="card">/g)?.length ?? 0;
}

export type SearchMeasured = Awaited<ReturnType<typeof measureSearch>>;

/** The search table, and what the statement reads at each size. */
export function printSearch(search: SearchMeasured, articles: number): void {
	const n = articles.toLocaleString("en-US");
	const count = (value: number) => value.toLocaleString("en-US");
	console.log("");
	console.log(
		`Search at ${n} articles against the sample size, cache off, built Worker (no proxy); both sizes served at once. ` +
			`The statement ranks the newest ${count(search.candidates)} matches; N × /healthz is against /healthz on the same server ` +
			`(${Math.round(search.healthz.reqPerSec)} req/s there).`,
	);
	console.log("");
	console.log(
		"| search, cache off | shown sample / N | index matches sample / N | rows_read sample / N | SQL ms sample / N | req/s sample / N | p50 ms one at a time sample / N | p50 ms under load sample / N | p50 N ÷ sample | N × /healthz |",
	);
	console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
	for (const r of search.rows) {
		const { sample: s, scale: l } = r;
		const p50Verdict = `${r.pass.p50 ? "pass" : "FAIL"} (goal ≤ ${SEARCH_P50_GOAL})`;
		const ceilingVerdict = `${r.pass.ceiling ? "pass" : "FAIL"} (goal ≥ ${SEARCH_CEILING_GOAL.toFixed(2)})`;
		console.log(
			`| ${r.name} | ${s.shown} / ${l.shown} | ${count(s.sql?.indexMatches ?? 0)} / ${count(l.sql?.indexMatches ?? 0)} | ` +
				`${count(s.sql?.rowsRead ?? 0)} / ${count(l.sql?.rowsRead ?? 0)} | ${s.sql?.sqlMs ?? "?"} / ${l.sql?.sqlMs ?? "?"} | ` +
				`${Math.round(s.reqPerSec)} / ${Math.round(l.reqPerSec)} | ${s.oneAtATimeP50Ms.toFixed(1)} / ${l.oneAtATimeP50Ms.toFixed(1)} | ` +
				`${s.p50Ms.toFixed(1)} / ${l.p50Ms.toFixed(1)} | ${r.p50Ratio.toFixed(2)} ${p50Verdict} | ${r.ceilingRatio.toFixed(2)} ${ceilingVerdict} |`,
		);
	}
	console.log("");
	console.log(
		"rows_read and SQL ms: D1's meta for the search statement alone (searchStatement, a first API page), run through " +
			"each server's D1 binding; the HTML page's batch also reads every topic and region. Index matches count drafts, " +
			"scheduled and trashed articles too.",
	);
}
