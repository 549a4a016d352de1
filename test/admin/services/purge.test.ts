import { describe, expect, it } from "vitest";
import { describePurge } from "../../../src/admin/services/purge";
import type { PurgeReport } from "../../../src/cache/purge";

const base: PurgeReport = {
	keys: ["https://samarium.test/"],
	tags: ["list:home"],
	local: { ok: true, deleted: 3 },
	workersCache: { status: "skipped" },
	zone: { status: "skipped" },
};

describe("describePurge", () => {
	it.each<[string, Partial<PurgeReport>, string]>([
		["a local purge", {}, "3 cached copies cleared here; no global purge configured."],
		["one copy", { local: { ok: true, deleted: 1 } }, "1 cached copy cleared here; no global purge configured."],
		[
			"a global purge that worked and one that failed",
			{ workersCache: { status: "ok" }, zone: { status: "failed", errors: ["429"] } },
			"3 cached copies cleared here; Workers Cache ok, zone purge failed.",
		],
		[
			"a failed local purge",
			{ local: { ok: false, deleted: 0, error: "cache unavailable" } },
			"0 cached copies cleared here; local purge failed (cache unavailable); no global purge configured.",
		],
		[
			"everything",
			{ keys: [], tags: [], everything: true, local: { ok: true, deleted: 0 }, zone: { status: "ok", requests: 1 } },
			"every cached copy of the site cleared here; zone purge ok.",
		],
	])("describes %s", (_name, overrides, text) => {
		expect(describePurge({ ...base, ...overrides })).toBe(text);
	});
});
