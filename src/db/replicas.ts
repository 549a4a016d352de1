import { DatabaseError } from "./instrument";

// Which copy of the database a request reads: D1's read replicas through the Sessions API
// (docs/operations.md#read-replication). Every request opens one session. Readers' pages may come
// from the nearest replica, however far behind; an editor reads the primary, or a replica that has
// caught up with the editor's last bookmark; and a render that refills a copy purged moments ago
// reads the primary, so that a lagging replica cannot put the old text back into the cache.

/** Where a session's first query goes: a constraint, or a bookmark the replica must have reached. */
export type ReadFrom = D1SessionConstraint | { bookmark: string };

// D1's bookmarks are four hex fields (`00000001-0000000a-00004f09-<32 hex>`). Anything else a
// cookie carries is not one D1 gave this site, and is ignored rather than sent to D1.
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

export function isBookmark(value: string | undefined | null): value is string {
	return typeof value === "string" && BOOKMARK.test(value);
}

/** Opens the request's one session on `d1`. */
export function openSession(d1: D1Database, from: ReadFrom): D1DatabaseSession {
	try {
		return d1.withSession(typeof from === "string" ? from : from.bookmark);
	} catch (err) {
		throw new DatabaseError(err);
	}
}

// Requests the edge cache makes itself, to refill a copy purged moments ago. Held by identity, so
// no header or parameter a reader sends can ask for the primary.
const primaryRenders = new WeakSet<Request>();

/** Marks a request made by the edge cache as one that must read the primary. */
export function readPrimary(request: Request): Request {
	primaryRenders.add(request);
	return request;
}

export function mustReadPrimary(request: Request): boolean {
	return primaryRenders.has(request);
}
