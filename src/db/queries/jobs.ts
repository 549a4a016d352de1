import { eq } from "drizzle-orm";
import type { Db } from "../client";
import { jobRuns } from "../schema";

export async function getLastRun(db: Db, name: string): Promise<number | null> {
	const [row] = await db.select({ at: jobRuns.lastRunAt }).from(jobRuns).where(eq(jobRuns.name, name)).limit(1);
	return row?.at ?? null;
}

export async function setLastRun(db: Db, name: string, at: number): Promise<void> {
	await db
		.insert(jobRuns)
		.values({ name, lastRunAt: at })
		.onConflictDoUpdate({ target: jobRuns.name, set: { lastRunAt: at } });
}
