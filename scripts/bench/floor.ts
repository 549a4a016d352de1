// What the goals are up against on this machine: a bare Worker, served exactly as the built one is
// (wrangler's Miniflare, no proxy), that does nothing but what a judged row cannot avoid. Its own
// /healthz is the ceiling; `/copy` answers with the very bytes of a cached article page (status,
// headers and body as the built Worker sent them on a HIT), so the gap to the ceiling is the cost
// of sending that response here; `/d1` runs one `SELECT 1` through a D1 session, the least a
// cache-off render can read. The ratios bound what the site's own rows can reach in this setup.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkerBuild } from "../lib/worker-server.ts";

/** A response as a client received it, to be sent again byte for byte by the floor Worker. */
export type Copy = { status: number; headers: [string, string][]; body: string };

/** Headers that describe one transfer, not the response: the floor Worker's runtime sets its own. */
const PER_TRANSFER = new Set(["content-length", "transfer-encoding", "content-encoding", "connection", "date"]);

/** A response exactly as a client without `Accept-Encoding` (as autocannon) gets it. */
export async function captureCopy(origin: string, path: string): Promise<Copy> {
	const res = await fetch(`${origin}${path}`, { headers: { "accept-encoding": "identity" } });
	const body = await res.text();
	const headers = [...res.headers].filter(([name]) => !PER_TRANSFER.has(name));
	return { status: res.status, headers, body };
}

export const FLOOR_PATHS = { ceiling: "/healthz", copy: "/copy", d1: "/d1" } as const;

function floorSource(copy: Copy): string {
	return `// The benchmark's floor Worker (scripts/bench/floor.ts), written for one run.
const COPY = ${JSON.stringify(copy)};
const BODY = new TextEncoder().encode(COPY.body);
export default {
	async fetch(request, env) {
		const { pathname } = new URL(request.url);
		if (pathname === ${JSON.stringify(FLOOR_PATHS.ceiling)}) return new Response("ok");
		if (pathname === ${JSON.stringify(FLOOR_PATHS.copy)}) return new Response(BODY, { status: COPY.status, headers: COPY.headers });
		if (pathname === ${JSON.stringify(FLOOR_PATHS.d1)}) {
			const row = await env.DB.withSession("first-unconstrained").prepare("SELECT 1 AS one").first();
			return new Response(String(row.one));
		}
		return new Response("not found", { status: 404 });
	},
};
`;
}

/**
 * The floor Worker as a build startWorkerServer can serve (with wrangler.toml's bindings), and an
 * empty state folder for it: `SELECT 1` needs a database, not this project's tables.
 */
export function writeFloorWorker(copy: Copy): { build: WorkerBuild; stateDir: string } {
	const dir = mkdtempSync(join(tmpdir(), "samarium-floor-"));
	const stateDir = join(dir, "state");
	const buildDir = join(dir, "build");
	mkdirSync(buildDir, { recursive: true });
	mkdirSync(stateDir, { recursive: true });
	writeFileSync(join(buildDir, "index.js"), floorSource(copy));
	return {
		build: {
			dir: buildDir,
			modules: ["index.js"],
			remove: () => rmSync(dir, { recursive: true, force: true }),
		},
		stateDir,
	};
}
