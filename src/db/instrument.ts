// The D1 binding as the app sees it: every round trip is reported (its statements and how long it
// took, for `server-timing` and for the tests that count queries) and every failure becomes a
// DatabaseError, so that the error handler can tell "the database is unavailable" (503, try
// again) from a bug (500) whatever Drizzle wraps it in.

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

export type D1Statement = { sql: string; params: unknown[] };

/** One round trip to D1: the statements it carried (a batch carries several) and its duration. */
export type D1Call = { statements: D1Statement[]; ms: number };

const NATIVE = Symbol("native statement");
const RECORD = Symbol("statement record");

type Wrapped = D1PreparedStatement & { [NATIVE]?: D1PreparedStatement; [RECORD]?: D1Statement };

async function call<T>(onCall: (call: D1Call) => void, statements: D1Statement[], run: () => Promise<T>): Promise<T> {
	const started = performance.now();
	try {
		return await run();
	} catch (err) {
		throw new DatabaseError(err);
	} finally {
		onCall({ statements, ms: performance.now() - started });
	}
}

export function instrumentD1<T extends D1Database | D1DatabaseSession>(d1: T, onCall: (call: D1Call) => void): T {
	const wrap = (stmt: D1PreparedStatement, record: D1Statement): D1PreparedStatement =>
		new Proxy(stmt, {
			get(target, prop) {
				if (prop === NATIVE) return target;
				if (prop === RECORD) return record;
				const value = Reflect.get(target, prop, target);
				if (typeof value !== "function") return value;
				if (prop === "bind") {
					return (...params: unknown[]) => wrap(value.apply(target, params), { sql: record.sql, params });
				}
				if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
					return (...args: unknown[]) => call(onCall, [record], () => value.apply(target, args));
				}
				return value.bind(target);
			},
		});

	return new Proxy(d1, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			if (prop === "prepare") {
				return (sql: string) => {
					try {
						return wrap(value.call(target, sql), { sql, params: [] });
					} catch (err) {
						throw new DatabaseError(err);
					}
				};
			}
			if (prop === "batch") {
				return (stmts: Wrapped[]) => {
					const records = stmts.map((s) => s[RECORD] ?? { sql: "?", params: [] });
					// D1 wants its own statement objects back, not our proxies.
					return call(onCall, records, () =>
						value.call(
							target,
							stmts.map((s) => s[NATIVE] ?? s),
						),
					);
				};
			}
			if (prop === "exec") return (sql: string) => call(onCall, [{ sql, params: [] }], () => value.call(target, sql));
			// A session of an instrumented binding is instrumented too (the app reads through sessions).
			if (prop === "withSession") {
				return (from?: string) => instrumentD1(value.call(target, from) as D1DatabaseSession, onCall);
			}
			return value.bind(target);
		},
	});
}
