import type { Context } from "hono";
import { applyPurge } from "../cache/purge";
import type { AppEnv } from "../types";
import type { Deps } from "./services/deps";

/** The services' dependencies for this request: its database, editor, time and purge. */
export function depsOf(c: Context<AppEnv>): Deps {
	// Hono types its own narrower ExecutionContext; at runtime it is the Worker's.
	const ctx = c.executionCtx as ExecutionContext;
	return {
		db: c.var.db,
		editor: c.var.editor,
		now: Date.now(),
		siteUrl: c.var.siteUrl,
		purge: (plan) => applyPurge(plan, c.env, ctx),
	};
}
