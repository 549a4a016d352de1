// The readers: N concurrent loops, each on its own keep-alive connection, each request an article
// drawn by popularity (mostly the HTML page, some of the JSON), anonymous like a reader's browser.
// Every answer is checked as it arrives: 200, and showing no save older than one acknowledged before
// the request was sent, for the article itself or any article its Related Articles list.
import { Agent } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { HttpFailure, type HttpResponse, header, send } from "./http.ts";
import type { Ledger } from "./ledger.ts";
import { readHtml, readJson, type Shown } from "./markers.ts";
import type { Zipf } from "./popularity.ts";

export type Kind = "html" | "json";

export type Catalogue = {
	/** Article number by rank (index 0 is rank 1). */
	byRank: number[];
	slugOf: (article: number) => string;
};

export type StaleRead = {
	reader: number;
	path: string;
	/** The article whose text was old: the one requested, or one in its Related Articles. */
	article: number;
	where: "article" | "related";
	shown: number;
	expected: number;
	xCache: string;
	age: string;
	/** Milliseconds since the start of the run. */
	sentAt: number;
	receivedAt: number;
	/** When the save of the expected version was sent and acknowledged. */
	saveSentAt: number | null;
	ackAt: number | null;
};

/** Why a MISS happened, as far as the client can tell. */
export type MissCause = "cold" | "own-save" | "related-save" | "unexplained";

export class ReadStats {
	requests = 0;
	byKind: Record<Kind, number> = { html: 0, json: 0 };
	xCache: Record<string, number> = {};
	status: Record<string, number> = {};
	latencies: number[] = [];
	latenciesByKind: Record<Kind, number[]> = { html: [], json: [] };
	latenciesByCache: Record<string, number[]> = {};
	misses: Record<MissCause, number> = { cold: 0, "own-save": 0, "related-save": 0, unexplained: 0 };
	/** The MISSes nothing explains, for a closer look (first few). */
	unexplainedMisses: string[] = [];
	staleReads: StaleRead[] = [];
	staleCount = { article: 0, related: 0 };
	/** Pages that showed a version no save was ever sent for, or a body not matching the title. */
	inconsistent: string[] = [];
	inconsistentCount = 0;
	/** Requests with no complete response (refused, reset, timed out). */
	failures: string[] = [];
	failureCount = 0;
	/** Answers other than 200 (5xx counted in `status` too). */
	unexpected: string[] = [];
	/** Articles some answer listed in its Related Articles. */
	listed = new Set<number>();
	sockets = new Set<Socket>();
	/** Readers that completed at least one request. */
	activeReaders = new Set<number>();
	inFlight = 0;
	peakInFlight = 0;
	/** Per cache key: when an answer first came back, and when the latest HITs were sent (newest last). */
	keys = new Map<string, { firstDoneAt: number; hits: number[] }>();
}

export type ReaderOptions = {
	origin: URL;
	catalogue: Catalogue;
	zipf: Zipf;
	jsonShare: number;
	ledger: Ledger;
	stats: ReadStats;
	t0: number;
	deadline: number;
	timeoutMs: number;
};

const KEEP = 20;
const FAILURE_PAUSE_MS = 100;

function keep<T>(list: T[], item: T): void {
	if (list.length < KEEP) list.push(item);
}

export async function runReader(reader: number, o: ReaderOptions): Promise<void> {
	// One socket per reader, kept open: exactly one connection per loop.
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const { stats } = o;
	try {
		while (performance.now() < o.deadline) {
			const article = o.catalogue.byRank[o.zipf.rank(Math.random()) - 1] as number;
			const kind: Kind = Math.random() < o.jsonShare ? "json" : "html";
			const slug = o.catalogue.slugOf(article);
			const path = kind === "html" ? `/articles/${slug}` : `/api/articles/${slug}`;
			stats.inFlight += 1;
			stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
			let res: HttpResponse;
			try {
				res = await send(o.origin, path, {
					agent,
					timeoutMs: o.timeoutMs,
					onSocket: (socket) => stats.sockets.add(socket),
				});
			} catch (err) {
				stats.failureCount += 1;
				const at = err instanceof HttpFailure ? (err.startedAt - o.t0).toFixed(0) : "?";
				keep(stats.failures, `reader ${reader} GET ${path} (sent at ${at} ms): ${(err as Error).message}`);
				// A server that is down refuses at once: no need to spin on it.
				await new Promise((resolve) => setTimeout(resolve, FAILURE_PAUSE_MS));
				continue;
			} finally {
				stats.inFlight -= 1;
			}
			stats.activeReaders.add(reader);
			record(reader, path, kind, article, res, o);
		}
	} finally {
		agent.destroy();
	}
}

function record(reader: number, path: string, kind: Kind, article: number, res: HttpResponse, o: ReaderOptions): void {
	const { stats, ledger } = o;
	const ms = res.endedAt - res.startedAt;
	const xCache = header(res, "x-cache") || "(none)";
	stats.requests += 1;
	stats.byKind[kind] += 1;
	stats.status[res.status] = (stats.status[res.status] ?? 0) + 1;
	stats.xCache[xCache] = (stats.xCache[xCache] ?? 0) + 1;
	stats.latencies.push(ms);
	stats.latenciesByKind[kind].push(ms);
	const byCache = stats.latenciesByCache[xCache] ?? [];
	byCache.push(ms);
	stats.latenciesByCache[xCache] = byCache;
	const at = (t: number) => Math.round(t - o.t0);
	if (res.status !== 200) {
		keep(
			stats.unexpected,
			`reader ${reader} GET ${path}: ${res.status} (x-cache ${xCache}) at ${at(res.startedAt)} ms`,
		);
		return;
	}

	const shown: Shown = kind === "html" ? readHtml(res.body, article) : readJson(res.body, article);
	const problem = (text: string) => {
		stats.inconsistentCount += 1;
		keep(
			stats.inconsistent,
			`reader ${reader} GET ${path} (x-cache ${xCache}, sent at ${at(res.startedAt)} ms): ${text}`,
		);
	};
	if (shown.title === null) {
		problem("the article's title was not found in the answer");
		return;
	}
	if (shown.body !== shown.title) {
		problem(`the title shows v${shown.title} but the body v${shown.body}`);
		return;
	}

	const shownVersions: [number, number, "article" | "related"][] = [[article, shown.title, "article"]];
	for (const [other, version] of shown.others) {
		shownVersions.push([other, version, "related"]);
		stats.listed.add(other);
	}
	for (const [n, version, where] of shownVersions) {
		if (version > ledger.highestPossible(n)) {
			problem(`article ${n} is shown at v${version}, which no save has produced`);
			continue;
		}
		const expected = ledger.required(n, res.startedAt);
		if (version >= expected) continue;
		stats.staleCount[where] += 1;
		const ack = ledger.ackOf(n, expected);
		if (stats.staleReads.length < KEEP) {
			stats.staleReads.push({
				reader,
				path,
				article: n,
				where,
				shown: version,
				expected,
				xCache,
				age: header(res, "age"),
				sentAt: at(res.startedAt),
				receivedAt: at(res.endedAt),
				saveSentAt: ack ? at(ack.sentAt) : null,
				ackAt: ack ? at(ack.ackAt) : null,
			});
		}
	}
	classify(path, xCache, article, shown, res, o);
}

/** HIT times kept per key: enough to find the last one sent before a MISS still being answered. */
const HIT_HISTORY = 32;

/**
 * Sorts a MISS by its likely cause: the key's first render, a save of the article or of one in its
 * Related Articles since a copy was last known cached (its purge), or nothing the client knows of.
 * "Last known cached" is the latest HIT sent before this request: answers arrive out of order.
 */
function classify(path: string, xCache: string, article: number, shown: Shown, res: HttpResponse, o: ReaderOptions) {
	const { stats } = o;
	const key = stats.keys.get(path);
	if (!key) {
		stats.keys.set(path, { firstDoneAt: res.endedAt, hits: xCache === "HIT" ? [res.startedAt] : [] });
		if (xCache === "MISS") stats.misses.cold += 1;
		return;
	}
	if (xCache === "HIT") {
		key.hits.push(res.startedAt);
		if (key.hits.length > HIT_HISTORY) key.hits.shift();
		return;
	}
	if (xCache !== "MISS") return;
	if (res.startedAt < key.firstDoneAt) {
		stats.misses.cold += 1;
		return;
	}
	// Without a HIT sent before it, the first answer is when a copy was first stored.
	let cachedAt = key.firstDoneAt;
	for (const at of key.hits) if (at < res.startedAt && at > cachedAt) cachedAt = at;
	if (o.ledger.savedDuring([article], cachedAt, res.endedAt)) stats.misses["own-save"] += 1;
	else if (o.ledger.savedDuring(shown.others.keys(), cachedAt, res.endedAt)) stats.misses["related-save"] += 1;
	else {
		stats.misses.unexplained += 1;
		keep(
			stats.unexplainedMisses,
			`GET ${path} sent at ${Math.round(res.startedAt - o.t0)} ms, answered at ${Math.round(res.endedAt - o.t0)} ms; ` +
				`last known cached at ${Math.round(cachedAt - o.t0)} ms; lists articles ${[...shown.others.keys()].join(", ")}`,
		);
	}
}
