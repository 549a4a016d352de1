// The measuring core of `npm run bench`: autocannon runs against one URL, in pairs whose ratio is
// taken within the pair. This shared 2-core machine's speed drifts by ±20% over tens of seconds,
// which would swamp a ratio of totals taken minutes apart; two runs back to back see the same drift.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

// autocannon ships no types; these are the parts of its programmatic API used here.
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

export type Load = { connections: number; duration: number; warmupSeconds: number };

/** One URL on one server, as measured. */
export type Spec = { name: string; origin: string; path: string; headers?: Record<string, string> };

export type Round = {
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

/** One response after warm-up: what the numbers describe. `bodyHash` ignores the server's own origin. */
export type Check = { status: number; xCache: string | null; bytes: number; bodyHash: string; body: string };

export const WARMUP_REQUESTS = 5;

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** A check as the results file keeps it: without the body. */
export function withoutBody(check: Check | undefined): Omit<Check, "body"> | null {
	if (!check) return null;
	const { body: _body, ...rest } = check;
	return rest;
}

/** A few requests to each spec, then one checked response each, after all are warm. */
export async function warmAndCheck(specs: Spec[]): Promise<Map<Spec, Check>> {
	for (const spec of specs) {
		for (let i = 0; i < WARMUP_REQUESTS; i++) {
			await (await fetch(`${spec.origin}${spec.path}`, { headers: spec.headers })).arrayBuffer();
		}
	}
	// Checked after every spec is warm, so that a cache write finishing in waitUntil has had time to land.
	const checks = new Map<Spec, Check>();
	for (const spec of specs) {
		const res = await fetch(`${spec.origin}${spec.path}`, { headers: spec.headers });
		const body = await res.text();
		// The origin differs between servers (each one's SITE_URL is its own address); nothing else should.
		const bodyHash = createHash("sha256").update(body.replaceAll(spec.origin, "ORIGIN")).digest("base64url");
		checks.set(spec, {
			status: res.status,
			xCache: res.headers.get("x-cache"),
			bytes: Buffer.byteLength(body),
			bodyHash,
			body,
		});
	}
	return checks;
}

/**
 * A few seconds of real load on every spec before measuring, discarded: the first round otherwise
 * pays for JIT warm-up in workerd (and wrangler's proxy), whichever spec runs first.
 */
export async function warmUnderLoad(specs: Spec[], load: Load): Promise<void> {
	for (const spec of specs) {
		console.log(`bench: warming up ${spec.name} for ${load.warmupSeconds} s`);
		await autocannon({
			url: `${spec.origin}${spec.path}`,
			connections: load.connections,
			duration: load.warmupSeconds,
			headers: spec.headers,
		});
	}
}

/** Collects every run of every spec, and the ratio of each pair. */
export class Measurements {
	readonly rounds = new Map<Spec, Round[]>();
	readonly ratios = new Map<string, number[]>();

	private readonly load: Load;

	constructor(load: Load) {
		this.load = load;
	}

	async run(spec: Spec, label: string): Promise<Round> {
		console.log(`bench: ${label}, ${spec.name}`);
		const r = await autocannon({
			url: `${spec.origin}${spec.path}`,
			connections: this.load.connections,
			duration: this.load.duration,
			headers: spec.headers,
		});
		const runs = this.rounds.get(spec) ?? [];
		this.rounds.set(spec, runs);
		const round: Round = {
			round: runs.length + 1,
			requests: r.requests.total,
			seconds: r.duration,
			p50Ms: r.latency.p50,
			p99Ms: r.latency.p99,
			errors: r.errors,
			timeouts: r.timeouts,
			non2xx: r.non2xx,
			statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
		};
		runs.push(round);
		return round;
	}

	/** Records `num`'s req/s over `den`'s under `key`: for runs made back to back by the caller. */
	ratio(key: string, num: Round, den: Round): void {
		const list = this.ratios.get(key) ?? [];
		this.ratios.set(key, list);
		const d = perSecond(den);
		list.push(d > 0 ? perSecond(num) / d : 0);
	}

	/** Runs `first` then `second` back to back and records second's req/s over first's under `key`. */
	async pair(key: string, first: Spec, second: Spec, label: string, invert = false): Promise<void> {
		const a = await this.run(first, label);
		const b = await this.run(second, label);
		if (invert) this.ratio(key, a, b);
		else this.ratio(key, b, a);
	}

	/**
	 * req/s pools every round (total requests over total seconds). Latency is the median over rounds
	 * of each round's percentile, p99 included: a single round's p99 is mostly whichever noise burst
	 * hit it, and the median keeps one bad round from deciding the number, as it does for p50.
	 */
	summary(spec: Spec) {
		const runs = this.rounds.get(spec) ?? [];
		const sum = (pick: (r: Round) => number) => runs.reduce((total, r) => total + pick(r), 0);
		const seconds = sum((r) => r.seconds);
		const statusCodes: Record<string, number> = {};
		for (const run of runs) {
			for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
		}
		return {
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
	}
}

function perSecond(r: Round): number {
	return r.seconds > 0 ? r.requests / r.seconds : 0;
}
