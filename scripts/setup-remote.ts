// `npm run setup:remote`: prepares a Cloudflare account for `npm run deploy` (after `npx wrangler
// login`): the D1 database and its id in wrangler.toml, remote migrations, the required secrets,
// the first admin. Safe to run again. The steps are in scripts/setup/remote.ts.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { readHidden } from "./editor/input.ts";
import { root, wranglerBin, wranglerEnv } from "./lib/wrangler.ts";
import { type Deps, deployProblem, type Options, type Run, SetupError, setupRemote } from "./setup/remote.ts";

const USAGE = `Usage: npm run setup:remote [-- options]

Creates the D1 database named in wrangler.toml (when the account has none by that name) and
writes its id there, applies the remote migrations, asks for the secrets wrangler.toml requires
that are not set yet, and offers to create the first admin. Run \`npx wrangler login\` first.
Running it again changes nothing that is already in place.

Options:
  --seed                  Also add the sample content (otherwise asked; never without a terminal).
  --domain HOST           Serve the site on HOST: rewrites SITE_URL and the Custom Domain route.
                          HOST's zone must be in the same Cloudflare account.
  --location HINT         For a new database: wrangler d1 create --location (weur, eeur, apac, oc, wnam, enam).
  --jurisdiction J        For a new database: wrangler d1 create --jurisdiction (eu, fedramp, us).
  --check                 Only check wrangler.toml for what \`npm run deploy\` needs (no wrangler call).
  --help                  Show this help.

With more than one account on the login, set CLOUDFLARE_ACCOUNT_ID first.`;

class UsageError extends Error {}

const LOCATIONS = ["weur", "eeur", "apac", "oc", "wnam", "enam"];
const JURISDICTIONS = ["eu", "fedramp", "us"];

function parse(argv: string[]): Options | "help" | "check" {
	let values: Record<string, string | boolean | undefined>;
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				seed: { type: "boolean" },
				domain: { type: "string" },
				location: { type: "string" },
				jurisdiction: { type: "string" },
				check: { type: "boolean" },
				help: { type: "boolean", short: "h" },
			},
		}));
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
	if (values.help) return "help";
	if (values.check) {
		if (Object.keys(values).length > 1) throw new UsageError("--check takes no other option.");
		return "check";
	}
	const { seed, domain, location, jurisdiction } = values as Options;
	if (location !== undefined && !LOCATIONS.includes(location)) {
		throw new UsageError(`--location is one of ${LOCATIONS.join(", ")}.`);
	}
	if (jurisdiction !== undefined && !JURISDICTIONS.includes(jurisdiction)) {
		throw new UsageError(`--jurisdiction is one of ${JURISDICTIONS.join(", ")}.`);
	}
	return { seed, domain, location, jurisdiction };
}

function spawn(command: string, args: string[], input: string | undefined): Run {
	const result = spawnSync(command, args, {
		cwd: root,
		env: wranglerEnv,
		input: input ?? "",
		encoding: "utf8",
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error) return { status: 127, stdout: "", stderr: `could not run ${command}: ${result.error.message}` };
	return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

async function ask(question: string, options: { secret?: boolean } = {}): Promise<string | null> {
	if (!process.stdin.isTTY) return null;
	if (options.secret) return readHidden(process.stdin, question);
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	try {
		return await prompt.question(question);
	} finally {
		prompt.close();
	}
}

const configPath = join(root, "wrangler.toml");
const deps: Deps = {
	wrangler: async (args, input) => spawn(wranglerBin, args, input),
	node: async (args, input) => spawn(process.execPath, args, input),
	ask,
	readConfig: () => readFileSync(configPath, "utf8"),
	writeConfig: (text) => writeFileSync(configPath, text),
	log: (line) => console.log(line),
	accountId: process.env.CLOUDFLARE_ACCOUNT_ID || undefined,
};

try {
	const options = parse(process.argv.slice(2));
	if (options === "help") console.log(USAGE);
	else if (options === "check") {
		const problem = deployProblem(deps.readConfig());
		if (problem) throw new SetupError(problem);
	} else process.exitCode = await setupRemote(deps, options);
} catch (error) {
	if (error instanceof UsageError) {
		console.error(`setup:remote: ${error.message}\n\n${USAGE}`);
		process.exitCode = 2;
	} else {
		console.error(`setup:remote: ${error instanceof SetupError ? error.message : String(error)}`);
		process.exitCode = 1;
	}
}
