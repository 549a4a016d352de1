// `npm run setup:remote`: everything a Cloudflare account needs before the first `npm run deploy`,
// safe to run again (a second run finds everything in place and changes nothing). Every wrangler
// and Node call goes through `deps`, so the tests drive it with a fake wrangler and no account.
import { firstJsonValue } from "../lib/wrangler-output.ts";
import {
	findCustomDomainRoute,
	findD1,
	findEntry,
	replaceRoutePattern,
	replaceValue,
	requiredSecrets,
} from "./toml.ts";

export type Run = { status: number; stdout: string; stderr: string };

export type Deps = {
	/** Runs `wrangler …args` from the project root; `input` is piped to its stdin. */
	wrangler: (args: string[], input?: string) => Promise<Run>;
	/** Runs `node <script> …args` from the project root (the seed, the editor CLI). */
	node: (args: string[], input?: string) => Promise<Run>;
	/** Asks at the terminal; null when there is no terminal to ask at. */
	ask: (question: string, options?: { secret?: boolean }) => Promise<string | null>;
	readConfig: () => string;
	writeConfig: (text: string) => void;
	log: (line: string) => void;
	/** CLOUDFLARE_ACCOUNT_ID, which wrangler needs when a login reaches more than one account. */
	accountId?: string;
};

export type Options = {
	seed?: boolean;
	/** `d1 create --location` / `--jurisdiction`, for a new database only. */
	location?: string;
	jurisdiction?: string;
	/** Serve the site on this host: SITE_URL and the Custom Domain route are rewritten to it. */
	domain?: string;
};

/** A step that cannot go on: the message is for the person at the terminal, and the exit is 1. */
export class SetupError extends Error {}

// The committed placeholder (wrangler.toml): any other id was written by someone on purpose.
export const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Secrets the site can run without: the value is stored only because `[secrets] required` makes
 * `wrangler deploy` refuse a Worker that lacks one. Each names the var that switches its feature
 * on; while that var is empty, an empty answer stores UNUSED_SECRET (src/cache/purge.ts calls the
 * zone purge API only when CF_ZONE_ID and CF_API_TOKEN are both set, so the value is never sent).
 */
const OPTIONAL_UNLESS: Record<string, string> = { CF_API_TOKEN: "CF_ZONE_ID" };
export const UNUSED_SECRET = "unused";

function failed(command: string, run: Run): SetupError {
	const output = `${run.stdout}${run.stderr}`.trim();
	return new SetupError(`\`wrangler ${command}\` failed (exit ${run.status})${output ? `:\n${output}` : "."}`);
}

async function wrangler(deps: Deps, args: string[], input?: string): Promise<Run> {
	const run = await deps.wrangler(args, input);
	if (run.status !== 0) throw failed(args.join(" "), run);
	return run;
}

function yes(answer: string | null, byDefault: boolean): boolean {
	const text = (answer ?? "").trim().toLowerCase();
	if (text === "") return byDefault;
	return text === "y" || text === "yes";
}

async function checkLogin(deps: Deps): Promise<void> {
	const run = await deps.wrangler(["whoami", "--json"]);
	const who = firstJsonValue(run.stdout) as {
		loggedIn?: boolean;
		email?: string;
		accounts?: { id: string; name: string }[];
	} | null;
	if (who?.loggedIn === false) {
		throw new SetupError("Not logged in to Cloudflare: run `npx wrangler login`, then `npm run setup:remote` again.");
	}
	if (run.status !== 0 || !who?.loggedIn) throw failed("whoami --json", run);
	const accounts = who.accounts ?? [];
	// wrangler picks the account itself only when there is one; run here, it cannot ask which.
	if (accounts.length > 1 && !deps.accountId) {
		const list = accounts.map((account) => `  ${account.id}  ${account.name}`).join("\n");
		throw new SetupError(
			`Your login reaches ${accounts.length} Cloudflare accounts; name the one to use, here and for \`npm run deploy\`:\n` +
				`  export CLOUDFLARE_ACCOUNT_ID=<id>\n${list}`,
		);
	}
	const account = accounts.find((a) => a.id === deps.accountId) ?? accounts[0];
	deps.log(
		`Logged in${who.email ? ` as ${who.email}` : ""}${account ? `, account ${account.name} (${account.id})` : ""}.`,
	);
}

async function findDatabase(deps: Deps, name: string): Promise<string | null> {
	const run = await wrangler(deps, ["d1", "list", "--json"]);
	const list = firstJsonValue(run.stdout);
	if (!Array.isArray(list))
		throw failed("d1 list --json", { ...run, stderr: `${run.stderr}\n(no JSON list in its output)` });
	const found = (list as { name?: unknown; uuid?: unknown }[]).find((db) => db.name === name);
	return typeof found?.uuid === "string" ? found.uuid : null;
}

/** The D1 database named in wrangler.toml, created when the account has none by that name; its id written back. */
async function ensureDatabase(deps: Deps, options: Options): Promise<void> {
	const text = deps.readConfig();
	const d1 = findD1(text);
	if (!d1) {
		throw new SetupError(
			'wrangler.toml has no single [[d1_databases]] table with binding = "DB" and a database_name; restore it from git.',
		);
	}
	let uuid = await findDatabase(deps, d1.name);
	if (uuid) {
		deps.log(`D1 database ${d1.name} exists (${uuid}).`);
	} else {
		const flags = [
			...(options.location ? ["--location", options.location] : []),
			...(options.jurisdiction ? ["--jurisdiction", options.jurisdiction] : []),
		];
		await wrangler(deps, ["d1", "create", d1.name, ...flags]);
		uuid = await findDatabase(deps, d1.name);
		if (!uuid)
			throw new SetupError(`\`wrangler d1 create ${d1.name}\` succeeded, but \`wrangler d1 list\` does not show it.`);
		deps.log(`Created the D1 database ${d1.name} (${uuid}).`);
	}
	if (!UUID.test(uuid)) throw new SetupError(`wrangler gave "${uuid}" as the database's id, which is not a UUID.`);

	if (d1.id?.value === uuid) {
		deps.log("wrangler.toml already has its database_id.");
		return;
	}
	if (!d1.id) {
		throw new SetupError(
			`wrangler.toml's database_id line could not be edited safely. Under [[d1_databases]] (binding = "DB"), put:\n` +
				`  database_id = "${uuid}"\nthen run \`npm run setup:remote\` again.`,
		);
	}
	const previous = d1.id.value;
	deps.writeConfig(replaceValue(text, d1.id, uuid));
	deps.log(
		previous === PLACEHOLDER_ID || previous === ""
			? "Wrote its id into wrangler.toml (database_id)."
			: `Wrote its id into wrangler.toml (database_id was ${previous}, which is not a database of this account named ${d1.name}).`,
	);
}

/** --domain: SITE_URL and the Custom Domain route, so the Worker answers on the deployer's own host. */
function setDomain(deps: Deps, domain: string): void {
	const host = domain.trim().toLowerCase();
	if (!HOSTNAME.test(host)) {
		throw new SetupError(
			`--domain takes a host name such as news.example.com (no https://, no path), not "${domain}".`,
		);
	}
	let text = deps.readConfig();
	const siteUrl = findEntry(text, "vars", "SITE_URL");
	const route = findCustomDomainRoute(text);
	if (!siteUrl || !route) {
		throw new SetupError(
			"wrangler.toml's SITE_URL or routes line could not be edited safely. Put these lines there:\n" +
				`  routes = [{ pattern = "${host}", custom_domain = true }]    (top level)\n` +
				`  SITE_URL = "https://${host}"    (under [vars])`,
		);
	}
	if (siteUrl.value === `https://${host}` && route.pattern === host) {
		deps.log(`wrangler.toml already serves the site on ${host}.`);
		return;
	}
	text = replaceRoutePattern(text, route, host);
	text = replaceValue(text, siteUrl, `https://${host}`);
	deps.writeConfig(text);
	deps.log(`wrangler.toml now serves the site on ${host} (SITE_URL https://${host}, a Custom Domain route).`);
}

async function applyMigrations(deps: Deps): Promise<void> {
	const run = await wrangler(deps, ["d1", "migrations", "apply", "DB", "--remote"]);
	const applied = /No migrations to apply/i.test(run.stdout) ? "none were pending" : "applied";
	deps.log(`Remote migrations: ${applied}.`);
}

async function seed(deps: Deps, options: Options): Promise<void> {
	const wanted =
		options.seed ??
		yes(await deps.ask("Add the sample articles, topics and pages to the remote database? [y/N] "), false);
	if (!wanted) return;
	const run = await deps.node(["scripts/seed.ts", "--remote"]);
	if (run.status !== 0)
		throw new SetupError(`The sample content was not applied:\n${`${run.stdout}${run.stderr}`.trim()}`);
	deps.log("Sample content applied (it is idempotent: running it again changes nothing).");
}

/** Names of the Worker's secrets; none when the Worker has not been created yet. */
async function existingSecrets(deps: Deps): Promise<string[]> {
	const run = await deps.wrangler(["secret", "list", "--format", "json"]);
	if (run.status !== 0 && /Worker ".*" not found/.test(`${run.stdout}${run.stderr}`)) return [];
	if (run.status !== 0) throw failed("secret list --format json", run);
	const list = firstJsonValue(run.stdout);
	if (!Array.isArray(list))
		throw failed("secret list --format json", { ...run, stderr: "(no JSON list in its output)" });
	return (list as { name?: unknown }[]).map((secret) => String(secret.name));
}

/** Asks for each `[secrets] required` name not yet set; returns the ones still missing. */
async function setSecrets(deps: Deps): Promise<string[]> {
	const text = deps.readConfig();
	const required = requiredSecrets(text);
	if (required === null) {
		throw new SetupError(
			'wrangler.toml\'s [secrets] required is not one line of quoted names, e.g. required = ["CF_API_TOKEN"].',
		);
	}
	if (required.length === 0) return [];
	const have = new Set(await existingSecrets(deps));
	const missing = required.filter((name) => !have.has(name));
	if (missing.length === 0) {
		deps.log(`Secrets: ${required.join(", ")} already set.`);
		return [];
	}
	const left: string[] = [];
	for (const name of missing) {
		const switchVar = OPTIONAL_UNLESS[name];
		const optional = switchVar !== undefined && (findEntry(text, "vars", switchVar)?.value ?? "") === "";
		const hint = optional ? ` (optional while ${switchVar} is empty: press Enter to skip)` : "";
		let value = await deps.ask(`Value for the secret ${name}${hint}: `, { secret: true });
		while (value !== null && value.trim() === "" && !optional) {
			deps.log(`${name} is required: deploys are refused without it.`);
			value = await deps.ask(`Value for the secret ${name}: `, { secret: true });
		}
		if (value === null) {
			left.push(name);
			continue;
		}
		const stored = value.trim() === "" ? UNUSED_SECRET : value.trim();
		// On stdin, never as an argument (shell history, `ps`). Before the first deploy, wrangler
		// creates an empty Worker to hold it; `npm run deploy` then replaces that Worker's code.
		await wrangler(deps, ["secret", "put", name], `${stored}\n`);
		deps.log(
			stored === UNUSED_SECRET
				? `Set ${name} to "${UNUSED_SECRET}": ${switchVar} is empty, so it is never used. Put the real one later with \`npx wrangler secret put ${name}\`.`
				: `Set the secret ${name}.`,
		);
	}
	return left;
}

const ADD_ADMIN = `printf '%s\\n' '<a long passphrase>' | npm run editor -- add --remote --email you@example.com --name "Your Name" --role admin --password-stdin`;

/** The first admin, when the remote database has no editor: made here, or the command printed. */
async function firstAdmin(deps: Deps): Promise<void> {
	const run = await wrangler(deps, [
		"d1",
		"execute",
		"DB",
		"--remote",
		"--json",
		"--yes",
		"--command",
		"SELECT count(*) AS n FROM editors",
	]);
	const rows = firstJsonValue(run.stdout) as { results?: { n?: unknown }[] }[] | null;
	const count = Number(rows?.[0]?.results?.[0]?.n ?? Number.NaN);
	if (Number.isNaN(count))
		throw failed("d1 execute (counting editors)", { ...run, stderr: "(no count in its output)" });
	if (count > 0) {
		deps.log(`Editors: ${count} in the remote database.`);
		return;
	}
	const create = await deps.ask("No editor can sign in yet. Create the first admin now? [Y/n] ");
	if (create === null || !yes(create, true)) {
		deps.log(`No editor yet: create the first admin with\n  ${ADD_ADMIN}`);
		return;
	}
	const email = (await deps.ask("Admin's email: ")) ?? "";
	const name = (await deps.ask("Admin's name: ")) ?? "";
	const password = (await deps.ask("Password (at least 12 characters, not shown): ", { secret: true })) ?? "";
	const added = await deps.node(
		["scripts/editor.ts", "add", "--remote", "--email", email, "--name", name, "--role", "admin", "--password-stdin"],
		`${password}\n`,
	);
	if (added.status === 0) {
		deps.log(added.stdout.trim());
		return;
	}
	// A refused email or password is not a failed setup: everything else is in place.
	deps.log(`${`${added.stdout}${added.stderr}`.trim()}\nTry again with\n  ${ADD_ADMIN}`);
}

function domainAdvice(deps: Deps): void {
	const route = findCustomDomainRoute(deps.readConfig());
	if (route?.pattern !== "samarium.dev") return;
	deps.log(
		"The Worker is served on samarium.dev (a Custom Domain route, and SITE_URL). Deploying to another account\n" +
			"needs your own host: run `npm run setup:remote -- --domain news.example.com` (a zone in this account),\n" +
			"or see docs/operations.md#your-own-domain-or-workersdev for workers.dev.",
	);
}

/**
 * What `npm run deploy` checks before it touches anything (`setup-remote.ts --check`): a problem
 * that only `npm run setup:remote` fixes, or null. Reads wrangler.toml alone, no wrangler call.
 */
export function deployProblem(text: string): string | null {
	const d1 = findD1(text);
	if (!d1) return 'wrangler.toml has no single [[d1_databases]] table with binding = "DB"; restore it from git.';
	const id = d1.id?.value;
	if (id === undefined || id === PLACEHOLDER_ID || !UUID.test(id)) {
		return "wrangler.toml has no database_id for this account yet: run `npm run setup:remote` first (after `npx wrangler login`).";
	}
	return null;
}

/** The whole setup, in order; throws SetupError when a step cannot go on. Returns the exit code. */
export async function setupRemote(deps: Deps, options: Options = {}): Promise<number> {
	await checkLogin(deps);
	if (options.domain !== undefined) setDomain(deps, options.domain);
	await ensureDatabase(deps, options);
	await applyMigrations(deps);
	await seed(deps, options);
	const missing = await setSecrets(deps);
	await firstAdmin(deps);
	if (options.domain === undefined) domainAdvice(deps);
	if (missing.length > 0) {
		deps.log(
			`Still missing (no terminal to ask at): ${missing.join(", ")}. \`npm run deploy\` refuses until each is set:\n` +
				missing.map((name) => `  npx wrangler secret put ${name}`).join("\n"),
		);
		return 1;
	}
	deps.log("Ready: `npm run deploy`.");
	return 0;
}
