// What the editor CLI accepts: each check answers with a message for the person at the terminal.
import { EDITOR_NAME_MAX as NAME_MAX } from "../../src/admin/limits.ts";
import { passwordProblem } from "../../src/lib/passwords.ts";

/** A refusal: printed as it is, and the CLI exits non-zero. */
export class Refusal extends Error {}

export const EDITOR_ROLES = ["admin", "editor"] as const;
export type EditorRole = (typeof EDITOR_ROLES)[number];

// RFC 5321's limit on a path, which bounds any usable address.
const EMAIL_MAX = 254;

/** Trimmed and lowercased, as the editors table stores it (src/db/queries/editors.ts). */
export function parseEmail(value: string | undefined): string {
	const email = (value ?? "").trim().toLowerCase();
	if (email === "") throw new Refusal("Give the editor's email with --email.");
	if (email.length > EMAIL_MAX) throw new Refusal(`The email is too long (at most ${EMAIL_MAX} characters).`);
	if (!/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(email)) throw new Refusal(`"${email}" is not an email address.`);
	return email;
}

export function parseName(value: string | undefined): string {
	const name = (value ?? "").trim();
	if (name === "") throw new Refusal("Give the editor's name with --name.");
	if (name.length > NAME_MAX) throw new Refusal(`The name is too long (at most ${NAME_MAX} characters).`);
	if (/\p{Cc}/u.test(name)) throw new Refusal("The name cannot contain control characters.");
	return name;
}

export function parseRole(value: string | undefined): EditorRole {
	if (value === undefined || value === "") throw new Refusal("Give the role with --role admin or --role editor.");
	if (!(EDITOR_ROLES as readonly string[]).includes(value)) {
		throw new Refusal(`"${value}" is not a role: use --role admin or --role editor.`);
	}
	return value as EditorRole;
}

export function checkPassword(password: string, email: string): void {
	const problem = passwordProblem(password, email);
	if (problem) throw new Refusal(`That password is too weak. ${problem}`);
}

/** The first line of `text`, refusing anything but exactly one line. */
export function singleLine(text: string): string {
	const newline = text.indexOf("\n");
	const line = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, "");
	const rest = newline < 0 ? "" : text.slice(newline + 1);
	if (line === "") throw new Refusal("No password on stdin: give it as one line, e.g. from a password manager.");
	if (rest.trim() !== "") throw new Refusal("stdin holds more than one line: give the password alone, on one line.");
	return line;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
	return Buffer.concat(chunks).toString("utf8");
}

/** Typed at a terminal: a prompt, no echo, Enter ends it. */
export function readHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
	process.stderr.write(prompt);
	stdin.setRawMode(true);
	stdin.setEncoding("utf8");
	stdin.resume();
	return new Promise((resolve) => {
		let typed = "";
		const finish = () => {
			stdin.setRawMode(false);
			stdin.pause();
			stdin.off("data", onData);
			process.stderr.write("\n");
			resolve(typed);
		};
		const onData = (data: string) => {
			for (const ch of data) {
				if (ch === "\u0003") {
					stdin.setRawMode(false);
					process.stderr.write("\n");
					process.exit(130);
				}
				if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish();
				if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
				else typed += ch;
			}
		};
		stdin.on("data", onData);
	});
}

/** The password from stdin (`--password-stdin`): one line, its trailing newline dropped. */
export async function readPassword(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
	const text = stdin.isTTY ? await readHidden(stdin, "Password (not shown): ") : await readAll(stdin);
	return singleLine(text);
}
