// One HTTP request over a given keep-alive agent, with the moments that matter to the load test
// measured on one clock (performance.now()): when it was sent, when the response's headers arrived
// (for a write, the moment it counts as acknowledged) and when its body was complete.
import { type Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";

export type HttpResponse = {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
	startedAt: number;
	headersAt: number;
	endedAt: number;
};

/** A request that got no complete response (refused, reset, timed out); carries when it was sent. */
export class HttpFailure extends Error {
	readonly startedAt: number;
	readonly endedAt: number;

	constructor(message: string, startedAt: number) {
		super(message);
		this.startedAt = startedAt;
		this.endedAt = performance.now();
	}
}

export type RequestOptions = {
	agent: Agent;
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	timeoutMs: number;
	/** Called with the socket the request goes out on (to count the connections a client really used). */
	onSocket?: (socket: Socket) => void;
};

export function send(origin: URL, path: string, options: RequestOptions): Promise<HttpResponse> {
	return new Promise((resolve, reject) => {
		const startedAt = performance.now();
		const headers: Record<string, string> = { ...options.headers };
		if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
		const req = httpRequest({
			host: origin.hostname,
			port: origin.port,
			path,
			method: options.method ?? "GET",
			headers,
			agent: options.agent,
		});
		let settled = false;
		const fail = (message: string) => {
			if (settled) return;
			settled = true;
			reject(new HttpFailure(message, startedAt));
		};
		req.setTimeout(options.timeoutMs, () => {
			fail(`timed out after ${options.timeoutMs} ms`);
			req.destroy();
		});
		req.on("socket", (socket) => options.onSocket?.(socket));
		req.on("error", (err) => fail(err.message));
		req.on("response", (res) => {
			const headersAt = performance.now();
			const chunks: Buffer[] = [];
			res.on("data", (chunk: Buffer) => chunks.push(chunk));
			res.on("error", (err) => fail(err.message));
			res.on("aborted", () => fail("response aborted"));
			res.on("end", () => {
				if (settled) return;
				settled = true;
				let raw = Buffer.concat(chunks);
				// None is asked for; should the server compress anyway, the markers are still read.
				if (res.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body: raw.toString("utf8"),
					startedAt,
					headersAt,
					endedAt: performance.now(),
				});
			});
		});
		req.end(options.body);
	});
}

/** A header's single value ("" when absent). */
export function header(res: HttpResponse, name: string): string {
	const value = res.headers[name];
	return Array.isArray(value) ? value.join(", ") : (value ?? "");
}
