// The D1 binding as the app sees it: every call is timed (for `server-timing`) and every failure
// becomes a DatabaseError, so that the error handler can tell "the database is unavailable"
// (503, try again) from a bug (500) whatever Drizzle wraps it in.

export class DatabaseError extends Error {
	constructor(cause: unknown) {
		super("The database is unavailable.", { cause });
		this.name = "DatabaseError";
	}
}

/** True when the error, or anything in its `cause` chain, is a DatabaseError. */
export function isDatabaseError(err: unknown): boolean {
	for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
		if (e instanceof DatabaseError) return true;
	}
	return false;
}

export type DbTiming = { ms: number; calls: number };

const NATIVE = Symbol("native statement");

async function timed<T>(timing: DbTiming, run: () => Promise<T>): Promise<T> {
	const started = performance.now();
	timing.calls += 1;
	try {
		return await run();
	} catch (err) {
		throw new DatabaseError(err);
	} finally {
		timing.ms += performance.now() - started;
	}
}

function wrapStatement(stmt: D1PreparedStatement, timing: DbTiming): D1PreparedStatement {
	return new Proxy(stmt, {
		get(target, prop) {
			if (prop === NATIVE) return target;
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			if (prop === "bind") return (...args: unknown[]) => wrapStatement(value.apply(target, args), timing);
			if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
				return (...args: unknown[]) => timed(timing, () => value.apply(target, args));
			}
			return value.bind(target);
		},
	});
}

function native(stmt: D1PreparedStatement): D1PreparedStatement {
	return (stmt as unknown as Record<symbol, D1PreparedStatement | undefined>)[NATIVE] ?? stmt;
}

export function instrumentD1(d1: D1Database, timing: DbTiming): D1Database {
	return new Proxy(d1, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			if (prop === "prepare") {
				return (query: string) => {
					try {
						return wrapStatement(value.call(target, query), timing);
					} catch (err) {
						throw new DatabaseError(err);
					}
				};
			}
			// D1 wants its own statement objects back, not our proxies.
			if (prop === "batch") {
				return (stmts: D1PreparedStatement[]) => timed(timing, () => value.call(target, stmts.map(native)));
			}
			if (prop === "exec") return (query: string) => timed(timing, () => value.call(target, query));
			return value.bind(target);
		},
	});
}
