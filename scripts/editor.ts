// `npm run editor -- <command>`: the people who can sign in to the admin, managed from a terminal.
// There is no default account: the first admin is made here. Acts on the local D1 (migrations
// applied first, so a fresh clone works) unless --remote.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { addEditor, listEditors, resetPassword } from "./editor/commands.ts";
import { checkPassword, parseEmail, parseName, parseRole, Refusal, readPassword } from "./editor/input.ts";
import { applyMigrations, type D1Location } from "./lib/wrangler.ts";

const USAGE = `Usage: npm run editor -- <command> [options]

Commands:
  add --email E --name N --role admin|editor --password-stdin
        Add an editor. The password is read from stdin (one line), or typed unseen at a terminal:
          printf '%s\\n' "$PASSWORD" | npm run editor -- add --email ada@example.com --name Ada --role admin --password-stdin
  list
        Show every editor: id, email, name, role, created.
  reset-password --email E --password-stdin
        Set a new password (read as for add) and sign that editor out everywhere.

Options:
  --remote            Act on the remote D1 (the deployed site) instead of the local one.
  --persist-to DIR    The local D1's state folder (wrangler's --persist-to), when not the default.
  --help              Show this help.

Passwords need at least 12 characters and must not be common or built from the email.`;

/** Wrong arguments: the usage goes with the message, and the exit code is 2. */
class UsageError extends Error {}

function parse(argv: string[]) {
	try {
		return parseArgs({
			args: argv,
			allowPositionals: true,
			options: {
				email: { type: "string" },
				name: { type: "string" },
				role: { type: "string" },
				"password-stdin": { type: "boolean" },
				remote: { type: "boolean" },
				"persist-to": { type: "string" },
				help: { type: "boolean", short: "h" },
			},
		});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}

function onlyFlags(flags: Record<string, unknown>, allowed: string[]): void {
	const extra = Object.keys(flags).filter((flag) => !allowed.includes(flag));
	if (extra.length > 0) throw new UsageError(`This command does not take --${extra.join(", --")}.`);
}

function passwordFromStdin(flags: { "password-stdin"?: boolean }): Promise<string> {
	// Never an argument: it would be left in the shell history and shown to anyone running `ps`.
	if (!flags["password-stdin"]) throw new UsageError("Give the password on stdin, with --password-stdin.");
	return readPassword();
}

async function run(argv: string[]): Promise<string> {
	const { values, positionals } = parse(argv);
	if (values.help) return USAGE;
	const [command, ...rest] = positionals;
	if (!command) throw new UsageError("Name a command.");
	if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest.join(" ")}`);
	const { remote, "persist-to": persistTo, ...flags } = values;
	if (remote && persistTo) throw new UsageError("--persist-to is for the local D1; it cannot go with --remote.");
	// wrangler runs from the project root, so a relative folder is made absolute from here first.
	const location: D1Location = remote ? { remote: true } : { persistTo: persistTo && resolve(persistTo) };
	// The remote database is migrated by `npm run deploy`; the local one may be brand new.
	const prepare = () => {
		if (!location.remote) applyMigrations(location);
	};

	switch (command) {
		case "add": {
			onlyFlags(flags, ["email", "name", "role", "password-stdin"]);
			const email = parseEmail(flags.email);
			const name = parseName(flags.name);
			const role = parseRole(flags.role);
			const password = await passwordFromStdin(flags);
			checkPassword(password, email);
			prepare();
			return addEditor(location, { email, name, role, password });
		}
		case "list":
			onlyFlags(flags, []);
			prepare();
			return listEditors(location);
		case "reset-password": {
			onlyFlags(flags, ["email", "password-stdin"]);
			const email = parseEmail(flags.email);
			const password = await passwordFromStdin(flags);
			checkPassword(password, email);
			prepare();
			return resetPassword(location, { email, password });
		}
		default:
			throw new UsageError(`Unknown command "${command}".`);
	}
}

try {
	console.log(await run(process.argv.slice(2)));
} catch (error) {
	if (error instanceof UsageError) {
		console.error(`editor: ${error.message}\n\n${USAGE}`);
		process.exitCode = 2;
	} else if (error instanceof Refusal) {
		console.error(`editor: ${error.message}`);
		process.exitCode = 1;
	} else {
		console.error(`editor: ${(error as Error).message}`);
		process.exitCode = 1;
	}
}
