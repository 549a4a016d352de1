// The writers: editors saving through the admin JSON API with an API token, as an integration
// would. Each picks one of the most read articles, reads its current version, takes a moment to
// "edit", and saves based on that version; a 409 (the other writer saved first) means read again
// and retry. Every acknowledged save goes into the ledger with the moment its answer arrived.
import { Agent } from "node:http";
import { performance } from "node:perf_hooks";
import { HttpFailure, type HttpResponse, send } from "./http.ts";
import type { Ledger } from "./ledger.ts";
import { markedBody, markedTitle } from "./markers.ts";

export type Editable = { article: number; id: number; slug: string };

export class WriteStats {
	saves = 0;
	conflicts = 0;
	reads = 0;
	saveLatencies: number[] = [];
	/** Anything but a 200 or a 409 on a save, or a failed request: each fails the run. */
	errors: string[] = [];
	errorCount = 0;
	/** Answers with status >= 500 (also in errors). */
	serverErrors = 0;
	/** The admin API answered an older version than one this run had already had acknowledged. */
	staleAdminReads = 0;
	perWriter: { saves: number; conflicts: number }[] = [];
}

export type WriterOptions = {
	origin: URL;
	token: string;
	pick: () => Editable;
	ledger: Ledger;
	stats: WriteStats;
	t0: number;
	deadline: number;
	timeoutMs: number;
	/** Pause after a save, and the "editing" time between reading and saving (ms, drawn uniformly). */
	pauseMs: [number, number];
	thinkMs: [number, number];
};

const MAX_ATTEMPTS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);

type AdminArticle = { id: number; version: number; title: string; bodyMarkdown: string };

function parseArticle(text: string): AdminArticle | null {
	try {
		const json = JSON.parse(text) as Partial<AdminArticle>;
		return typeof json.version === "number" ? (json as AdminArticle) : null;
	} catch {
		return null;
	}
}

export async function runWriter(writer: number, o: WriterOptions): Promise<void> {
	const agent = new Agent({ keepAlive: true, maxSockets: 1 });
	const { stats, ledger } = o;
	const mine = { saves: 0, conflicts: 0 };
	stats.perWriter[writer - 1] = mine;
	const auth = { authorization: `Bearer ${o.token}` };
	const fail = (text: string, res?: HttpResponse) => {
		stats.errorCount += 1;
		if (res && res.status >= 500) stats.serverErrors += 1;
		if (stats.errors.length < 20) stats.errors.push(`writer ${writer}: ${text}`);
	};
	const request = async (method: string, path: string, body?: unknown): Promise<HttpResponse | null> => {
		try {
			return await send(o.origin, path, {
				agent,
				method,
				headers: body === undefined ? auth : { ...auth, "content-type": "application/json" },
				body: body === undefined ? undefined : JSON.stringify(body),
				timeoutMs: o.timeoutMs,
			});
		} catch (err) {
			const at = err instanceof HttpFailure ? ` (sent at ${Math.round(err.startedAt - o.t0)} ms)` : "";
			fail(`${method} ${path}${at}: ${(err as Error).message}`);
			return null;
		}
	};

	try {
		while (performance.now() < o.deadline) {
			const target = o.pick();
			const path = `/api/admin/articles/${target.id}`;
			for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
				const read = await request("GET", path);
				if (!read) break;
				stats.reads += 1;
				if (read.status !== 200) {
					fail(`GET ${path}: ${read.status} ${read.body.slice(0, 200)}`, read);
					break;
				}
				const current = parseArticle(read.body);
				if (!current) {
					fail(`GET ${path}: not an article: ${read.body.slice(0, 200)}`);
					break;
				}
				if (current.version < ledger.required(target.article, read.startedAt)) stats.staleAdminReads += 1;

				await sleep(between(o.thinkMs));
				const version = current.version + 1;
				const title = markedTitle(target.article, version);
				const bodyMarkdown = markedBody(target.article, version, writer);
				const sentAt = performance.now();
				ledger.sending(target.article, version, sentAt);
				const saved = await request("PATCH", path, { version: current.version, title, bodyMarkdown });
				ledger.settled(target.article, sentAt);
				if (!saved) break;
				if (saved.status === 409) {
					stats.conflicts += 1;
					mine.conflicts += 1;
					continue;
				}
				if (saved.status !== 200) {
					fail(`PATCH ${path} from v${current.version}: ${saved.status} ${saved.body.slice(0, 200)}`, saved);
					break;
				}
				const after = parseArticle(saved.body);
				if (after?.version !== version || after.title !== title || after.bodyMarkdown !== bodyMarkdown) {
					fail(`PATCH ${path} from v${current.version} answered v${after?.version} "${after?.title}"`);
					break;
				}
				ledger.acknowledged(target.article, {
					version,
					title,
					bodyMarkdown,
					writer,
					sentAt: saved.startedAt,
					ackAt: saved.headersAt,
				});
				stats.saves += 1;
				mine.saves += 1;
				stats.saveLatencies.push(saved.endedAt - saved.startedAt);
				break;
			}
			await sleep(between(o.pauseMs));
		}
	} finally {
		agent.destroy();
	}
}
