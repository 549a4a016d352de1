import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { setLastRun } from "../../src/db/queries/jobs";
import worker from "../../src/index";
import { JOB_NAME, publishScheduled } from "../../src/jobs/publish-scheduled";
import { fetchWorker, freshTaxa, insertArticle, isolatedSite, type TestTaxa, testDb } from "../helpers";

let taxa: TestTaxa;
let site: ReturnType<typeof isolatedSite>;

beforeEach(async () => {
	taxa = await freshTaxa();
	site = isolatedSite();
});

async function run(now: number) {
	const ctx = createExecutionContext();
	const result = await publishScheduled(site, ctx, now);
	await waitOnExecutionContext(ctx);
	return result;
}

describe("the scheduled-publishing cron", () => {
	it("purges what a scheduled article changes once its time has come, and only once", async () => {
		const now = Date.now();
		await insertArticle({ slug: "already-out", topicId: taxa.topic.energy });
		await setLastRun(testDb(), JOB_NAME, now - 60_000);
		// Cached while the article was still scheduled: home, its topic, its own 404.
		const cached = ["/", "/topics/energy", "/articles/on-the-hour", "/articles/already-out"];
		// The news sitemap and the topics' index (newest headline per topic) too.
		for (const path of [...cached, "/news-sitemap.xml", "/topics"]) {
			await fetchWorker(path, undefined, site);
		}
		// Its publication time passes (inserted now with a time just gone, as the clock would have it).
		await insertArticle({
			slug: "on-the-hour",
			title: "On the hour",
			topicId: taxa.topic.energy,
			publishedAt: now - 1_000,
		});
		for (const path of ["/", "/articles/on-the-hour", "/news-sitemap.xml", "/topics"]) {
			expect((await fetchWorker(path, undefined, site)).headers.get("x-cache"), path).toBe("HIT");
		}

		const result = await run(now);
		expect(result.wentLive).toEqual(["on-the-hour"]);
		expect(result.purge?.local.ok).toBe(true);

		expect((await fetchWorker("/articles/on-the-hour", undefined, site)).status).toBe(200);
		for (const path of ["/", "/topics/energy", "/articles/already-out", "/news-sitemap.xml", "/topics"]) {
			expect(await (await fetchWorker(path, undefined, site)).text(), path).toContain("On the hour");
		}

		const next = await run(now + 60_000);
		expect(next.since).toBe(now);
		expect(next.wentLive).toEqual([]);
		expect(next.purge).toBeNull();
	});

	it("catches up on missed minutes and leaves future articles for later", async () => {
		const now = Date.now();
		await setLastRun(testDb(), JOB_NAME, now - 10 * 60_000);
		await insertArticle({ slug: "missed-run", publishedAt: now - 5 * 60_000 });
		await insertArticle({ slug: "next-week", publishedAt: now + 7 * 86_400_000 });
		await insertArticle({ slug: "a-draft", status: "draft", publishedAt: now - 60_000 });
		await insertArticle({ slug: "long-ago", publishedAt: now - 86_400_000 });
		expect((await run(now)).wentLive).toEqual(["missed-run"]);
	});

	it("looks back a few minutes on its very first run", async () => {
		const now = Date.now();
		await testDb().run("DELETE FROM job_runs");
		await insertArticle({ slug: "just-now", publishedAt: now - 2 * 60_000 });
		await insertArticle({ slug: "yesterday", publishedAt: now - 86_400_000 });
		expect((await run(now)).wentLive).toEqual(["just-now"]);
	});

	it("is the Worker's scheduled handler", async () => {
		const ctx = createExecutionContext();
		await worker.scheduled(
			{ scheduledTime: Date.now(), cron: "* * * * *", noRetry() {} } as ScheduledController,
			site,
			ctx,
		);
		await waitOnExecutionContext(ctx);
		const [row] = await testDb().all<{ last_run_at: number }>(
			`SELECT last_run_at FROM job_runs WHERE name = '${JOB_NAME}'`,
		);
		expect(row?.last_run_at).toBeGreaterThan(Date.now() - 60_000);
	});
});
