// `npm run test:setup`: `npm run setup:remote` against a fake wrangler that keeps an account's
// state (databases, the Worker's secrets, the editors table), so every path runs without a
// Cloudflare account. The wrangler.toml it edits is a copy of the real one.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
	type Deps,
	deployProblem,
	PLACEHOLDER_ID,
	type Run,
	SetupError,
	setupRemote,
	UNUSED_SECRET,
} from "./setup/remote.ts";
import { findD1, requiredSecrets } from "./setup/toml.ts";

const REAL_TOML = readFileSync(join(import.meta.dirname, "..", "wrangler.toml"), "utf8");
const NEW_ID = "4f1c2a9e-8b7d-4c3e-9a1f-0e2d3c4b5a69";

type Account = {
	loggedIn: boolean;
	accounts: { id: string; name: string }[];
	databases: { name: string; uuid: string }[];
	pendingMigrations: number;
	/** null: the Worker does not exist yet. */
	secrets: Map<string, string> | null;
	editors: number;
	/** A wrangler command (its first words) that fails, with what it prints. */
	failing?: { prefix: string; stderr: string };
};

function freshAccount(): Account {
	return {
		loggedIn: true,
		accounts: [{ id: "acc1", name: "Ada's account" }],
		databases: [],
		pendingMigrations: 3,
		secrets: null,
		editors: 0,
	};
}

const ok = (stdout: string): Run => ({ status: 0, stdout, stderr: "" });
const fail = (stderr: string, stdout = ""): Run => ({ status: 1, stdout, stderr });

/** wrangler as it answers for `account`, and as it changes it. */
function fakeWrangler(account: Account, calls: string[][], inputs: (string | undefined)[]) {
	return async (args: string[], input?: string): Promise<Run> => {
		calls.push(args);
		inputs.push(input);
		const command = args.join(" ");
		if (account.failing && command.startsWith(account.failing.prefix)) return fail(account.failing.stderr);
		if (command === "whoami --json") {
			if (!account.loggedIn) return fail("", '{"loggedIn":false}');
			return ok(JSON.stringify({ loggedIn: true, email: "ada@example.com", accounts: account.accounts }));
		}
		if (command === "d1 list --json") return ok(JSON.stringify(account.databases, null, 2));
		if (args[0] === "d1" && args[1] === "create") {
			account.databases.push({ name: String(args[2]), uuid: NEW_ID });
			return ok(`✅ Successfully created DB '${args[2]}'`);
		}
		if (command === "d1 migrations apply DB --remote") {
			const n = account.pendingMigrations;
			account.pendingMigrations = 0;
			return ok(n === 0 ? "✅ No migrations to apply!" : `About to apply ${n} migration(s)\n✅ done`);
		}
		if (command === "secret list --format json") {
			if (!account.secrets) return fail('✘ [ERROR] Worker "samarium" not found.');
			return ok(JSON.stringify([...account.secrets.keys()].map((name) => ({ name, type: "secret_text" }))));
		}
		if (args[0] === "secret" && args[1] === "put") {
			account.secrets ??= new Map();
			account.secrets.set(String(args[2]), (input ?? "").replace(/\n$/, ""));
			return ok(`✨ Success! Uploaded secret ${args[2]}`);
		}
		if (args[0] === "d1" && args[1] === "execute" && /count\(\*\) AS n FROM editors/.test(command)) {
			return ok(JSON.stringify([{ results: [{ n: account.editors }], success: true }]));
		}
		return fail(`fake wrangler: unexpected command ${command}`);
	};
}

type Harness = {
	deps: Deps;
	calls: string[][];
	inputs: (string | undefined)[];
	nodeCalls: { args: string[]; input?: string }[];
	log: string[];
	questions: string[];
	config: () => string;
	writes: () => number;
};

/**
 * `answers` are given in order to the questions asked (a question with no answer left fails the
 * test); null answers stand for a run without a terminal.
 */
function harness(account: Account, answers: (string | null)[] | null, toml = REAL_TOML): Harness {
	const calls: string[][] = [];
	const inputs: (string | undefined)[] = [];
	const nodeCalls: { args: string[]; input?: string }[] = [];
	const log: string[] = [];
	const questions: string[] = [];
	let config = toml;
	let writes = 0;
	const queue = answers ? [...answers] : null;
	const deps: Deps = {
		wrangler: fakeWrangler(account, calls, inputs),
		node: async (args, input) => {
			nodeCalls.push({ args, input });
			if (args[0] === "scripts/editor.ts") {
				account.editors += 1;
				return ok("Added admin ada@example.com (id 1) to the remote D1.\n");
			}
			return ok("seed: sample content applied (remote)\n");
		},
		ask: async (question) => {
			questions.push(question);
			if (queue === null) return null;
			assert.ok(queue.length > 0, `unexpected question: ${question}`);
			return queue.shift() ?? null;
		},
		readConfig: () => config,
		writeConfig: (text) => {
			config = text;
			writes += 1;
		},
		log: (line) => log.push(line),
		accountId: undefined,
	};
	return { deps, calls, inputs, nodeCalls, log, questions, config: () => config, writes: () => writes };
}

const commands = (h: Harness) => h.calls.map((args) => args.join(" "));

describe("setup:remote", () => {
	it("on a fresh account: creates the database, writes its id, migrates, asks for the secret, offers the first admin", async () => {
		const account = freshAccount();
		// Seed? no. CF_API_TOKEN: a real token. First admin? yes, then email, name, password.
		const h = harness(account, ["n", "tok-123", "", "ada@example.com", "Ada", "orchid-lantern-harbour-77"]);
		const code = await setupRemote(h.deps, { location: "weur" });

		assert.equal(code, 0, h.log.join("\n"));
		assert.deepEqual(commands(h), [
			"whoami --json",
			"d1 list --json",
			"d1 create samarium --location weur",
			"d1 list --json",
			"d1 migrations apply DB --remote",
			"secret list --format json",
			"secret put CF_API_TOKEN",
			"d1 execute DB --remote --json --yes --command SELECT count(*) AS n FROM editors",
		]);
		assert.equal(account.secrets?.get("CF_API_TOKEN"), "tok-123", "the value goes on stdin");
		assert.ok(
			h.calls.every((args) => !args.includes("tok-123")),
			"never as an argument",
		);
		assert.equal(findD1(h.config())?.id?.value, NEW_ID);
		assert.equal(account.pendingMigrations, 0);
		assert.deepEqual(h.nodeCalls, [
			{
				args: [
					"scripts/editor.ts",
					"add",
					"--remote",
					"--email",
					"ada@example.com",
					"--name",
					"Ada",
					"--role",
					"admin",
					"--password-stdin",
				],
				input: "orchid-lantern-harbour-77\n",
			},
		]);
		assert.match(h.log.join("\n"), /Created the D1 database samarium \(4f1c2a9e-/);
		assert.match(h.log.join("\n"), /Ready: `npm run deploy`\./);
	});

	it("edits only the database_id line of wrangler.toml: every comment and other line stays", async () => {
		const h = harness(freshAccount(), ["n", "tok", "n"]);
		await setupRemote(h.deps);
		const before = REAL_TOML.split("\n");
		const after = h.config().split("\n");
		assert.equal(after.length, before.length);
		const changed = before.flatMap((line, i) => (line === after[i] ? [] : [i]));
		assert.equal(changed.length, 1, "one line changed");
		const i = changed[0] ?? -1;
		assert.equal(before[i], `database_id = "${PLACEHOLDER_ID}"`);
		assert.equal(after[i], `database_id = "${NEW_ID}"`);
		assert.equal(h.writes(), 1);
	});

	it("keeps a comment on the database_id line and the file's line endings elsewhere", async () => {
		const toml = REAL_TOML.replace(
			`database_id = "${PLACEHOLDER_ID}"`,
			`database_id   =   "${PLACEHOLDER_ID}"   # ours`,
		);
		const h = harness(freshAccount(), ["n", "tok", "n"], toml);
		await setupRemote(h.deps);
		assert.equal(h.config(), toml.replace(PLACEHOLDER_ID, NEW_ID));
	});

	it("a second run finds everything in place and changes nothing", async () => {
		const account = freshAccount();
		const first = harness(account, ["n", "tok", "", "ada@example.com", "Ada", "orchid-lantern-harbour-77"]);
		assert.equal(await setupRemote(first.deps), 0);

		const second = harness(account, ["n"], first.config());
		assert.equal(await setupRemote(second.deps), 0, second.log.join("\n"));
		assert.equal(second.writes(), 0, "wrangler.toml is not written");
		assert.equal(second.config(), first.config());
		assert.deepEqual(commands(second), [
			"whoami --json",
			"d1 list --json",
			"d1 migrations apply DB --remote",
			"secret list --format json",
			"d1 execute DB --remote --json --yes --command SELECT count(*) AS n FROM editors",
		]);
		assert.deepEqual(second.nodeCalls, []);
		// Only the seed question: no secret, no admin asked for again.
		assert.equal(second.questions.length, 1);
		assert.match(
			second.log.join("\n"),
			/exists \(4f1c2a9e-.*\)[\s\S]*already has its database_id[\s\S]*none were pending/,
		);
		assert.equal(account.databases.length, 1);
	});

	it("not logged in: one line saying to run `npx wrangler login`, and nothing else is tried", async () => {
		const h = harness({ ...freshAccount(), loggedIn: false }, []);
		await assert.rejects(
			setupRemote(h.deps),
			(error: Error) =>
				error instanceof SetupError &&
				error.message === "Not logged in to Cloudflare: run `npx wrangler login`, then `npm run setup:remote` again.",
		);
		assert.deepEqual(commands(h), ["whoami --json"]);
		assert.equal(h.writes(), 0);
	});

	it("wrangler failing: a message naming the command with wrangler's own output, and nothing after it", async () => {
		const account = {
			...freshAccount(),
			failing: { prefix: "d1 create", stderr: "✘ [ERROR] A request to the Cloudflare API failed. [code: 7500]" },
		};
		const h = harness(account, []);
		await assert.rejects(setupRemote(h.deps), (error: Error) => {
			assert.ok(error instanceof SetupError);
			assert.match(
				error.message,
				/^`wrangler d1 create samarium` failed \(exit 1\):\n✘ \[ERROR\] A request to the Cloudflare API failed\. \[code: 7500\]$/,
			);
			return true;
		});
		assert.equal(commands(h).at(-1), "d1 create samarium");
		assert.equal(h.writes(), 0, "no id written");
	});

	it("as a process, with the real wrangler and no login: the one line, exit 1; bad flags exit 2", async () => {
		// A home with no wrangler credentials and no token in the environment: whatever login the
		// machine has, this run cannot reach an account (and so cannot change one).
		const home = mkdtempSync(join(tmpdir(), "samarium-setup-test-"));
		const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, ".config") };
		for (const name of ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CF_API_TOKEN"])
			delete env[name];
		try {
			const script = join(import.meta.dirname, "setup-remote.ts");
			const run = spawnSync(process.execPath, [script], { env, encoding: "utf8", input: "" });
			assert.equal(run.status, 1, run.stderr);
			assert.equal(
				run.stderr,
				"setup:remote: Not logged in to Cloudflare: run `npx wrangler login`, then `npm run setup:remote` again.\n",
			);
			const check = spawnSync(process.execPath, [script, "--check"], { env, encoding: "utf8" });
			assert.equal(check.status, 1, "the committed wrangler.toml has the placeholder id");
			assert.match(check.stderr, /no database_id for this account yet: run `npm run setup:remote` first/);
			const bad = spawnSync(process.execPath, [script, "--location", "mars"], { env, encoding: "utf8" });
			assert.equal(bad.status, 2);
			assert.match(bad.stderr, /^setup:remote: --location is one of weur, eeur, apac, oc, wnam, enam\.\n\nUsage:/);
		} finally {
			rmSync(home, { recursive: true, force: true });
		}
	});

	it("with several accounts and no CLOUDFLARE_ACCOUNT_ID: lists them and stops", async () => {
		const account = {
			...freshAccount(),
			accounts: [
				{ id: "acc1", name: "Personal" },
				{ id: "acc2", name: "Work" },
			],
		};
		const h = harness(account, []);
		await assert.rejects(
			setupRemote(h.deps),
			/export CLOUDFLARE_ACCOUNT_ID=<id>\n {2}acc1 {2}Personal\n {2}acc2 {2}Work/,
		);
		assert.deepEqual(commands(h), ["whoami --json"]);

		const chosen = harness(account, ["n", "tok", "n"]);
		chosen.deps.accountId = "acc2";
		assert.equal(await setupRemote(chosen.deps), 0);
		assert.match(chosen.log[0] ?? "", /account Work \(acc2\)/);
	});

	it("an empty CF_API_TOKEN is allowed while CF_ZONE_ID is empty, and stored as a placeholder", async () => {
		const account = freshAccount();
		const h = harness(account, ["n", "", "n"]);
		assert.equal(await setupRemote(h.deps), 0);
		assert.equal(account.secrets?.get("CF_API_TOKEN"), UNUSED_SECRET);
		assert.match(h.log.join("\n"), /CF_ZONE_ID is empty, so it is never used/);
		assert.match(h.log.join("\n"), /npm run editor -- add --remote/, "the command to add the admin later");
	});

	it("with CF_ZONE_ID set, an empty CF_API_TOKEN is asked for again", async () => {
		const account = freshAccount();
		const toml = REAL_TOML.replace('CF_ZONE_ID = ""', 'CF_ZONE_ID = "0123456789abcdef0123456789abcdef"');
		const h = harness(account, ["n", "", "  ", "real-token", "n"], toml);
		assert.equal(await setupRemote(h.deps), 0);
		assert.equal(account.secrets?.get("CF_API_TOKEN"), "real-token");
		assert.equal(h.questions.filter((q) => q.startsWith("Value for the secret CF_API_TOKEN")).length, 3);
	});

	it("without a terminal: no seed, no admin; the missing secret and the commands are printed, exit 1", async () => {
		const account = freshAccount();
		const h = harness(account, null);
		assert.equal(await setupRemote(h.deps), 1);
		assert.equal(account.secrets, null, "no secret put");
		assert.deepEqual(h.nodeCalls, []);
		const log = h.log.join("\n");
		assert.match(log, /Still missing \(no terminal to ask at\): CF_API_TOKEN\./);
		assert.match(log, /npx wrangler secret put CF_API_TOKEN/);
		assert.match(log, /create the first admin with\n {2}printf/);
		assert.equal(findD1(h.config())?.id?.value, NEW_ID, "the database part is done all the same");
	});

	it("--seed applies the sample content without asking", async () => {
		const h = harness(freshAccount(), ["tok", "n"]);
		assert.equal(await setupRemote(h.deps, { seed: true }), 0);
		assert.deepEqual(h.nodeCalls, [{ args: ["scripts/seed.ts", "--remote"], input: undefined }]);
		assert.ok(!h.questions.some((q) => /sample/.test(q)));
	});

	it("a database_id it cannot edit safely: prints the line to paste, writes nothing", async () => {
		const toml = REAL_TOML.replace(`database_id = "${PLACEHOLDER_ID}"`, `database_id = '${PLACEHOLDER_ID}'`);
		const h = harness(freshAccount(), [], toml);
		await assert.rejects(setupRemote(h.deps), new RegExp(`put:\\n {2}database_id = "${NEW_ID}"\\n`));
		assert.equal(h.writes(), 0);
		assert.ok(!commands(h).includes("d1 migrations apply DB --remote"), "no migrations against an unknown id");
	});

	it("--domain rewrites SITE_URL and the route only; refuses a URL", async () => {
		const h = harness(freshAccount(), ["n", "tok", "n"]);
		assert.equal(await setupRemote(h.deps, { domain: "News.Example.com" }), 0);
		const before = REAL_TOML.split("\n");
		const after = h.config().split("\n");
		const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line, after[i]]]));
		assert.deepEqual(changed, [
			[
				'routes = [{ pattern = "samarium.dev", custom_domain = true }]',
				'routes = [{ pattern = "news.example.com", custom_domain = true }]',
			],
			['SITE_URL = "https://samarium.dev"', 'SITE_URL = "https://news.example.com"'],
			[`database_id = "${PLACEHOLDER_ID}"`, `database_id = "${NEW_ID}"`],
		]);
		assert.ok(!h.log.join("\n").includes("Deploying to another account"), "no advice once the domain is set");

		const bad = harness(freshAccount(), []);
		await assert.rejects(setupRemote(bad.deps, { domain: "https://news.example.com/" }), /--domain takes a host name/);
		assert.equal(bad.writes(), 0);
	});

	it("without --domain, says how to serve the site on one's own host while the route is samarium.dev", async () => {
		const h = harness(freshAccount(), ["n", "tok", "n"]);
		await setupRemote(h.deps);
		assert.match(h.log.join("\n"), /npm run setup:remote -- --domain news\.example\.com/);
	});
});

describe("npm run deploy's check (setup-remote.ts --check)", () => {
	it("refuses the placeholder id and accepts the one setup writes", async () => {
		assert.match(deployProblem(REAL_TOML) ?? "", /run `npm run setup:remote` first/);
		const h = harness(freshAccount(), ["n", "tok", "n"]);
		await setupRemote(h.deps);
		assert.equal(deployProblem(h.config()), null);
		assert.match(
			deployProblem(REAL_TOML.replace(/\[\[d1_databases\]\][\s\S]*?migrations_dir.*\n/, "")) ?? "",
			/restore it/,
		);
	});
});

describe("wrangler.toml reading", () => {
	it("reads the real file's D1 table and required secrets", () => {
		assert.deepEqual(
			{ name: findD1(REAL_TOML)?.name, id: findD1(REAL_TOML)?.id?.value },
			{ name: "samarium", id: PLACEHOLDER_ID },
		);
		assert.deepEqual(requiredSecrets(REAL_TOML), ["CF_API_TOKEN"]);
	});

	it("refuses what it cannot read safely", () => {
		assert.equal(requiredSecrets('[secrets]\nrequired = [\n  "A",\n]\n'), null, "a multi-line array");
		assert.equal(requiredSecrets("[secrets]\nrequired = [A]\n"), null, "an unquoted name");
		const two = `${REAL_TOML}\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "other"\ndatabase_id = "x"\n`;
		assert.equal(findD1(two), null, "two tables bound to DB");
		const twice = REAL_TOML.replace(`database_id = "${PLACEHOLDER_ID}"`, `database_id = "a"\ndatabase_id = "b"`);
		assert.equal(findD1(twice)?.id, null, "database_id twice");
	});
});
