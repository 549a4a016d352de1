// `npm run test:cli`: the editor CLI end to end, as a person runs it: real wrangler, a local D1 in
// a temp state folder (--persist-to), the password on stdin. Each wrangler call takes a second or
// two, so refusals are checked to happen before any (the state folder stays empty).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { verifyPassword } from "../src/lib/passwords.ts";
import { runScript, type ScriptRun } from "./lib/run-script.ts";
import { sqlValue } from "./lib/sql.ts";
import { queryD1 } from "./lib/wrangler.ts";

const PASSWORD = "orchid-lantern-harbour-77";
const NEW_PASSWORD = "velvet-quarry-meadow-31";

/** Runs `node scripts/editor.ts ...args` with `stdin` piped in (closed at once when empty). */
function editor(args: string[], stdin = ""): Promise<ScriptRun> {
	return runScript("editor.ts", args, stdin);
}

function tempState(): string {
	return mkdtempSync(join(tmpdir(), "samarium-editor-test-"));
}

describe("editor CLI", { concurrency: true }, () => {
	describe("against a local D1", { concurrency: false }, () => {
		const state = tempState();
		const local = { persistTo: state };
		const persist = ["--persist-to", state];
		/** Every statement's rows, from one wrangler call (each call costs a second or two). */
		const read = (...statements: string[]) => queryD1(local, statements.join(";\n"));
		const editorSql = (email: string) => `SELECT * FROM editors WHERE email = ${sqlValue(email)}`;

		after(() => rmSync(state, { recursive: true, force: true }));

		it("adds an admin (migrating the fresh database first) with a PBKDF2 hash of the password", async () => {
			const args = ["add", "--email", " Ada@Example.COM ", "--name", "Ada Lovelace", "--role", "admin"];
			const run = await editor([...args, "--password-stdin", ...persist], `${PASSWORD}\n`);
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stdout, /Added admin ada@example\.com \(id \d+\) to the local D1\./);

			const [editors = [], audit] = read(
				"SELECT * FROM editors",
				"SELECT editor_email, action, subject, detail FROM audit_log",
			);
			assert.equal(editors.length, 1);
			const row = editors[0] ?? {};
			assert.equal(row.email, "ada@example.com", "stored trimmed and lowercased");
			assert.equal(row.name, "Ada Lovelace");
			assert.equal(row.role, "admin");
			assert.match(String(row.password_hash), /^pbkdf2-sha256\$100000\$/);
			assert.equal(await verifyPassword(PASSWORD, String(row.password_hash)), true);
			assert.equal(await verifyPassword(`${PASSWORD}\n`, String(row.password_hash)), false);
			assert.deepEqual(audit, [
				{
					editor_email: "cli",
					action: "editor.create",
					subject: `editor:${row.id}`,
					detail: JSON.stringify({ email: "ada@example.com", name: "Ada Lovelace", role: "admin" }),
				},
			]);
		});

		it("refuses a second editor with the same email, in any case", async () => {
			const args = ["add", "--email", "ADA@example.com", "--name", "Another Ada", "--role", "editor"];
			const run = await editor([...args, "--password-stdin", ...persist], `${NEW_PASSWORD}\n`);
			assert.equal(run.code, 1);
			assert.match(run.stderr, /An editor with the email ada@example\.com already exists/);
			const [editors = [], audit = []] = read("SELECT name FROM editors", "SELECT id FROM audit_log");
			assert.deepEqual(editors, [{ name: "Ada Lovelace" }]);
			assert.equal(audit.length, 1);
		});

		it("lists every editor without their password hashes", async () => {
			const flags = ["--email", "grace@example.com", "--name", "Grace Hopper", "--role", "editor"];
			// No trailing newline this time: the password is the whole of stdin.
			const add = await editor(["add", ...flags, "--password-stdin", ...persist], NEW_PASSWORD);
			assert.equal(add.code, 0, add.stderr);

			const run = await editor(["list", ...persist]);
			assert.equal(run.code, 0, run.stderr);
			const lines = run.stdout.trim().split("\n");
			const created = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d UTC`;
			assert.match(lines[0] ?? "", /^id\s+email\s+name\s+role\s+created$/);
			assert.match(
				lines[1] ?? "",
				new RegExp(String.raw`^\d+\s+ada@example\.com\s+Ada Lovelace\s+admin\s+${created}$`),
			);
			assert.match(
				lines[2] ?? "",
				new RegExp(String.raw`^\d+\s+grace@example\.com\s+Grace Hopper\s+editor\s+${created}$`),
			);
			assert.equal(lines.length, 3);
			assert.doesNotMatch(run.stdout, /pbkdf2|\$100000\$/);
			const [hashes = []] = read("SELECT password_hash FROM editors");
			for (const { password_hash } of hashes) {
				const [, , salt = "?", hash = "?"] = String(password_hash).split("$");
				assert.ok(!run.stdout.includes(salt) && !run.stdout.includes(hash));
			}
			assert.equal(await verifyPassword(NEW_PASSWORD, String(hashes[1]?.password_hash)), true);
		});

		it("resets a password, signing that editor out everywhere, revoking their tokens and lifting their lockout", async () => {
			const now = Date.now();
			const session = (token: string, email: string) =>
				"INSERT INTO sessions (token_hash, editor_id, created_at, last_seen_at, expires_at) " +
				`VALUES ('${token}', (SELECT id FROM editors WHERE email = '${email}'), ${now}, ${now}, ${now + 86_400_000})`;
			const token = (hash: string, email: string) =>
				"INSERT INTO api_tokens (name, token_hash, editor_id, created_at) " +
				`VALUES ('${hash}', '${hash}', (SELECT id FROM editors WHERE email = '${email}'), ${now})`;
			const [[ada] = [], [grace] = []] = read(
				editorSql("ada@example.com"),
				editorSql("grace@example.com"),
				session("ada-1", "ada@example.com"),
				session("ada-2", "ada@example.com"),
				session("grace-1", "grace@example.com"),
				"INSERT INTO login_throttle (key, failures, window_started_at, locked_until) " +
					`VALUES ('email:ada@example.com', 5, ${now}, ${now + 900_000})`,
				token("ada-token", "ada@example.com"),
				token("grace-token", "grace@example.com"),
			);
			assert.ok(ada && grace);

			const run = await editor(
				["reset-password", "--email", "ada@example.com", "--password-stdin", ...persist],
				`${NEW_PASSWORD}\r\n`,
			);
			assert.equal(run.code, 0, run.stderr);
			assert.match(
				run.stdout,
				/Changed the password of ada@example\.com in the local D1; 2 sessions signed out, 1 API token revoked\./,
			);

			const [[adaAfter] = [], [graceAfter] = [], sessions, throttle, audit, tokens] = read(
				editorSql("ada@example.com"),
				editorSql("grace@example.com"),
				"SELECT token_hash FROM sessions ORDER BY token_hash",
				"SELECT key FROM login_throttle",
				"SELECT action, subject FROM audit_log WHERE action = 'editor.password_reset'",
				"SELECT name, revoked_at IS NOT NULL AS revoked FROM api_tokens ORDER BY name",
			);
			assert.deepEqual(tokens, [
				{ name: "ada-token", revoked: 1 },
				{ name: "grace-token", revoked: 0 },
			]);
			const hash = String(adaAfter?.password_hash);
			assert.notEqual(hash, ada.password_hash);
			assert.equal(await verifyPassword(NEW_PASSWORD, hash), true);
			assert.equal(await verifyPassword(PASSWORD, hash), false);
			assert.ok(Number(adaAfter?.updated_at) >= now);
			assert.deepEqual(sessions, [{ token_hash: "grace-1" }], "only the other editor's session is left");
			assert.deepEqual(throttle, []);
			assert.equal(graceAfter?.password_hash, grace.password_hash);
			assert.deepEqual(audit, [{ action: "editor.password_reset", subject: `editor:${ada.id}` }]);
		});

		it("lists a name holding control characters with them escaped, never raw", async () => {
			read(
				"UPDATE editors SET name = 'Grace' || char(27) || '[2J' || char(13, 10) || 'fake row' WHERE email = 'grace@example.com'",
			);
			const run = await editor(["list", ...persist]);
			assert.equal(run.code, 0, run.stderr);
			assert.ok(!run.stdout.includes("\u001b") && !run.stdout.includes("\r"), "no raw escape or carriage return");
			assert.match(run.stdout, /Grace\\u001b\[2J\\u000d\\u000afake row/);
			assert.equal(run.stdout.trim().split("\n").length, 3);
		});

		it("refuses to reset the password of an unknown email", async () => {
			const run = await editor(
				["reset-password", "--email", "nobody@example.com", "--password-stdin", ...persist],
				`${NEW_PASSWORD}\n`,
			);
			assert.equal(run.code, 1);
			assert.match(run.stderr, /No editor has the email nobody@example\.com/);
		});
	});

	describe("refusals, before the database is touched", { concurrency: false }, () => {
		const state = tempState();
		const persist = ["--persist-to", state];
		const add = (flags: string[], stdin = `${PASSWORD}\n`) =>
			editor(["add", ...flags, "--password-stdin", ...persist], stdin);
		const valid = { email: "linnea@example.com", name: "Linnea", role: "editor" };
		const flagsOf = (input: Partial<typeof valid>) =>
			Object.entries({ ...valid, ...input }).flatMap(([flag, value]) => [`--${flag}`, value]);

		before(() => assert.deepEqual(readdirSync(state), []));
		// Nothing ran wrangler: no local D1 was even created.
		after(() => {
			const left = readdirSync(state);
			rmSync(state, { recursive: true, force: true });
			assert.deepEqual(left, []);
		});

		for (const [password, reason] of [
			["short-pw1", /too weak\. Use at least 12 characters/],
			["password1234", /too weak\. That password is too common/],
			["Linnea-garden-2026", /too weak\. Do not build the password from the email address/],
			["aaaaaaaaaaaaaaaa", /too weak\. Use more different characters/],
		] as const) {
			it(`refuses the weak password ${JSON.stringify(password)} with the reason`, async () => {
				const run = await add(flagsOf({}), `${password}\n`);
				assert.equal(run.code, 1);
				assert.match(run.stderr, reason);
			});
		}

		it("refuses a role that is not admin or editor", async () => {
			const run = await add(flagsOf({ role: "owner" }));
			assert.equal(run.code, 1);
			assert.match(run.stderr, /"owner" is not a role: use --role admin or --role editor/);
		});

		it("refuses an address that is not an email, and a missing or blank name", async () => {
			for (const email of ["lin", "lin@", "lin@example", "li n@example.com"]) {
				const run = await add(flagsOf({ email }));
				assert.equal(run.code, 1, email);
				assert.match(run.stderr, /is not an email address/, email);
			}
			const blank = await add(flagsOf({ name: "  " }));
			assert.equal(blank.code, 1);
			assert.match(blank.stderr, /Give the editor's name with --name/);
			const missing = await add(["--email", "linnea@example.com", "--role", "editor"]);
			assert.equal(missing.code, 1);
			assert.match(missing.stderr, /Give the editor's name with --name/);
		});

		it("refuses empty stdin and more than one line", async () => {
			const empty = await add(flagsOf({}), "");
			assert.equal(empty.code, 1);
			assert.match(empty.stderr, /No password on stdin/);
			const twoLines = await add(flagsOf({}), `${PASSWORD}\n${PASSWORD}\n`);
			assert.equal(twoLines.code, 1);
			assert.match(twoLines.stderr, /more than one line/);
		});

		it("answers usage errors with exit code 2 and the usage", async () => {
			const noStdinFlag = await editor(["add", ...flagsOf({}), ...persist], PASSWORD);
			assert.equal(noStdinFlag.code, 2);
			assert.match(noStdinFlag.stderr, /--password-stdin/);
			for (const args of [[], ["frobnicate"], ["list", "--email", "x@example.com"], ["list", "--bogus"]]) {
				const run = await editor([...args, ...persist]);
				assert.equal(run.code, 2, args.join(" "));
				assert.match(run.stderr, /Usage: npm run editor -- <command>/, args.join(" "));
			}
			const both = await editor(["list", "--remote", ...persist]);
			assert.equal(both.code, 2);
			assert.match(both.stderr, /cannot go with --remote/);
		});

		it("prints the usage for --help", async () => {
			const run = await editor(["--help"]);
			assert.equal(run.code, 0);
			assert.match(run.stdout, /^Usage: npm run editor -- <command>/);
			for (const command of ["add", "list", "reset-password", "--remote", "--persist-to", "--password-stdin"]) {
				assert.ok(run.stdout.includes(command), command);
			}
		});
	});
});
