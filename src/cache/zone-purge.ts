// Client for Cloudflare's zone purge API (purge by cache tag and by URL).
// https://developers.cloudflare.com/api/resources/cache/methods/purge/
// Purging is idempotent, so any batch may be retried safely. It reports rather than throws, so a
// failed purge never fails the content change that asked for it.

export type ZonePurgeOptions = {
	zoneId: string;
	apiToken: string;
	/** Defaults to https://api.cloudflare.com/client/v4; tests point it at a fake. */
	endpoint?: string;
	/** Defaults to globalThis.fetch; tests pass a fake. */
	fetch?: typeof fetch;
	/** Defaults to a setTimeout promise; tests pass one that records delays and resolves at once. */
	sleep?: (ms: number) => Promise<void>;
	/** Attempts per request, including the first (default 4). */
	maxAttempts?: number;
};

export type ZonePurgeReport = {
	ok: boolean;
	requests: number;
	/** `everything` is set only when a purge of everything succeeded. */
	purged: { tags: number; urls: number; everything?: true };
	errors: string[];
};

const DEFAULT_ENDPOINT = "https://api.cloudflare.com/client/v4";
const DEFAULT_MAX_ATTEMPTS = 4;
// The documented per-request limit on tags or URLs; larger bodies are rejected whole.
const MAX_PURGE_BATCH = 100;
const BASE_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;
const MAX_RETRY_AFTER_MS = 30_000;
// Keeps the report readable when an error body is long or not the API's JSON.
const MAX_DETAIL_CHARS = 200;

type Kind = "tags" | "files" | "everything";
type Batch = { kind: Kind; items: string[]; label: string };

/** What one HTTP attempt came to: done (either way), or worth another try after `waitMs`. */
type Outcome = { done: true; ok: boolean; message?: string } | { done: false; message: string; waitMs?: number };

function unique(values: readonly string[]): string[] {
	return [...new Set(values.filter((value) => typeof value === "string" && value !== ""))];
}

function chunk<T>(values: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let i = 0; i < values.length; i += size) chunks.push(values.slice(i, i + size));
	return chunks;
}

function batchesOf(kind: Kind, values: string[]): Batch[] {
	const chunks = chunk(values, MAX_PURGE_BATCH);
	const noun = kind === "tags" ? "tags" : "urls";
	return chunks.map((items, i) => ({ kind, items, label: `${noun} batch ${i + 1}/${chunks.length}` }));
}

/** 500 ms, 1 s, 2 s, … for the 1st, 2nd, 3rd failed attempt, never more than 8 s. */
function backoffMs(failedAttempts: number): number {
	return Math.min(BASE_BACKOFF_MS * 2 ** (failedAttempts - 1), MAX_BACKOFF_MS);
}

/** Retry-After in seconds as milliseconds; the HTTP-date form is ignored (the API sends seconds). */
function parseRetryAfter(header: string | null): number | undefined {
	if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return undefined;
	return Number(header) * 1000;
}

function retryDelayMs(failedAttempts: number, retryAfterMs: number | undefined): number {
	const backoff = backoffMs(failedAttempts);
	if (retryAfterMs === undefined || retryAfterMs <= backoff) return backoff;
	return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
}

function truncate(text: string): string {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}…` : flat;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** The API's `errors` (and, failing those, `messages`) as "code message" strings. */
function apiMessages(body: unknown): string[] {
	if (typeof body !== "object" || body === null) return [];
	const record = body as Record<string, unknown>;
	for (const key of ["errors", "messages"]) {
		const list = record[key];
		if (!Array.isArray(list)) continue;
		const messages = list.map(describeApiError).filter((m) => m !== "");
		if (messages.length > 0) return messages;
	}
	return [];
}

function describeApiError(entry: unknown): string {
	if (typeof entry === "string") return entry;
	if (typeof entry !== "object" || entry === null) return "";
	const { code, message } = entry as { code?: unknown; message?: unknown };
	return [code, message].filter((part) => typeof part === "string" || typeof part === "number").join(" ");
}

function describeStatus(status: number, text: string): string {
	const messages = apiMessages(parseJson(text));
	const detail = messages.length > 0 ? messages.join("; ") : text;
	return detail.trim() === "" ? `HTTP ${status}` : `HTTP ${status}: ${truncate(detail)}`;
}

function isRetryableStatus(status: number): boolean {
	return status === 429 || status >= 500;
}

async function readText(response: Response): Promise<string> {
	try {
		return await response.text();
	} catch {
		return "";
	}
}

async function classify(response: Response, failedAttempts: number): Promise<Outcome> {
	// Always read the body: workerd holds the connection until it is consumed.
	const text = await readText(response);
	if (isRetryableStatus(response.status)) {
		const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
		return {
			done: false,
			message: describeStatus(response.status, text),
			waitMs: retryDelayMs(failedAttempts, retryAfter),
		};
	}
	if (!response.ok) return { done: true, ok: false, message: describeStatus(response.status, text) };
	const body = parseJson(text);
	if (typeof body === "object" && body !== null && (body as { success?: unknown }).success === true) {
		return { done: true, ok: true };
	}
	return { done: true, ok: false, message: `HTTP ${response.status}: ${truncate(unsuccessfulDetail(body))}` };
}

/** Why a 2xx still failed: the API's own words when it gave any. */
function unsuccessfulDetail(body: unknown): string {
	const messages = apiMessages(body);
	if (messages.length > 0) return messages.join("; ");
	return body === undefined ? "unreadable response" : "success was not true";
}

function describeThrown(error: unknown): string {
	return truncate(error instanceof Error ? error.message || error.name : String(error));
}

type Transport = {
	url: string;
	token: string;
	fetch: typeof fetch;
	sleep: (ms: number) => Promise<void>;
	maxAttempts: number;
};

async function sendBatch(
	transport: Transport,
	batch: Batch,
	countRequest: () => void,
): Promise<{ ok: boolean; error?: string }> {
	const init: RequestInit = {
		method: "POST",
		headers: { Authorization: `Bearer ${transport.token}`, "Content-Type": "application/json" },
		body: JSON.stringify(batch.kind === "everything" ? { purge_everything: true } : { [batch.kind]: batch.items }),
	};
	// Called through a plain variable: workerd's fetch throws "Illegal invocation" when `this` is
	// another object, as in `transport.fetch(...)`.
	// https://developers.cloudflare.com/workers/observability/errors/#illegal-invocation-errors
	const send = transport.fetch;
	let lastMessage = "";
	for (let attempt = 1; attempt <= transport.maxAttempts; attempt++) {
		countRequest();
		let outcome: Outcome;
		try {
			outcome = await classify(await send(transport.url, init), attempt);
		} catch (error) {
			outcome = { done: false, message: `network error: ${describeThrown(error)}` };
		}
		if (outcome.done) return outcome.ok ? { ok: true } : { ok: false, error: `${batch.label}: ${outcome.message}` };
		lastMessage = outcome.message;
		if (attempt < transport.maxAttempts) await transport.sleep(outcome.waitMs ?? backoffMs(attempt));
	}
	const tries = transport.maxAttempts === 1 ? "1 attempt" : `${transport.maxAttempts} attempts`;
	return { ok: false, error: `${batch.label}: ${lastMessage} (after ${tries})` };
}

/** A token should never reach a log, even if some error text happened to echo it. */
function redact(message: string, token: string): string {
	return token === "" ? message : message.replaceAll(token, "[redacted]");
}

/** A whole number of at least 1; anything unusable (NaN, Infinity) falls back to the default. */
function attemptsFrom(value: number | undefined): number {
	if (value === undefined || !Number.isFinite(value)) return DEFAULT_MAX_ATTEMPTS;
	return Math.max(1, Math.floor(value));
}

function defaultSleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function purgeUrl(endpoint: string, zoneId: string): string {
	return `${endpoint.replace(/\/+$/, "")}/zones/${encodeURIComponent(zoneId)}/purge_cache`;
}

export async function purgeZone(
	options: ZonePurgeOptions,
	target: { tags: string[]; urls: string[]; everything?: boolean },
): Promise<ZonePurgeReport> {
	const report: ZonePurgeReport = { ok: true, requests: 0, purged: { tags: 0, urls: 0 }, errors: [] };
	const token = typeof options?.apiToken === "string" ? options.apiToken : "";
	try {
		// Everything covers any tag or URL, in one request.
		const batches: Batch[] = target?.everything
			? [{ kind: "everything", items: [], label: "purge everything" }]
			: [...batchesOf("tags", unique(target?.tags ?? [])), ...batchesOf("files", unique(target?.urls ?? []))];
		if (batches.length === 0) return report;
		if (!options.zoneId || !token) {
			return { ...report, ok: false, errors: ["zone purge is not configured (zoneId and apiToken are required)"] };
		}
		const transport: Transport = {
			url: purgeUrl(options.endpoint ?? DEFAULT_ENDPOINT, options.zoneId),
			token,
			fetch: options.fetch ?? globalThis.fetch,
			sleep: options.sleep ?? defaultSleep,
			maxAttempts: attemptsFrom(options.maxAttempts),
		};
		// One batch at a time: parallel bursts are what trip the API's rate limit.
		for (const batch of batches) {
			const result = await sendBatch(transport, batch, () => report.requests++);
			if (result.ok) {
				if (batch.kind === "tags") report.purged.tags += batch.items.length;
				else if (batch.kind === "files") report.purged.urls += batch.items.length;
				else report.purged.everything = true;
			} else {
				report.ok = false;
				if (result.error) report.errors.push(redact(result.error, token));
			}
		}
	} catch (error) {
		report.ok = false;
		report.errors.push(redact(`zone purge failed: ${describeThrown(error)}`, token));
	}
	return report;
}
